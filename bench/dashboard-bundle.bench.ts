import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { Benchmark } from './benchmarks.ts';

const web = path.resolve(import.meta.dirname, '../web');
const dist = path.join(web, 'dist');

const gzippedKiB = (file: string) =>
  gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length / 1024;

/**
 * What the browser downloads to show the overview: the entry script and every module index.html preloads
 * with it (the other pages are split off and load when first visited). Target: under 250 KB gzipped.
 */
export const dashboardBundleBenchmark: Benchmark = {
  name: 'dashboard-bundle',
  async run() {
    await build({ configFile: path.join(web, 'vite.config.ts'), logLevel: 'silent' });
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map(
      (match) => match[1] ?? '',
    );
    const overview = initial.reduce((sum, file) => sum + gzippedKiB(file), 0);
    const all = readdirSync(path.join(dist, 'assets'))
      .filter((file) => file.endsWith('.js'))
      .reduce((sum, file) => sum + gzippedKiB(path.join('assets', file)), 0);
    return [
      {
        name: `overview JS, gzipped (${initial.length} files; target < 250 KB)`,
        value: overview,
        unit: 'KiB',
      },
      { name: 'overview JS against the 250 KB target', value: (overview * 1024) / 250_000, unit: 'ratio' },
      { name: 'all dashboard JS, gzipped (every page)', value: all, unit: 'KiB' },
    ];
  },
};
