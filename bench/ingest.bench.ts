import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildApp } from '../server/app.ts';
import { fixedClock } from '../server/clock.ts';
import { loadConfig } from '../server/config/config.ts';
import { demoOrganization } from '../server/demo/demo-organization.ts';
import { runTokenCommand } from '../server/token-commands.ts';
import type { Benchmark, Figure } from './benchmarks.ts';
import { BENCH_UNTIL } from './benchmarks.ts';

const BATCH = 1000;
const COMMITS_PER_DEPLOYMENT = 3;

interface Shipped {
  deployments: {
    id: string;
    repository: string;
    service: string;
    environment: string;
    sha: string;
    status: 'success';
    startedAt: string;
    finishedAt: string;
    commits: { sha: string; timestamp: string }[];
  }[];
}

const hex = (n: number, width = 40) => n.toString(16).padStart(width, '0');

/** `batches` × 1,000 deployments, each shipping three new commits, over four repositories: new rows only. */
function generate(batches: number, run: string): Shipped['deployments'][] {
  const start = BENCH_UNTIL.getTime() - 7 * 86_400_000;
  return Array.from({ length: batches }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => {
      const n = b * BATCH + i;
      const finishedAt = new Date(start + n * 20_000);
      return {
        id: `bench-${run}-${n}`,
        repository: `bench/ingest-${n % 4}`,
        service: `bench-ingest-${n % 4}`,
        environment: 'production',
        sha: hex(n * 10 + 9),
        status: 'success' as const,
        startedAt: new Date(finishedAt.getTime() - 300_000).toISOString(),
        finishedAt: finishedAt.toISOString(),
        commits: Array.from({ length: COMMITS_PER_DEPLOYMENT }, (_, c) => ({
          sha: c === 0 ? hex(n * 10 + 9) : hex(n * 10 + c),
          timestamp: new Date(finishedAt.getTime() - (c + 1) * 3_600_000).toISOString(),
        })),
      };
    }),
  );
}

const csv = (cells: (string | number)[]) => `${cells.join(',')}\n`;

/**
 * Rows of the same shape as the pushed batches (other keys), loaded with PostgreSQL `COPY` into the same
 * tables — the same indexes and foreign keys — in a transaction rolled back afterwards: the floor a push could
 * approach. Returns the seconds the three COPYs took.
 */
async function copySeconds(url: string, batches: Shipped['deployments'][]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    const repositories = await client.query<{ id: number }>(
      `insert into repositories (full_name) select 'bench/copy-' || n from generate_series(0, 3) n
       on conflict (full_name) do update set full_name = excluded.full_name returning id`,
    );
    const repositoryOf = (n: number) => repositories.rows[n % 4]?.id ?? 0;
    const rows = batches.flat();
    const firstId = 1_000_000_000_000; // explicit ids (COPY writes identity columns as given): no collision
    const now = new Date().toISOString();
    const copy = async (statement: string, lines: () => Generator<string>) =>
      pipeline(Readable.from(lines()), client.query(copyFrom(statement)));
    const start = performance.now();
    await copy('copy commits (repository_id, sha, committed_at) from stdin (format csv)', function* () {
      for (const [n, d] of rows.entries())
        for (const c of d.commits) yield csv([repositoryOf(n), c.sha, c.timestamp]);
    });
    await copy(
      `copy deployments (id, source, external_id, repository_id, service, environment, sha, status,
        original_status, kind, started_at, finished_at, created_at, updated_at) from stdin (format csv)`,
      function* () {
        for (const [n, d] of rows.entries())
          yield csv([
            firstId + n,
            'bench-copy',
            d.id,
            repositoryOf(n),
            d.service,
            d.environment,
            d.sha,
            'success',
            'success',
            'planned',
            d.startedAt,
            d.finishedAt,
            now,
            now,
          ]);
      },
    );
    await copy(
      'copy deployment_commits (deployment_id, repository_id, sha) from stdin (format csv)',
      function* () {
        for (const [n, d] of rows.entries())
          for (const c of d.commits) yield csv([firstId + n, repositoryOf(n), c.sha]);
      },
    );
    return (performance.now() - start) / 1000;
  } finally {
    await client.query('rollback');
    await client.end();
  }
}

/**
 * Ingest through `POST /api/v1/events/deployments` (batches of 1,000 deployments with their commits, one
 * after another, the whole route: token check, validation, upserts, attribution, incident linking, raw
 * payload) against `COPY` of the same rows in the same run. Target: at least half of COPY's rate.
 */
export const ingestBenchmark: Benchmark = {
  name: 'ingest',
  async run({ database, databaseUrl, teams }) {
    const config = loadConfig({
      env: {},
      cwd: '/nonexistent',
      fallbackOrganization: () => demoOrganization(teams),
    });
    const app = await buildApp({ config, database, clock: fixedClock(BENCH_UNTIL), logger: false });
    const figures: Figure[] = [];
    try {
      const token = await runTokenCommand(
        database.db,
        { action: 'create', name: `bench-${Date.now()}`, scope: 'ingest', team: null, expiresDays: null },
        BENCH_UNTIL,
      );
      const headers = {
        authorization: `Bearer ${token.stdout[0] ?? ''}`,
        'content-type': 'application/json',
      };
      const push = async (batches: Shipped['deployments'][]) => {
        const start = performance.now();
        for (const batch of batches) {
          const response = await app.inject({
            method: 'POST',
            url: '/api/v1/events/deployments',
            headers,
            body: JSON.stringify(batch),
          });
          if (response.statusCode >= 300)
            throw new Error(`ingest answered ${response.statusCode}: ${response.body}`);
        }
        return (performance.now() - start) / 1000;
      };
      // Push then COPY, twice over (new rows each time), the faster of each: one pass on a shared machine
      // moved the ratio by ±0.05 around the target.
      const passes = databaseUrl ? 2 : 1;
      const size = databaseUrl ? 10 : 3;
      let ingestSeconds = Infinity;
      let copyBest = Infinity;
      for (let pass = 0; pass < passes; pass++) {
        const batches = generate(size, `${Date.now()}-${pass}`);
        ingestSeconds = Math.min(ingestSeconds, await push(batches));
        if (databaseUrl) copyBest = Math.min(copyBest, await copySeconds(databaseUrl, batches));
      }
      const deployments = size * BATCH;
      const rows = deployments * (1 + 2 * COMMITS_PER_DEPLOYMENT); // deployments, commits, links
      const ingestRate = rows / ingestSeconds;
      figures.push(
        {
          name: `push ${size} × ${BATCH} deployments (${COMMITS_PER_DEPLOYMENT} commits each), best of ${passes}`,
          value: ingestSeconds,
          unit: 's',
        },
        { name: 'push rate (deployments + commits + links)', value: ingestRate, unit: 'rows/s' },
        { name: 'push rate, deployments', value: deployments / ingestSeconds, unit: 'deployments/s' },
      );
      if (databaseUrl) {
        const copyRate = rows / copyBest;
        figures.push(
          { name: 'COPY rate of the same rows', value: copyRate, unit: 'rows/s' },
          { name: 'push ÷ COPY', value: ingestRate / copyRate, unit: '×', target: { min: 0.5 } },
        );
      }
      return figures;
    } finally {
      await app.close();
    }
  },
};
