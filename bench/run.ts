// `npm run bench`: runs every benchmark, prints a table of figures and writes bench/results.json.
// Figures, not assertions: the machines are shared and noisy, so speed targets are read, not tested.
// Options: --teams N --days D (demo organisation size, default 200 × 365). Runs on an in-memory PGlite, or
// on the PostgreSQL in DATABASE_URL (use an empty, throwaway database).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db/database.ts';
import { benchmarks } from './benchmarks.ts';
import type { Figure } from './benchmarks.ts';

const { values } = parseArgs({
  options: { teams: { type: 'string' }, days: { type: 'string' } },
});
const options = { teams: Number(values.teams ?? 200), days: Number(values.days ?? 365) };
const database = await openDatabase({
  url: process.env['DATABASE_URL'] ?? null,
  dataDir: 'memory',
  role: 'bench',
});

const results: { benchmark: string; figures: Figure[] }[] = [];
try {
  for (const benchmark of benchmarks) {
    console.error(`bench: ${benchmark.name} …`);
    results.push({ benchmark: benchmark.name, figures: await benchmark.run({ ...options, database }) });
  }
} finally {
  await database.close();
}

const rows = results.flatMap((r) =>
  r.figures.map((f) => [r.benchmark, f.name, formatValue(f.value), f.unit]),
);
const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...[['benchmark', 'figure', 'value', 'unit'], ...rows].map((row) => row[i]?.length ?? 0)),
);
const line = (cells: string[]) =>
  cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ');
console.log(line(['benchmark', 'figure', 'value', 'unit']));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row as string[]));

const output = path.join(import.meta.dirname, 'results.json');
writeFileSync(
  output,
  JSON.stringify({ at: new Date().toISOString(), options, node: process.version, results }, null, 2),
);
console.log(`\nwritten to ${output}`);

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1);
}
