import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixedClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config/config.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { ConfigFile } from '../../server/config/config.schema.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { teamMetrics } from '../../server/metrics/metrics.service.ts';
import { loadBenchmarks } from '../../server/metrics/tiers.ts';
import { syncOrganization } from '../../server/org/organization-sync.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { createGithubClient } from '../shared/github-client.ts';
import { runGithubCollector } from './collector.ts';
import type { GithubRunContext } from './collector.ts';
import { smallOrganization } from './fixtures/small-org.ts';

const now = new Date('2026-12-05T00:00:00Z');
const clock = fixedClock(now);
const ORGANIZATION: ConfigFile = {
  organization: 'acme',
  teams: [
    { slug: 'payments', name: 'Payments', repositories: ['acme/payments'] },
    { slug: 'web', name: 'Web', repositories: ['acme/web'] },
  ],
  sources: { github: { repositories: ['acme/payments', 'acme/web', 'acme/missing'] } },
};

let handle: DatabaseHandle;
let server: GithubTestServer;
let config: AppConfig;

export function configFor(serverUrl: string, organization: ConfigFile): AppConfig {
  return loadConfig({
    env: { GITHUB_API_URL: serverUrl, GITHUB_TOKEN: 'test-token' },
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-github-')),
    fallbackOrganization: () => organization,
  });
}

function run(extra: Partial<GithubRunContext> = {}) {
  const client = createGithubClient({
    baseUrl: config.github.apiUrl,
    token: config.github.token,
    clock,
    sleep: async () => undefined,
    minRequestSpacingMs: 0,
  });
  return runGithubCollector({ db: handle.db, config, clock, client, ...extra });
}

/** Every data row the collector writes, for before/after comparisons. */
async function snapshot() {
  const tables = [
    'repositories',
    'pull_requests',
    'commits',
    'deployments',
    'deployment_commits',
    'sync_state',
  ];
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    rows[table] = (
      await sql<unknown>`select * from ${sql.table(table)} order by 1, 2`.execute(handle.db)
    ).rows;
  }
  return rows;
}

before(async () => {
  handle = await openTestDatabase();
  server = await startGithubTestServer(smallOrganization());
  config = configFor(server.url, ORGANIZATION);
  await syncOrganization(handle.db, config.org, new Date('2026-10-01T00:00:00Z'));
});
after(async () => {
  await server.close();
  await handle.close();
});

