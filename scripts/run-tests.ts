// Runs every test file with Node's test runner. Node 20's `--test` neither expands globs nor fails when it
// finds nothing, so this lists the files itself, and fails the run when no test ran — or, under CI=true,
// when any test was skipped (a skip there means a prerequisite CI should have installed is missing).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';

const root = path.resolve(import.meta.dirname, '..');
const dbOnly = process.argv.includes('--db-only');
// Browser tests (`--e2e`) live apart: they need a built dashboard and Chromium, and run as their own step.
const e2e = process.argv.includes('--e2e');
const roots = e2e
  ? ['test/e2e']
  : ['server', 'collectors', 'scorecards', 'migrations', 'test', 'scripts', 'bench'];

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = roots
  .flatMap((dir) => {
    try {
      return findTests(path.join(root, dir));
    } catch {
      return [];
    }
  })
  .filter((file) => e2e === file.endsWith('.e2e.test.ts'))
  .filter((file) => !dbOnly || file.endsWith('.db.test.ts'))
  .sort();

if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

const engine = process.env['DATABASE_URL'] ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
const suite = e2e ? 'browser' : process.env['DATABASE_URL'] ? 'postgres' : 'pglite';
console.log(`run-tests: ${files.length} files; database tests on ${engine}`);

const work = mkdtempSync(path.join(os.tmpdir(), 'groundwork-run-'));
const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent' };
if (!process.env['DATABASE_URL'] && !e2e) {
  const template = path.join(work, 'template');
  const handle = await openDatabase({ url: null, dataDir: template, role: 'test template' });
  await migrateToLatest(handle.db);
  await handle.close();
  env['GROUNDWORK_TEST_PGLITE_TEMPLATE'] = template;
}

const tapFile = path.join(work, 'report.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: 'inherit', env, cwd: root },
);

const tap = readFileSync(tapFile, 'utf8');
rmSync(work, { recursive: true, force: true });
const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
const [tests, passed, failed, skipped, todo] = ['tests', 'pass', 'fail', 'skipped', 'todo'].map(count) as [
  number,
  number,
  number,
  number,
  number,
];
// The closing line CI reads: "<suite>: N passed, N failed, N skipped".
if (!e2e) console.log(`\nDatabase tests ran on ${engine}.`);
console.log(`${suite}: ${passed} passed, ${failed} failed, ${skipped} skipped`);

let exitCode = result.status ?? 1;
if (tests === 0) {
  console.error('run-tests: the runner found no tests; that is a failure, not a pass');
  exitCode = 1;
}
if (process.env['CI'] === 'true' && skipped + todo > 0) {
  console.error(
    `run-tests: ${skipped + todo} tests skipped under CI=true; CI must install every prerequisite`,
  );
  exitCode = 1;
}
process.exit(exitCode);
