// `npm run bench`: runs every benchmark, prints a table of figures and writes bench/results.json.
// Figures, not assertions: the machines are shared and noisy, so speed targets are read, not tested.
// Options: --teams N --days D (demo organisation size, default 20 × 90, a few minutes; the issue's size is
// --teams 200 --days 365). Runs on an in-memory PGlite, or on the PostgreSQL in DATABASE_URL (use an empty,
// throwaway database; PGlite figures are printed beside at a size it loads in reasonable time).
// --only a,b runs a subset. Figures with a target print it with pass or fail; any fail makes the exit code 1.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db/database.ts';
import { benchmarks } from './benchmarks.ts';
import type { Figure } from './benchmarks.ts';

const { values } = parseArgs({
  options: { teams: { type: 'string' }, days: { type: 'string' }, only: { type: 'string' } },
});
const options = { teams: Number(values.teams ?? 20), days: Number(values.days ?? 90) };
const databaseUrl = process.env['DATABASE_URL'] ?? null;
const database = await openDatabase({
  url: databaseUrl,
  dataDir: 'memory',
  role: 'bench',
});

const results: { benchmark: string; figures: Figure[] }[] = [];
try {
  // --only demo-load,dashboard-http: a subset (demo-load fills the database the others read).
  const only = values.only?.split(',');
  for (const benchmark of benchmarks.filter((b) => !only || only.includes(b.name))) {
    console.error(`bench: ${benchmark.name} …`);
    const started = performance.now();
    const figures = await benchmark.run({ ...options, database, databaseUrl });
    results.push({ benchmark: benchmark.name, figures });
    // As each finishes: a long run stopped part way still reports what it measured.
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    console.error(`bench: ${benchmark.name} done in ${seconds} s`);
    for (const f of figures) console.error(`  ${f.name}: ${formatValue(f.value)} ${f.unit}`);
  }
} finally {
  await database.close();
}

const verdict = (f: Figure) => {
  if (!f.target) return ['', ''];
  const { max, min } = f.target;
  const pass = (max === undefined || f.value <= max) && (min === undefined || f.value >= min);
  return [max !== undefined ? `≤ ${max}` : `≥ ${String(min)}`, pass ? 'pass' : 'FAIL'];
};
const header = ['benchmark', 'figure', 'value', 'unit', 'target', ''];
const rows = results.flatMap((r) =>
  r.figures.map((f) => [r.benchmark, f.name, formatValue(f.value), f.unit, ...verdict(f)]),
);
const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]?.length ?? 0)));
const line = (cells: string[]) =>
  cells
    .map((cell, i) => (i === 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
const failed = rows.filter((row) => row[5] === 'FAIL').length;
const targeted = rows.filter((row) => row[5] !== '').length;
console.log(`\n${targeted - failed} of ${targeted} targets met${failed ? `; ${failed} FAILED` : ''}`);
if (failed) process.exitCode = 1;

const output = path.join(import.meta.dirname, 'results.json');
writeFileSync(
  output,
  JSON.stringify({ at: new Date().toISOString(), options, node: process.version, results }, null, 2),
);
console.log(`\nwritten to ${output}`);

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1);
}