describe(`GitHub collector over a small organisation (${testEngine})`, () => {
  test('a first sync: a missing repository fails alone, the others are collected and the run is recorded', async () => {
    const result = await run();
    assert.ok(result.started);
    assert.equal(result.status, 'partial');
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0] ?? '', /^acme\/missing: /);
    assert.equal(result.itemCounts['repositories'], 2);
    assert.equal(result.itemCounts['failedRepositories'], 1);
    assert.equal(result.itemCounts['pullRequests'], 5);
    assert.equal(result.itemCounts['deployments'], 7);
    const runs = await handle.db.selectFrom('collectorRuns').selectAll().execute();
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.status, 'partial');
    assert.equal(runs[0]?.costPoints, result.costPoints);
    assert.ok(result.costPoints > 0);
  });

  test('pull requests: squash and rebase merges, first commit, first non-author review, bots', async () => {
    const prs = await handle.db
      .selectFrom('pullRequests')
      .innerJoin('repositories', 'repositories.id', 'pullRequests.repositoryId')
      .select([
        'fullName',
        'number',
        'state',
        'mergeCommitSha',
        'firstCommitAuthoredAt',
        'firstReviewAt',
        'authorIsBot',
        'commitCount',
      ])
      .orderBy('fullName')
      .orderBy('number')
      .execute();
    assert.deepEqual(
      prs.map((pr) => [pr.fullName, pr.number, pr.state, pr.mergeCommitSha, pr.authorIsBot, pr.commitCount]),
      [
        ['acme/payments', 1, 'merged', 's1', false, 2],
        ['acme/payments', 2, 'merged', 'r2b', false, 2],
        ['acme/payments', 3, 'merged', 'm3', true, 1],
        ['acme/payments', 4, 'open', null, false, 1],
        ['acme/web', 1, 'merged', 'w1', false, 1],
      ],
    );
    assert.deepEqual(prs[0]?.firstCommitAuthoredAt, new Date('2026-11-02T08:00:00Z'));
    assert.deepEqual(prs[0]?.firstReviewAt, new Date('2026-11-02T11:00:00Z')); // bo, not ana's own reply
  });

  test('deployments: ever-SUCCESS despite INACTIVE and shuffled statuses, linked back to the predecessor', async () => {
    const deployments = await handle.db
      .selectFrom('deployments')
      .select(['id', 'externalId', 'source', 'status', 'originalStatus', 'finishedAt', 'commitsTruncated'])
      .orderBy('externalId')
      .execute();
    const byId = new Map(deployments.map((d) => [d.externalId, d]));
    assert.ok(deployments.every((d) => d.source === 'github'));
    assert.equal(byId.get('102')?.status, 'success');
    assert.equal(byId.get('102')?.originalStatus, 'inactive');
    assert.deepEqual(byId.get('102')?.finishedAt, new Date('2026-11-02T19:20:00Z'));
    assert.equal(byId.get('103')?.status, 'failure');
    const links = await handle.db
      .selectFrom('deploymentCommits')
      .innerJoin('deployments', 'deployments.id', 'deploymentCommits.deploymentId')
      .select(['externalId', 'deploymentCommits.sha'])
      .orderBy('externalId')
      .orderBy('deploymentCommits.sha')
      .execute();
    // 101 and 201 are the first deployments: no predecessor, nothing attributed. 102 walks m3 back to c0.
    assert.deepEqual(
      links.map((link) => `${link.externalId}:${link.sha}`),
      ['102:d1', '102:m3', '102:r1b', '102:r2b', '102:s1', '104:f1', '202:w1'],
    );
  });

  test("team metrics come out as computed by hand, and web's data does not leak into payments'", async () => {
    const ctx = { db: handle.db, org: config.org, benchmarks: loadBenchmarks(), now: () => now };
    const payments = await teamMetrics(ctx, 'payments', { period: '2026-11' });
    // Successful production deployments in November: 101, 102, 104 (103 failed; 105 is staging).
    assert.equal(payments.deploymentFrequency.count, 3);
    // Lead time samples (change start → deployment finish):
    //   102 (finished Nov 2 19:20): d1 committed 17:00 → 2.333 h; r2b = PR #2, first commit authored 13:00
    //   → 6.333 h; r1b committed 16:00 → 3.333 h; s1 = PR #1, first commit authored 08:00 → 11.333 h;
    //   m3 is dependabot's PR: left out.
    //   104 (finished Nov 3 12:30): f1 committed 09:00 → 3.5 h.
    //   Sorted 2.333, 3.333, 3.5, 6.333, 11.333 → median 3.5 h, 5 samples.
    assert.equal(payments.leadTime.sampleSize, 5);
    assert.equal(payments.leadTime.medianHours, 3.5);
    assert.equal(payments.leadTime.coverage.fromPullRequests, 2);
    // Change failure rate counts successful deployments that caused an incident: none are collected here, so
    // 0 of 3 (the failed deployment 103 is not a "change failure" in DORA's sense).
    assert.equal(payments.changeFailureRate.failed, 0);
    assert.equal(payments.changeFailureRate.deployments, 3);
    const web = await teamMetrics(ctx, 'web', { period: '2026-11' });
    // 202 finished Nov 4 12:10; w1 = PR #1, first commit authored 09:00 → 3.1667 h.
    assert.equal(web.leadTime.sampleSize, 1);
    assert.equal(web.leadTime.medianHours, 3.17); // rounded to 2 decimals
    assert.equal(web.deploymentFrequency.count, 2);
  });

  test('a second sync with no changes changes no data row, adds one run and costs 1 point per repository', async () => {
    const before = await snapshot();
    const received = server.received.length;
    const result = await run();
    assert.ok(result.started);
    assert.deepEqual(await snapshot(), before);
    assert.equal((await handle.db.selectFrom('collectorRuns').select('id').execute()).length, 2);
    const queries = server.received.slice(received);
    // one combined first-page query per existing repository; the missing one fails before it is charged more
    assert.deepEqual(
      queries.map((q) => [q.operationName, q.variables['name'], q.cost]),
      [
        ['RepositoryFirstPages', 'missing', 1],
        ['RepositoryFirstPages', 'payments', 1],
        ['RepositoryFirstPages', 'web', 1],
      ],
    );
    assert.equal(result.costPoints, 2);
  });

  test('an incremental sync picks up a new PR, commit and deployment, linked to the previous one', async () => {
    const payments = server.repositories[0];
    assert.ok(payments);
    payments.history.unshift({
      oid: 'n5',
      authoredDate: '2026-11-05T08:00:00Z',
      committedDate: '2026-11-05T10:00:00Z',
    });
    payments.pullRequests.push({
      number: 5,
      state: 'MERGED',
      createdAt: '2026-11-05T09:00:00Z',
      updatedAt: '2026-11-05T10:00:00Z',
      mergedAt: '2026-11-05T10:00:00Z',
      closedAt: '2026-11-05T10:00:00Z',
      author: { login: 'bo', __typename: 'User' },
      mergeCommitOid: 'n5',
      commits: [{ oid: 'n5a', authoredDate: '2026-11-05T08:00:00Z', committedDate: '2026-11-05T08:00:00Z' }],
    });
    payments.deployments.push({
      databaseId: 106,
      environment: 'production',
      createdAt: '2026-11-05T11:00:00Z',
      commitOid: 'n5',
      statuses: [{ state: 'SUCCESS', createdAt: '2026-11-05T11:30:00Z' }],
    });
    // A late status on an old deployment inside the look-back window: 104 is auto-inactivated, still a success.
    payments.deployments
      .find((d) => d.databaseId === 104)
      ?.statuses.push({ state: 'INACTIVE', createdAt: '2026-11-05T11:30:00Z' });
    const result = await run({ repository: 'acme/payments' });
    assert.ok(result.started);
    assert.equal(result.status, 'success');
    const d106 = await handle.db
      .selectFrom('deploymentCommits')
      .innerJoin('deployments', 'deployments.id', 'deploymentCommits.deploymentId')
      .select('deploymentCommits.sha')
      .where('externalId', '=', '106')
      .execute();
    assert.deepEqual(
      d106.map((row) => row.sha),
      ['n5'],
    );
    const d104 = await handle.db
      .selectFrom('deployments')
      .select(['status', 'originalStatus'])
      .where('externalId', '=', '104')
      .executeTakeFirstOrThrow();
    assert.deepEqual(d104, { status: 'success', originalStatus: 'inactive' });
    assert.equal((await handle.db.selectFrom('pullRequests').select('id').execute()).length, 6);
  });

  test('runs never overlap: a held lease refuses a second run until it expires', async () => {
    const results = await Promise.all([run(), run()]);
    assert.deepEqual(results.map((r) => r.started).sort(), [false, true]);
    const refused = results.find((r) => !r.started);
    assert.ok(refused && !refused.started);
    assert.match(refused.reason, /holds the job/);
  });
});
