import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { generatedOrganization } from '../../collectors/github/fixtures/generated-org.ts';
import { binPath, cleanEnv } from '../../test/cli-process.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import { createPostgresScratchDatabase, openTestDatabase, testEngine } from '../../test/test-database.ts';
import { openDatabase } from '../db/database.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { databaseRunCoordinator } from './run-coordinator.ts';

// Scheduled jobs on more than one process (issue #17): every process's cron fires the same tick; exactly
// one runs it. On PostgreSQL, three `groundwork worker` processes; on PGlite (one process holds the
// database) three coordinators on the one handle.
let database: DatabaseHandle;
before(async () => {
  database = await openTestDatabase();
});
after(async () => database.close());

describe('one run per scheduled tick', () => {
  test('three coordinators racing for the same ticks: each tick has exactly one winner', async () => {
    const coordinators = [1, 2, 3].map(() => databaseRunCoordinator(database.db));
    const ticks = ['2026-12-07T10:00:00.000Z', '2026-12-07T10:00:02.000Z', '2026-12-07T10:00:04.000Z'];
    for (const tick of ticks) {
      const won = await Promise.all(
        coordinators.map((coordinator) => coordinator.shouldRun(`github-collector:${tick}`, 60_000)),
      );
      assert.equal(won.filter(Boolean).length, 1, tick);
    }
    // A process whose timer fires late for a tick already run does not run it again.
    assert.equal(await coordinators[0]?.shouldRun(`github-collector:${ticks[0] ?? ''}`, 60_000), false);
  });

  if (testEngine === 'postgres') {
    test('three worker processes on one PostgreSQL run each collector tick once, never overlapping', async () => {
      const scratch = await createPostgresScratchDatabase('gw_workers');
      const github = await startGithubTestServer(generatedOrganization(1, 5));
      const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-workers-'));
      writeFileSync(
        path.join(cwd, 'groundwork.yaml'),
        [
          'organization: big',
          'teams: [{ slug: core, name: Core, repositories: [big/repo-0] }]',
          // every three seconds (node-cron's seconds field)
          "sources: { github: { repositories: [big/repo-0], schedule: '*/3 * * * * *' } }",
        ].join('\n'),
      );
      const env = cleanEnv({
        DATABASE_URL: scratch?.url ?? '',
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: 't',
      });
      try {
        // Migrate once first, so three workers do not race to create the schema.
        const handle = await openDatabase({ url: scratch?.url ?? '', dataDir: 'memory', role: 'test' });
        const { migrateToLatest } = await import('../db/migrate.ts');
        await migrateToLatest(handle.db);
        const workers = [1, 2, 3].map(() => spawn(process.execPath, [binPath, 'worker'], { cwd, env }));
        const exited = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
        // Each worker says when its schedule is on; then the three share eight seconds of ticks.
        await Promise.all(
          workers.map(
            (worker) =>
              new Promise<void>((resolve, reject) => {
                let output = '';
                const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 90_000);
                const onData = (chunk: Buffer) => {
                  output += chunk.toString();
                  if (output.includes('Groundwork worker running')) {
                    clearTimeout(timer);
                    resolve();
                  }
                };
                worker.stdout.on('data', onData);
                worker.stderr.on('data', onData);
              }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 8_000));
        for (const worker of workers) worker.kill('SIGTERM');
        await Promise.all(exited);
        const runs = await sql<{ startedAt: Date; finishedAt: Date | null; status: string }>`
          select started_at, finished_at, status from collector_runs where collector = 'github'
          order by started_at`.execute(handle.db);
        const ticks = await sql<{ collector: string }>`
          select collector from collector_jobs where collector like 'tick:github-collector:%'`.execute(
          handle.db,
        );
        await handle.close();
        assert.ok(runs.rows.length >= 2, `${runs.rows.length} runs in 8 s of a 3-second schedule`);
        assert.ok(
          runs.rows.length <= ticks.rows.length,
          `${runs.rows.length} runs for ${ticks.rows.length} ticks`,
        );
        for (const [index, run] of runs.rows.entries()) {
          assert.equal(run.status, 'success');
          const next = runs.rows[index + 1];
          if (next) assert.ok(run.finishedAt && run.finishedAt <= next.startedAt, 'runs never overlap');
        }
        // Each tick ran in one process: no two runs started in the same three-second slot.
        const slots = runs.rows.map((run) => Math.floor(run.startedAt.getTime() / 3000));
        assert.equal(new Set(slots).size, slots.length);
      } finally {
        await github.close();
        await scratch?.drop();
      }
    });
  }
});
