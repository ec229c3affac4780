import { performance } from 'node:perf_hooks';
import { buildApp } from '../server/app.ts';
import { fixedClock } from '../server/clock.ts';
import { loadConfig } from '../server/config/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { loadDemo } from '../server/demo/load-demo.ts';
import { demoOrganization } from '../server/demo/demo-organization.ts';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export interface BenchOptions {
  teams: number;
  days: number;
}

export interface Benchmark {
  name: string;
  run(options: BenchOptions): Promise<Figure[]>;
}

const until = new Date('2026-11-01T00:00:00Z');

/** Later capabilities add their benchmarks here (metrics queries, collector cost, dashboard bundle size). */
export const benchmarks: Benchmark[] = [
  {
    name: 'demo-load',
    async run({ teams, days }) {
      const handle = await openDatabase({ url: null, dataDir: 'memory', role: 'bench' });
      try {
        const migrateStart = performance.now();
        await migrateToLatest(handle.db);
        const migrateMs = performance.now() - migrateStart;
        const start = performance.now();
        const summary = await loadDemo(handle.db, { teams, days, seed: 42, until }, until);
        const seconds = (performance.now() - start) / 1000;
        const rows = Object.values(summary).reduce((sum, n) => sum + n, 0);
        return [
          { name: 'migrate (fresh PGlite)', value: migrateMs, unit: 'ms' },
          { name: `load ${teams} teams × ${days} days`, value: seconds, unit: 's' },
          { name: 'rows written', value: rows, unit: 'rows' },
          { name: 'write rate', value: rows / seconds, unit: 'rows/s' },
          { name: 'peak RSS after load', value: process.memoryUsage().rss / 2 ** 20, unit: 'MiB' },
        ];
      } finally {
        await handle.close();
      }
    },
  },
  {
    name: 'api-teams',
    async run({ teams }) {
      const handle = await openDatabase({ url: null, dataDir: 'memory', role: 'bench' });
      try {
        await migrateToLatest(handle.db);
        await loadDemo(handle.db, { teams, days: 7, seed: 42, until }, until);
        const config = loadConfig({
          env: {},
          cwd: '/nonexistent',
          fallbackOrganization: () => demoOrganization(teams),
        });
        const app = await buildApp({ config, database: handle, clock: fixedClock(until), logger: false });
        const timings: number[] = [];
        for (let i = 0; i < 200; i++) {
          const start = performance.now();
          await app.inject({ method: 'GET', url: '/api/v1/teams' });
          timings.push(performance.now() - start);
        }
        await app.close();
        timings.sort((a, b) => a - b);
        return [
          { name: `GET /api/v1/teams p50 (${teams} teams)`, value: timings[100] ?? 0, unit: 'ms' },
          { name: 'GET /api/v1/teams p95', value: timings[190] ?? 0, unit: 'ms' },
        ];
      } finally {
        await handle.close();
      }
    },
  },
];
