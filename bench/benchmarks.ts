import { performance } from 'node:perf_hooks';
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

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export interface BenchContext {
  teams: number;
  days: number;
  /** A migrated database the first benchmark fills with the demo organisation, shared by the rest. */
  database: DatabaseHandle;
}

export interface Benchmark {
  name: string;
  run(context: BenchContext): Promise<Figure[]>;
}

const until = new Date('2026-11-01T00:00:00Z');

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

/** In order: the first loads the data the others read. Later capabilities add theirs here. */
export const benchmarks: Benchmark[] = [
  {
    name: 'demo-load',
    async run({ teams, days, database }) {
      const [applied, migrateMs] = await timed(() => migrateToLatest(database.db));
      const [summary, loadMs] = await timed(() =>
        loadDemo(database.db, { teams, days, seed: 42, until }, until),
      );
      const { teams: _teams, ...written } = summary;
      const rows = Object.values(written).reduce((sum, n) => sum + n, 0);
      return [
        { name: `migrate (${applied.length} migrations, fresh database)`, value: migrateMs, unit: 'ms' },
        { name: `load ${teams} teams × ${days} days`, value: loadMs / 1000, unit: 's' },
        { name: 'rows written', value: rows, unit: 'rows' },
        { name: 'write rate', value: rows / (loadMs / 1000), unit: 'rows/s' },
        { name: 'RSS after load', value: process.memoryUsage().rss / 2 ** 20, unit: 'MiB' },
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
        env: {},
        cwd: '/nonexistent',
        fallbackOrganization: () => demoOrganization(teams),
      });
      const app = await buildApp({ config, database, clock: fixedClock(until), logger: false });
      try {
        const list = await latencies(100, () => app.inject({ method: 'GET', url: '/api/v1/teams' }));
        return [
          { name: `GET /api/v1/teams p50 (${teams} teams)`, value: list.p50, unit: 'ms' },
          { name: 'GET /api/v1/teams p95', value: list.p95, unit: 'ms' },
        ];
      } finally {
        await app.close();
      }
    },
  },
  frictionBenchmark,
  githubCollectorBenchmark,
  dashboardBundleBenchmark,
];
