import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { teamMetrics } from '../../server/metrics/metrics.service.ts';
import { loadBenchmarks } from '../../server/metrics/tiers.ts';
import { syncOrganization } from '../../server/org/organization-sync.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { runGithubCollector } from './collector.ts';
import { smallOrganization } from './fixtures/small-org.ts';
import { configFor, fastClient, SMALL_ORGANIZATION, snapshot } from './fixtures/test-setup.ts';

const now = new Date('2026-12-05T00:00:00Z');
const clock = fixedClock(now);

let handle: DatabaseHandle;
let server: GithubTestServer;
let config: AppConfig;

const run = () => runGithubCollector({ db: handle.db, config, clock, client: fastClient(config, clock) });

before(async () => {
  handle = await openTestDatabase();
  server = await startGithubTestServer(smallOrganization());
  config = configFor(server.url, SMALL_ORGANIZATION);
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
    const { pages, ...counts } = result.itemCounts;
    assert.ok((pages ?? 0) > 0);
    assert.deepEqual(counts, {
      repositories: 4,
      failedRepositories: 1,
      pullRequests: 6, // payments 4, web 1, legacy 1
      commits: 11, // those the deployments shipped: only what linking needs is read
      deployments: 11, // payments 5, web 2, legacy's 2 successful runs on main, sdk's 2 published releases
      releases: 5, // payments 1, sdk 4 (a prerelease and a draft among them)
      incidents: 3, // payments #20, #21, #23 (#22 was a false alarm)
      deploymentCommits: 11, // 102: 5, 104: 1, 202: 1, 602: 2, 802: 2
      ciRuns: 0, // collected in ci-runs.db.test.ts
      ciJobs: 0,
    });
    const runs = await handle.db.selectFrom('collectorRuns').selectAll().execute();
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.status, 'partial');
    assert.equal(runs[0]?.costPoints, result.costPoints);
    // Every query's points, the missing repository's too, as the server charged them.
    assert.equal(
      result.costPoints,
      server.received.reduce((sum, query) => sum + query.cost, 0),
    );
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
        ['acme/legacy', 1, 'merged', 'l1', false, 1],
        ['acme/payments', 1, 'merged', 's1', false, 2],
        ['acme/payments', 2, 'merged', 'r2b', false, 2],
        ['acme/payments', 3, 'merged', 'm3', true, 1],
        ['acme/payments', 4, 'open', null, false, 1],
        ['acme/web', 1, 'merged', 'w1', false, 1],
      ],
    );
    assert.deepEqual(prs[1]?.firstCommitAuthoredAt, new Date('2026-11-02T08:00:00Z'));
    assert.deepEqual(prs[1]?.firstReviewAt, new Date('2026-11-02T11:00:00Z')); // bo, not ana's own reply
  });

  test('deployments: ever-SUCCESS despite INACTIVE, runs and releases per repository, linked to predecessors', async () => {
    const deployments = await handle.db
      .selectFrom('deployments')
      .select(['externalId', 'source', 'environment', 'status', 'originalStatus', 'finishedAt'])
      .orderBy('externalId')
      .execute();
    assert.deepEqual(
      deployments.map((d) => `${d.source}:${d.externalId}`),
      [
        'github:101',
        'github:102',
        'github:103',
        'github:104',
        'github:105',
        'github:201',
        'github:202',
        // legacy deploys with deploy.yml: its GitHub Deployment 701, the failed run, the branch run and the
        // other workflow's run are not deployments
        'github-actions:601',
        'github-actions:602',
        // sdk deploys by release: not the prerelease, not the draft
        'github-release:801',
        'github-release:802',
      ],
    );
    const byId = new Map(deployments.map((d) => [d.externalId, d]));
    assert.equal(byId.get('102')?.status, 'success');
    assert.equal(byId.get('102')?.originalStatus, 'inactive');
    assert.deepEqual(byId.get('102')?.finishedAt, new Date('2026-11-02T19:20:00Z'));
    assert.equal(byId.get('103')?.status, 'failure');
    assert.deepEqual(byId.get('602')?.finishedAt, new Date('2026-11-04T15:30:00Z'));
    assert.deepEqual(byId.get('802')?.finishedAt, new Date('2026-11-04T21:30:00Z'));
    assert.equal(byId.get('802')?.environment, 'production');
    const links = await handle.db
      .selectFrom('deploymentCommits')
      .innerJoin('deployments', 'deployments.id', 'deploymentCommits.deploymentId')
      .select(['externalId', 'deploymentCommits.sha'])
      .orderBy('externalId')
      .orderBy('deploymentCommits.sha')
      .execute();
    // 101, 201, 601 and 801 are the first deployments: no predecessor, nothing attributed. 102 walks m3 back
    // to c0, and 104 from f1 to m3, in one walk (one history query for payments).
    assert.deepEqual(
      links.map((link) => `${link.externalId}:${link.sha}`),
      [
        '102:d1',
        '102:m3',
        '102:r1b',
        '102:r2b',
        '102:s1',
        '104:f1',
        '202:w1',
        '602:l1',
        '602:l2',
        '802:k1',
        '802:k2',
      ],
    );
    const historyWalks = server.received.filter((q) => q.operationName === 'DeployedCommitHistory');
    assert.deepEqual(historyWalks.map((q) => [q.variables['name'], q.variables['oid']]).sort(), [
      ['legacy', 'l2'],
      ['payments', 'f1'],
      ['sdk', 'k2'],
      ['web', 'w1'],
    ]);
  });

  test('releases are stored with their tag commit, drafts and prereleases flagged', async () => {
    const releases = await handle.db
      .selectFrom('releases')
      .select(['externalId', 'tagName', 'sha', 'isDraft', 'isPrerelease', 'publishedAt'])
      .orderBy('externalId')
      .execute();
    assert.deepEqual(
      releases.map((r) => [
        r.externalId,
        r.tagName,
        r.sha,
        r.isDraft,
        r.isPrerelease,
        r.publishedAt !== null,
      ]),
      [
        ['301', 'v1.0', 'm3', false, false, true],
        ['801', 'v1.0', 'k0', false, false, true],
        ['802', 'v1.1', 'k2', false, false, true],
        ['803', 'v1.2-rc.1', 'k2', false, true, true],
        ['804', 'v2.0', 'k2', true, false, false],
      ],
    );
  });

  test('incidents from labelled issues: start, restore, severity, explicit and inferred causes, team', async () => {
    const incidents = await handle.db
      .selectFrom('incidents')
      .leftJoin('deployments', 'deployments.id', 'incidents.deploymentId')
      .innerJoin('teams', 'teams.id', 'incidents.teamId')
      .select([
        'incidents.externalId',
        'incidents.source',
        'severity',
        'incidents.startedAt',
        'resolvedAt',
        'deployments.externalId as cause',
        'deploymentLink',
        'causeReference',
        'slug',
      ])
      .orderBy('incidents.externalId')
      .execute();
    assert.deepEqual(incidents, [
      {
        externalId: 'acme/payments#20',
        source: 'github',
        severity: 'sev2',
        startedAt: new Date('2026-11-02T20:00:00Z'),
        resolvedAt: new Date('2026-11-02T23:00:00Z'),
        cause: '102', // the latest production deployment of acme/payments in the 24 h before
        deploymentLink: 'inferred',
        causeReference: null,
        slug: 'payments',
      },
      {
        externalId: 'acme/payments#21',
        source: 'github',
        severity: null,
        startedAt: new Date('2026-11-03T14:00:00Z'),
        resolvedAt: new Date('2026-11-03T14:30:00Z'),
        cause: '104', // "deploy:104" in the body
        deploymentLink: 'explicit',
        causeReference: 'acme/payments@104',
        slug: 'payments',
      },
      {
        externalId: 'acme/payments#23',
        source: 'github',
        severity: null,
        startedAt: new Date('2026-11-05T08:00:00Z'), // labelled incident then, opened as a bug on Nov 1
        resolvedAt: null,
        cause: null,
        deploymentLink: null,
        causeReference: null,
        slug: 'payments',
      },
    ]);
  });

  test("team metrics come out as computed by hand, and one team's data does not leak into another's", async () => {
    const ctx = { db: handle.db, org: config.org, benchmarks: loadBenchmarks(), now: () => now };
    const payments = await teamMetrics(ctx, 'payments', { period: '2026-11' });
    // Successful production deployments in November: 101, 102, 104 (103 failed; 105 is staging).
    assert.equal(payments.deploymentFrequency.count, 3);
    // Lead time samples (change start → deployment finish), one per pull request:
    //   102 (finished Nov 2 19:20): d1 committed 17:00 → 2.333 h; r1b and r2b = PR #2 (rebase-merged: r2b is
    //   its merge commit, r1b the recreation of its commit r1), first commit authored 13:00 → 6.333 h, once;
    //   s1 = PR #1, first commit authored 08:00 → 11.333 h; m3 is dependabot's PR: left out.
    //   104 (finished Nov 3 12:30): f1 committed 09:00 → 3.5 h.
    //   Sorted 2.333, 3.5, 6.333, 11.333 → median (3.5 + 6.333) / 2 = 4.917 h, 4 samples.
    assert.equal(payments.leadTime.sampleSize, 4);
    assert.equal(payments.leadTime.medianHours, 4.92);
    assert.equal(payments.leadTime.coverage.fromPullRequests, 2);
    // Change failure rate: 102 (incident #20, inferred) and 104 (#21, explicit) of 101, 102, 104 → 2/3.
    assert.equal(payments.changeFailureRate.failed, 2);
    assert.equal(payments.changeFailureRate.deployments, 3);
    assert.equal(payments.changeFailureRate.rate, 0.6667);
    assert.equal(payments.changeFailureRate.failedByInferenceOnly, 1);
    // Recovery: #20 20:00 → 23:00 = 3 h, #21 14:00 → 14:30 = 0.5 h → median 1.75 h; #23 is open and has no
    // cause, so it counts only among all incidents, as unresolved.
    assert.equal(payments.recoveryTime.sampleSize, 2);
    assert.equal(payments.recoveryTime.medianHours, 1.75);
    assert.equal(payments.recoveryTime.allIncidents.sampleSize, 2);
    assert.equal(payments.recoveryTime.allIncidents.unresolved, 1);

    const web = await teamMetrics(ctx, 'web', { period: '2026-11' });
    // 202 finished Nov 4 12:10; w1 = PR #1, first commit authored 09:00 → 3.1667 h.
    assert.equal(web.leadTime.sampleSize, 1);
    assert.equal(web.leadTime.medianHours, 3.17); // rounded to 2 decimals
    assert.equal(web.deploymentFrequency.count, 2);
    assert.equal(web.changeFailureRate.failed, 0);
    assert.equal(web.recoveryTime.allIncidents.sampleSize, 0);

    const platform = await teamMetrics(ctx, 'platform', { period: '2026-11' });
    // Runs 601, 602 and releases 801, 802.
    assert.equal(platform.deploymentFrequency.count, 4);
    // 602 (finished Nov 4 15:30): l2 committed 15:00 → 0.5 h; l1 = PR #1, first commit authored 11:00 →
    // 4.5 h. 802 (published Nov 4 21:30): k2 20:00 → 1.5 h; k1 18:00 → 3.5 h.
    // Sorted 0.5, 1.5, 3.5, 4.5 → median (1.5 + 3.5) / 2 = 2.5 h.
    assert.equal(platform.leadTime.sampleSize, 4);
    assert.equal(platform.leadTime.medianHours, 2.5);
    assert.equal(platform.leadTime.coverage.fromPullRequests, 1);
  });

  test('a second sync with no changes changes no data row, adds one run and costs 1 point per repository', async () => {
    const before = await snapshot(handle.db);
    const received = server.received.length;
    const restReceived = server.restReceived.length;
    const result = await run();
    assert.ok(result.started);
    assert.deepEqual(await snapshot(handle.db), before);
    assert.equal((await handle.db.selectFrom('collectorRuns').select('id').execute()).length, 2);
    // One combined first-page query per repository (the missing one fails on it), and legacy's runs by REST.
    const queries = server.received.slice(received);
    assert.deepEqual(
      queries.map((q) => [q.operationName, q.variables['name'], q.cost]),
      [
        ['RepositoryFirstPages', 'legacy', 1],
        ['RepositoryFirstPages', 'missing', 1],
        ['RepositoryFirstPages', 'payments', 1],
        ['RepositoryFirstPages', 'sdk', 1],
        ['RepositoryFirstPages', 'web', 1],
      ],
    );
    assert.equal(server.restReceived.length - restReceived, 1);
    // Runs created since 72 h before the newest seen (602, Nov 4 15:10), on the default branch.
    const listing = new URL(server.restReceived.at(-1)?.request.split(' ')[1] ?? '', server.url);
    assert.equal(listing.pathname, '/repos/acme/legacy/actions/workflows/deploy.yml/runs');
    assert.equal(listing.searchParams.get('created'), '>=2026-11-01T15:10:00Z');
    assert.equal(listing.searchParams.get('branch'), 'main');
    assert.equal(listing.searchParams.get('status'), 'success');
    assert.equal(result.costPoints, 5);
  });
});
