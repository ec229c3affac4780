import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { MAX_PERIOD_DAYS } from '../server/metrics/period.ts';
import { buildApp } from '../server/app.ts';
import { fixedClock } from '../server/clock.ts';
import { loadConfig, normalizeOrganization } from '../server/config/config.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { loadDemo } from '../server/demo/load-demo.ts';
import { demoOrganization } from '../server/demo/demo-organization.ts';
import { organizationMetrics, teamMetrics } from '../server/metrics/metrics.service.ts';
import { loadBenchmarks } from '../server/metrics/tiers.ts';
import { dashboardBundleBenchmark } from './dashboard-bundle.bench.ts';
import { frictionBenchmark } from './friction.bench.ts';
import { githubCollectorBenchmark } from './github-collector.bench.ts';
import { dashboardHttpBenchmark } from './dashboard-http.bench.ts';
import { ingestBenchmark } from './ingest.bench.ts';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The target, when the figure has one: run.ts prints pass or fail beside it. */
  target?: { max?: number; min?: number };
}

export interface BenchContext {
  teams: number;
  days: number;
  /** A migrated database the first benchmark fills with the demo organisation, shared by the rest. */
  database: DatabaseHandle;
  /** The PostgreSQL the database handle is on (DATABASE_URL), for benchmarks that start a server on it. */
  databaseUrl: string | null;
}

export interface Benchmark {
  name: string;
  run(context: BenchContext): Promise<Figure[]>;
}

export const BENCH_UNTIL = new Date('2026-11-01T00:00:00Z');
const until = BENCH_UNTIL;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/** p50 and p95 in milliseconds of `runs` sequential calls. */
async function latencies(runs: number, call: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const timings: number[] = [];
  for (let i = 0; i < runs; i++) timings.push((await timed(call))[1]);
  timings.sort((a, b) => a - b);
  return { p50: timings[Math.floor(runs / 2)] ?? 0, p95: timings[Math.floor(runs * 0.95)] ?? 0 };
}

/** p50 of one team's metrics for the last 30 days, on an organisation of `teams` demo teams. */
async function oneTeamLatency(database: DatabaseHandle, teams: number): Promise<number> {
  const ctx = {
    db: database.db,
    org: normalizeOrganization(demoOrganization(teams), 'demo'),
    benchmarks: loadBenchmarks(),
    now: () => until,
  };
  await teamMetrics(ctx, 'checkout', { period: 'last-30d' }); // warm-up
  return (await latencies(21, () => teamMetrics(ctx, 'checkout', { period: 'last-30d' }))).p50;
}

