import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import path from 'node:path';
import { runCli, startServer } from '../test/cli-process.ts';
import type { RunningServer } from '../test/cli-process.ts';
import type { Benchmark, Figure } from './benchmarks.ts';
import { BENCH_UNTIL } from './benchmarks.ts';
import { dashboardPages, loadPages, peakRssMiB, TEAM_CALL, warmUp } from './dashboard-load.ts';
import type { LoadResult } from './dashboard-load.ts';

/** PGlite loads a few hundred thousand rows in reasonable time, not the full benchmark size. */
const PGLITE_MAX = { teams: 20, days: 90 };
const TEAM = 'checkout';
const PERIOD = 'last-30d';

const ms = (value: number) => Math.round(value * 10) / 10;

/**
 * The dashboard as users see it, over HTTP against `groundwork serve` in its own process (started with
 * no configuration, so it serves the demo organisation the database holds): every page's API calls with
 * 10 concurrent clients once warm (every answer kept), then 50 clients on the overview. Targets from issue #17.
 */
async function measure(
  server: RunningServer,
  label: string,
  targeted: boolean,
  settle?: () => Promise<void>,
): Promise<Figure[]> {
  const pages = await dashboardPages(server.url, PERIOD, TEAM);
  let warmUpRounds = await warmUp(server.url, pages);
  if (settle) {
    await settle();
    warmUpRounds += await warmUp(server.url, pages);
  }
  const ten = await loadPages(server.url, pages, { clients: 10, rounds: 20 });
  const overview = pages.filter((page) => page.name === 'overview');
  const fifty = await loadPages(server.url, overview, { clients: 50, rounds: 2 });
  const figures: Figure[] = [];
  // The latency targets are for PostgreSQL; PGlite's are printed beside them, for comparison.
  const target = (bound: Figure['target']) => (targeted ? { target: bound } : {});
  const page = (name: string) => ten.pages.get(name);
  figures.push({
    name: `${label}: warm-up rounds until every answer was kept${settle ? ', before and after VACUUM ANALYZE' : ''}`,
    value: warmUpRounds,
    unit: 'rounds',
  });
  figures.push({
    name: `${label}: overview page (8 calls, with previous period), 10 clients, p99`,
    value: ms(page('overview')?.p99 ?? 0),
    unit: 'ms',
    ...target({ max: 500 }),
  });
  const allScorecards = [...ten.calls].find(([url]) => url.startsWith('/api/v1/scorecards?'))?.[1];
  figures.push({
    name: `${label}: all teams' scorecards, 10 clients, p99`,
    value: ms(allScorecards?.p99 ?? 0),
    unit: 'ms',
    ...target({ max: 500 }),
  });
  const teamCalls = [...ten.calls].filter(([url]) => TEAM_CALL.test(url));
  figures.push({
    name: `${label}: team page calls (metrics, series, scorecards), 10 clients, p99`,
    value: ms(Math.max(...teamCalls.map(([, s]) => s.p99))),
    unit: 'ms',
    ...target({ max: 50 }),
  });
  for (const [url, stats] of [...ten.calls].sort(([a], [b]) => a.localeCompare(b))) {
    figures.push({
      name: `${label}: GET ${url.replace(/from=[^&]+&to=[^&]+/, 'from=…&to=…')} p99 (p50 ${ms(stats.p50)})`,
      value: ms(stats.p99),
      unit: 'ms',
      ...target({ max: 300 }),
    });
  }
  figures.push(...failures(ten, `${label}: 10 clients`));
  figures.push(...failures(fifty, `${label}: 50 clients on the overview`));
  const total = [...fifty.statuses.values()].reduce((sum, n) => sum + n, 0) + fifty.failures;
  figures.push({
    name: `${label}: 50 clients on the overview, share answered 429 (retry later)`,
    value: Math.round(((fifty.statuses.get(429) ?? 0) / Math.max(total, 1)) * 1000) / 10,
    unit: '%',
  });
  figures.push({
    name: `${label}: 50 clients on the overview, page p99`,
    value: ms(fifty.pages.get('overview')?.p99 ?? 0),
    unit: 'ms',
  });
  const rss = server.process.pid ? peakRssMiB(server.process.pid) : null;
  if (rss !== null) figures.push({ name: `${label}: peak server RSS`, value: rss, unit: 'MiB' });
  return figures;
}

/** No 5xx and no timeouts: a target on either engine. */
function failures(result: LoadResult, label: string): Figure[] {
  const errors = [...result.statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
  return [
    { name: `${label}: 5xx answers`, value: errors, unit: 'requests', target: { max: 0 } },
    {
      name: `${label}: timeouts and connection errors`,
      value: result.failures,
      unit: 'requests',
      target: { max: 0 },
    },
  ];
}

const serverEnv = (extra: Record<string, string>) => ({
  PORT: '0',
  // Reads open, as on a laptop: with DATABASE_URL the default auth mode is token, and every call got a 401.
  GROUNDWORK_AUTH_MODE: 'open',
  GROUNDWORK_NOW: BENCH_UNTIL.toISOString(),
  LOG_LEVEL: 'warn',
  ...extra,
});

/** The server on the database the earlier benchmarks filled (PostgreSQL), or on PGlite when there is none. */
export const dashboardHttpBenchmark: Benchmark = {
  name: 'dashboard-http',
  async run({ teams, days, database, databaseUrl }) {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-bench-'));
    const figures: Figure[] = [];
    try {
      if (databaseUrl) {
        const server = await startServer({ cwd, env: serverEnv({ DATABASE_URL: databaseUrl }) });
        try {
          // What the warm-up stored (lead-time facts, closed periods) is what autovacuum analyses next, and an
          // ANALYZE is a transaction: it moves the data version and every kept answer is computed again. Done
          // here, as autovacuum would within a minute, so the figures are the settled server's.
          const settle = async () => {
            await sql`vacuum analyze`.execute(database.db);
          };
          figures.push(...(await measure(server, `PostgreSQL ${teams}×${days}`, true, settle)));
        } finally {
          await server.stop();
        }
      }
      // PGlite beside it (or alone without DATABASE_URL), at a size it loads in reasonable time.
      const size = { teams: Math.min(teams, PGLITE_MAX.teams), days: Math.min(days, PGLITE_MAX.days) };
      const env = serverEnv({ GROUNDWORK_DATA_DIR: path.join(cwd, 'data') });
      const until = BENCH_UNTIL.toISOString().slice(0, 10);
      const demo = runCli(
        ['demo', '--teams', String(size.teams), '--days', String(size.days), '--until', until],
        // On a busy machine the load outlasts runCli's default two minutes (killed, with nothing on stderr).
        { cwd, env, timeoutMs: 20 * 60_000 },
      );
      if (demo.status !== 0)
        throw new Error(`demo load on PGlite failed (exit ${String(demo.status)}): ${demo.stderr}`);
      const server = await startServer({ cwd, env });
      try {
        figures.push(...(await measure(server, `PGlite ${size.teams}×${size.days}`, databaseUrl === null)));
      } finally {
        await server.stop();
      }
      return figures;
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  },
};
