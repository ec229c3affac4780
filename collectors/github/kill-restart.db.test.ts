// `groundwork collect github` killed with SIGKILL mid-sync, then run again: the restarted run takes over the
// dead process's lease at once, resumes from the saved cursors, and the rows equal a clean sync's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { fixedClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import type { Database } from '../../server/db/tables.ts';
import { binPath, cleanEnv } from '../../test/cli-process.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { createPostgresScratchDatabase, testEngine } from '../../test/test-database.ts';
import { createGithubClient } from '../shared/github-client.ts';
import { runGithubCollector } from './collector.ts';
import { generatedOrganization } from './fixtures/generated-org.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'groundwork-kill-'));
const dataDir = path.join(work, 'data');
let scratch: Awaited<ReturnType<typeof createPostgresScratchDatabase>> = null;
let databaseUrl: string | null = null;
let server: GithubTestServer;

before(async () => {
  // 1 repository, 60 PRs, one commit each on main, a deployment after every 10th merge.
  server = await startGithubTestServer(generatedOrganization(1, 60));
  writeFileSync(
    path.join(work, 'groundwork.yaml'),
    'organization: big\nteams: []\nsources:\n  github:\n    repositories: [big/repo-0]\n',
  );
  // The child opens embedded PGlite here; a copy of the runner's migrated template spares it a migration.
  scratch = await createPostgresScratchDatabase('gw_kill');
  databaseUrl = scratch?.url ?? null;
  const template = process.env['GROUNDWORK_TEST_PGLITE_TEMPLATE'];
  if (!scratch && template) {
    cpSync(path.join(template, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
  }
});
after(async () => {
  await server.close();
  await scratch?.drop();
});

const env = () => ({
  GITHUB_API_URL: server.url,
  GITHUB_TOKEN: 'test-token',
  GROUNDWORK_DATA_DIR: dataDir,
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});

/** `groundwork collect github` in a child process, SIGKILLed as the server receives request `killAt`. */
function collectKilledAt(killAt: number): Promise<{ signal: string | null; output: string }> {
  const child = spawn(process.execPath, [binPath, 'collect', 'github'], { cwd: work, env: cleanEnv(env()) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.onRequest = (count) => {
    if (count === killAt) child.kill('SIGKILL');
  };
  return new Promise((resolve) => child.once('exit', (_code, signal) => resolve({ signal, output })));
}

const count = async (db: Kysely<Database>, table: string) =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]?.n,
  );

describe(`groundwork collect github, killed mid-sync and restarted (${testEngine})`, () => {
  test('the restarted run resumes from the cursor and the row counts equal a clean sync', async () => {
    // The 2nd request is the second page of pull requests: the first page and its cursor are committed.
    const killed = await collectKilledAt(2);
    assert.equal(killed.signal, 'SIGKILL', killed.output);
    server.onRequest = null;
    const resumedFrom = server.received.length;

    // The restart: a new process (this one) on the same database and configuration.
    const handle = await openDatabase({ url: databaseUrl, dataDir, role: 'test' });
    try {
      const config = loadConfig({ env: env(), cwd: work, fallbackOrganization: () => assert.fail() });
      const clock = fixedClock(new Date('2026-12-05T00:00:00Z'));
      const client = createGithubClient({
        baseUrl: server.url,
        token: 'test-token',
        clock,
        sleep: async () => undefined,
        minRequestSpacingMs: 0,
      });
      const restarted = await runGithubCollector({ db: handle.db, config, clock, client });
      assert.ok(restarted.started, 'the dead process no longer holds the job');
      assert.equal(restarted.status, 'success');
      // It resumed: the pull-request walk went on from its cursor instead of starting over.
      const prPages = server.received
        .slice(resumedFrom)
        .filter((q) => q.operationName === 'PullRequestsPage');
      assert.ok(prPages.length > 0, 'more pull requests were read');
      assert.ok(
        prPages.every((q) => q.variables['cursor']),
        'continued after the saved cursor',
      );

      // Clean-sync counts: 60 PRs, 6 deployments, 5 × 10 shipped commits (the first has no predecessor),
      // which are the only commits stored.
      assert.deepEqual(
        {
          pullRequests: await count(handle.db, 'pull_requests'),
          commits: await count(handle.db, 'commits'),
          deployments: await count(handle.db, 'deployments'),
          deploymentCommits: await count(handle.db, 'deployment_commits'),
        },
        { pullRequests: 60, commits: 50, deployments: 6, deploymentCommits: 50 },
      );
      const runs = await handle.db
        .selectFrom('collectorRuns')
        .select(['status', 'error'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        runs.map((run) => run.status),
        ['failed', 'success'],
      );
      assert.match(runs[0]?.error ?? '', /abandoned/);
    } finally {
      await handle.close();
    }
  });
});