/** In order: the first loads the data the others read. Later capabilities add theirs here. */
export const benchmarks: Benchmark[] = [
  {
    name: 'demo-load',
    async run({ teams, days, database }) {
      const [applied, migrateMs] = await timed(() => migrateToLatest(database.db));
      // A tenth of the organisation first, then all of it (the demo's first teams are the same rows either
      // way): one team's figures must not get slower as other teams' data grows.
      const fewer = Math.max(2, Math.round(teams / 10));
      await loadDemo(database.db, { teams: fewer, days, seed: 42, until }, until);
      // Statistics as autovacuum would have them a minute after a load: without, the first figures were
      // read on plans for empty tables (one team's metrics 1.5 s at a tenth of the teams, 0.1 s at all).
      await sql`analyze`.execute(database.db);
      const before = await oneTeamLatency(database, fewer);
      const [summary, loadMs] = await timed(() =>
        loadDemo(database.db, { teams, days, seed: 42, until }, until),
      );
      await sql`analyze`.execute(database.db);
      const after = await oneTeamLatency(database, teams);
      const { teams: _teams, ...written } = summary;
      const rows = Object.values(written).reduce((sum, n) => sum + n, 0);
      return [
        { name: `migrate (${applied.length} migrations, fresh database)`, value: migrateMs, unit: 'ms' },
        {
          name: `load ${teams} teams × ${days} days (${fewer} loaded before)`,
          value: loadMs / 1000,
          unit: 's',
        },
        { name: 'rows written', value: rows, unit: 'rows' },
        { name: 'write rate', value: rows / (loadMs / 1000), unit: 'rows/s' },
        { name: 'RSS after load', value: process.memoryUsage().rss / 2 ** 20, unit: 'MiB' },
        { name: `one team's metrics p50 with ${fewer} teams`, value: before, unit: 'ms' },
        { name: `one team's metrics p50 with ${teams} teams`, value: after, unit: 'ms' },
        {
          name: `one team's metrics, ${teams} vs ${fewer} teams (ratio; flat is 1)`,
          value: after / before,
          unit: '×',
          target: { max: 1.5 },
        },
      ];
    },
  },
  {
    name: 'metrics',
    async run({ teams, database }) {
      const ctx = {
        db: database.db,
        org: normalizeOrganization(demoOrganization(teams), 'demo'),
        benchmarks: loadBenchmarks(),
        now: () => until,
      };
      const [, orgMs] = await timed(() => organizationMetrics(ctx, { period: 'last-30d', groupBy: 'team' }));
      const [, quarterMs] = await timed(() => organizationMetrics(ctx, { period: 'last-90d' }));
      const team = await latencies(20, () => teamMetrics(ctx, 'checkout', { period: 'last-30d' }));
      return [
        { name: `organisation + ${teams} teams, last 30 days`, value: orgMs, unit: 'ms' },
        { name: 'organisation pooled, last 90 days', value: quarterMs, unit: 'ms' },
        { name: 'one team, last 30 days, p50', value: team.p50, unit: 'ms' },
        { name: 'one team, last 30 days, p95', value: team.p95, unit: 'ms' },
      ];
    },
  },
  {
    name: 'api',
    async run({ teams, database }) {
      const config = loadConfig({
        env: { GROUNDWORK_AUTH_MODE: 'open' },
        cwd: '/nonexistent',
        fallbackOrganization: () => demoOrganization(teams),
      });
      const app = await buildApp({ config, database, clock: fixedClock(until), logger: false });
      try {
        const list = await latencies(100, () => app.inject({ method: 'GET', url: '/api/v1/teams' }));
        const healthz = await healthzDuring(app, [
          `/api/v1/teams/checkout/metrics/series?period=last-${MAX_PERIOD_DAYS}d`,
          `/api/v1/tickets/wait-times/series?period=last-${MAX_PERIOD_DAYS}d&groupBy=servingTeam`,
        ]);
        return [
          { name: `GET /api/v1/teams p50 (${teams} teams)`, value: list.p50, unit: 'ms' },
          { name: 'GET /api/v1/teams p95', value: list.p95, unit: 'ms' },
          {
            name: `largest allowed series (${MAX_PERIOD_DAYS} days), team + tickets`,
            value: healthz.seriesMs,
            unit: 'ms',
          },
          { name: '/healthz latency during it, p95', value: healthz.p95, unit: 'ms' },
          { name: '/healthz latency during it, max', value: healthz.max, unit: 'ms' },
        ];
      } finally {
        await app.close();
      }
    },
  },
  dashboardHttpBenchmark,
  ingestBenchmark,
  frictionBenchmark,
  githubCollectorBenchmark,
  dashboardBundleBenchmark,
];

/** /healthz answered every 5 ms while the given (largest allowed) requests are computed: its latency. */
async function healthzDuring(
  app: Awaited<ReturnType<typeof buildApp>>,
  urls: string[],
): Promise<{ seriesMs: number; p95: number; max: number }> {
  const samples: number[] = [];
  let running = true;
  const poll = (async () => {
    while (running) {
      const started = performance.now();
      await app.inject({ method: 'GET', url: '/healthz' });
      samples.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const started = performance.now();
  for (const url of urls) {
    const response = await app.inject({ method: 'GET', url });
    if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
  }
  const seriesMs = performance.now() - started;
  running = false;
  await poll;
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    seriesMs,
    p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
  };
}
