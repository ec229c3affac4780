import { performance } from 'node:perf_hooks';
import { buildApp } from '../server/app.ts';
import { fixedClock } from '../server/clock.ts';
import { loadConfig } from '../server/config/config.ts';
import { demoOrganization } from '../server/demo/demo-organization.ts';
import type { Benchmark, Figure } from './benchmarks.ts';

const until = new Date('2026-11-01T00:00:00Z');
const RUNS = 3;

/**
 * The friction ranking and the recommendations over the demo organisation the first benchmark loaded, for
 * the last closed quarter (each request computes the quarter and the one before it, for the trend): the
 * first request on a new server (cold: the first ever computes and stores the closed quarters' figures, a
 * restarted server reads them), then the median of warm ones.
 */
export const frictionBenchmark: Benchmark = {
  name: 'friction',
  async run({ teams, database }) {
    const config = loadConfig({
      env: {},
      cwd: '/nonexistent',
      fallbackOrganization: () => demoOrganization(teams),
    });
    const cold = async (label: string): Promise<Figure> => {
      const server = await buildApp({ config, database, clock: fixedClock(until), logger: false });
      try {
        // A server takes requests once it is ready (plugins loaded, routes compiled): not part of the figure.
        await server.ready();
        const start = performance.now();
        const response = await server.inject({ method: 'GET', url: '/api/v1/friction?period=2026-Q3' });
        if (response.statusCode !== 200) throw new Error(`friction: ${response.statusCode} ${response.body}`);
        return {
          name: `GET /api/v1/friction?period=2026-Q3 ${label} (${teams} teams)`,
          value: performance.now() - start,
          unit: 'ms',
        };
      } finally {
        await server.close();
      }
    };
    const figures: Figure[] = [await cold('cold, first server'), await cold('cold, restarted server')];
    const app = await buildApp({ config, database, clock: fixedClock(until), logger: false });
    try {
      for (const url of ['/api/v1/friction?period=2026-Q3', '/api/v1/recommendations?period=2026-Q3']) {
        const timings: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const start = performance.now();
          const response = await app.inject({ method: 'GET', url });
          if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
          timings.push(performance.now() - start);
        }
        timings.sort((a, b) => a - b);
        figures.push({
          name: `GET ${url} median of ${RUNS} (${teams} teams)`,
          value: timings[1] ?? 0,
          unit: 'ms',
        });
      }
      return figures;
    } finally {
      await app.close();
    }
  },
};
