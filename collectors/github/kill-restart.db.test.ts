// `groundwork collect github` killed with SIGKILL mid-sync, then run again: the second run takes over the
// dead process's lease at once, resumes from the saved cursors, and the rows equal a clean sync's.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../server/db/database.ts';
import { binPath, cleanEnv } from '../../test/cli-process.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { testEngine } from '../../test/test-database.ts';
import { generatedOrganization } from './fixtures/small-org.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'groundwork-kill-'));
const adminUrl = process.env['DATABASE_URL'];
const databaseName = `gw_kill_${process.pid}`;
let databaseUrl: string | null = null;
let server: GithubTestServer;

before(async () => {
  // 1 repository, 30 PRs, 30 commits on main, a deployment after every 10th merge.
  server = await startGithubTestServer(generatedOrganization(1, 30));
  writeFileSync(
    path.join(work, 'groundwork.yaml'),
    'organization: big\nteams: []\nsources:\n  github:\n    repositories: [big/repo-0]\n',
  );
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${databaseName}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
  }
});
after(async () => {
  await server.close();
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${databaseName}`);
    await admin.end();
  }
});

function collect(
  killAtRequest: number | null,
): Promise<{ code: number | null; signal: string | null; output: string }> {
  const env = cleanEnv({
    GITHUB_API_URL: server.url,
    GITHUB_TOKEN: 'test-token',
    GROUNDWORK_DATA_DIR: path.join(work, 'data'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const child = spawn(process.execPath, [binPath, 'collect', 'github'], { cwd: work, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.onRequest = (count) => {
    if (count === killAtRequest) child.kill('SIGKILL');
  };
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
}

describe(`groundwork collect github, killed mid-sync and restarted (${testEngine})`, () => {
  test('the restarted run resumes and the row counts equal a clean sync', async () => {
    // The 2nd request is the second page of pull requests: the first page and its cursor are committed.
    const killed = await collect(2);
    assert.equal(killed.signal, 'SIGKILL', killed.output);
    const resumedFrom = server.received.length;
    const restarted = await collect(null);
    assert.equal(restarted.code, 0, restarted.output);
    assert.match(restarted.output, /GitHub collector run \d+: success/);
    // It resumed: the pull-request walk went on from its cursor instead of starting over.
    const prPages = server.received.slice(resumedFrom).filter((q) => q.operationName === 'PullRequestsPage');
    assert.equal(prPages.length, 1);
    assert.ok(prPages[0]?.variables['cursor'], 'continued after the saved cursor');

    const handle = await openDatabase({ url: databaseUrl, dataDir: path.join(work, 'data'), role: 'test' });
    try {
      const count = async (table: string) =>
        Number(
          (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(handle.db))
            .rows[0]?.n,
        );
      // Clean-sync counts: 30 PRs, 30 commits, 3 deployments, 2 × 10 shipped commits (the first has no predecessor).
      assert.deepEqual(
        {
          pullRequests: await count('pull_requests'),
          commits: await count('commits'),
          deployments: await count('deployments'),
          deploymentCommits: await count('deployment_commits'),
        },
        { pullRequests: 30, commits: 30, deployments: 3, deploymentCommits: 20 },
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
