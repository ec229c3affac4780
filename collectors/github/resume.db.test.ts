import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixedClock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { runGithubCollector } from './collector.ts';
import { generatedOrganization } from './fixtures/generated-org.ts';
import { configFor, fastClient, snapshot } from './fixtures/test-setup.ts';

// 3 repositories × 350 squash-merged PRs (1,050), one commit each on main, a deployment after every 10th.
// Requests: the owner listing, then per repository its first page, 4 more pull-request pages, a second
// deployment page and the history walks linking deployments to commits.
const REPOSITORIES = 3;
const PULL_REQUESTS = 350;
const clock = fixedClock(new Date('2026-12-05T00:00:00Z'));

let handle: DatabaseHandle;
let server: GithubTestServer;
let config: AppConfig;

before(async () => {
  handle = await openTestDatabase();
  // big/* also matches an archived repository, which is not collected.
  const archived = {
    nameWithOwner: 'big/attic',
    isArchived: true,
    history: [],
    pullRequests: [],
    deployments: [],
  };
  server = await startGithubTestServer([...generatedOrganization(REPOSITORIES, PULL_REQUESTS), archived]);
  config = configFor(server.url, {
    organization: 'big',
    teams: [],
    sources: { github: { repositories: ['big/*'] } },
  });
});
after(async () => {
  await server.close();
  await handle.close();
});

function run(signal?: AbortSignal) {
  const client = fastClient(config, clock);
  return runGithubCollector({ db: handle.db, config, clock, client, ...(signal ? { signal } : {}) });
}

async function counts() {
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(handle.db))
        .rows[0]?.n,
    );
  return {
    pullRequests: await count('pull_requests'),
    commits: await count('commits'),
    deployments: await count('deployments'),
    deploymentCommits: await count('deployment_commits'),
  };
}

describe(`GitHub collector: 1,050 PRs, a crash mid-sync, a resumed run and a no-change run (${testEngine})`, () => {
  test('stopped mid-sync (the 5th request), then restarted: row counts equal a clean sync', async () => {
    const controller = new AbortController();
    server.onRequest = (count) => {
      // repository 0's third pull-request page
      if (count === 5) controller.abort(new Error('killed mid-sync'));
    };
    await assert.rejects(run(controller.signal), /killed mid-sync/);
    server.onRequest = null;
    const partial = await counts();
    assert.ok(
      partial.pullRequests > 0 && partial.pullRequests < REPOSITORIES * PULL_REQUESTS,
      JSON.stringify(partial),
    );
    const pending = await handle.db
      .selectFrom('syncState')
      .select('scope')
      .where('cursor', 'is not', null)
      .execute();
    assert.ok(pending.length > 0, 'a walk was left pending with its cursor');

    const resumed = await run();
    assert.ok(resumed.started);
    assert.equal(resumed.status, 'success');
    const repositories = await handle.db
      .selectFrom('repositories')
      .select('fullName')
      .orderBy('fullName')
      .execute();
    assert.deepEqual(
      repositories.map((r) => r.fullName),
      ['big/repo-0', 'big/repo-1', 'big/repo-2'],
    );
    // A clean sync: 1,050 PRs, 105 deployments; each deployment but a repository's first ships the 10
    // commits since the previous one: 3 × 34 × 10 = 1,020 links, and only those commits are stored.
    assert.deepEqual(await counts(), {
      pullRequests: 1050,
      commits: 1020,
      deployments: 105,
      deploymentCommits: 1020,
    });
    const runs = await handle.db
      .selectFrom('collectorRuns')
      .select(['status', 'error'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      runs.map((r) => r.status),
      ['failed', 'success'],
    );
  });

  test('a second sync with no changes: no row changes, one more run, at most 2 points per repository', async () => {
    const before = await snapshot(handle.db);
    const result = await run();
    assert.ok(result.started);
    assert.deepEqual(await snapshot(handle.db), before);
    assert.equal((await handle.db.selectFrom('collectorRuns').select('id').execute()).length, 3);
    // listing the owner's repositories (1 point), then one first-page query per repository
    assert.ok(result.costPoints <= 1 + 2 * REPOSITORIES, `cost ${result.costPoints}`);
    assert.equal(result.costPoints, 1 + REPOSITORIES);
  });
});
