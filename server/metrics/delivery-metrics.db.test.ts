import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { parseOrganization } from '../config/config.ts';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import { upsertCommits } from '../db/commits.repository.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { deploymentKey, linkDeploymentCommits, upsertDeployments } from '../db/deployments.repository.ts';
import { upsertIncidents } from '../db/incidents.repository.ts';
import { upsertPullRequests } from '../db/pull-requests.repository.ts';
import type { NewDeployment } from '../db/tables.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { organizationMetrics, teamMetrics, teamSeries } from './metrics.service.ts';
import type { MetricsContext } from './metrics.service.ts';
import { metricSamples } from './samples.service.ts';
import { loadBenchmarks } from './tiers.ts';

// A hand-built month (November 2026: 30 days, four ISO weeks wholly inside it: Nov 2–8, 9–15, 16–22, 23–29)
// for team alpha, with beta's and an unowned service's data around it to prove nothing leaks in.
const org = parseOrganization(
  `organization: acme
teams:
  - { slug: alpha, name: Alpha, repositories: [acme/alpha], services: [alpha-api] }
  - { slug: beta, name: Beta, repositories: [acme/beta] }
  - { slug: gamma, name: Gamma, repositories: [acme/gamma] }
`,
  'fixture',
);
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const hoursBefore = (iso: string, hours: number) => new Date(at(iso).getTime() - hours * HOUR);
const november = { period: '2026-11' };

let handle: DatabaseHandle;
let ctx: MetricsContext;

before(async () => {
  handle = await openTestDatabase();
  const db = handle.db;
  await syncOrganization(db, org, at('2026-10-01T00:00:00Z'));
  const repos = await ensureRepositories(db, ['acme/alpha', 'acme/beta']);
  const alphaRepo = repos.get('acme/alpha') as number;
  const betaRepo = repos.get('acme/beta') as number;
  const now = at('2026-12-05T00:00:00Z');

  // Commits: c1..c30 shipped together by D1 (lead times 1..30 h), e (24 h before D0), x (shipped by the
  // failed D2, then by D3 and again by D4), s (a squash-merge commit of PR #7), b1 for beta.
  const d1Finish = '2026-11-02T10:00:00Z';
  await upsertCommits(db, [
    ...Array.from({ length: 30 }, (_, i) => ({
      repositoryId: alphaRepo,
      sha: `c${i + 1}`,
      committedAt: hoursBefore(d1Finish, i + 1),
    })),
    { repositoryId: alphaRepo, sha: 'e', committedAt: at('2026-10-31T00:00:00Z') },
    { repositoryId: alphaRepo, sha: 'x', committedAt: at('2026-11-05T00:00:00Z') },
    { repositoryId: alphaRepo, sha: 's', committedAt: at('2026-11-06T00:00:00Z') },
    { repositoryId: betaRepo, sha: 'b1', committedAt: at('2026-11-10T00:00:00Z') },
  ]);
  await upsertPullRequests(db, [
    {
      repositoryId: alphaRepo,
      number: 7,
      state: 'merged',
      authorIsBot: false,
      createdAt: at('2026-11-04T12:00:00Z'),
      firstCommitAuthoredAt: at('2026-11-03T12:00:00Z'),
      firstReviewAt: at('2026-11-05T00:00:00Z'),
      mergedAt: at('2026-11-06T00:00:00Z'),
      mergeCommitSha: 's',
      additions: 120,
      deletions: 30,
    },
  ]);

  const deployment = (
    externalId: string,
    finishedAt: string,
    over: Partial<NewDeployment> = {},
  ): NewDeployment => ({
    source: 'fixture',
    externalId,
    repositoryId: alphaRepo,
    environment: 'production',
    status: 'success',
    startedAt: hoursBefore(finishedAt, 1),
    finishedAt: at(finishedAt),
    ...over,
  });
  // Out of order: the later deployments are written first, and the incidents below name deployments
  // (D1, D3) that the second batch writes.
  await upsertIncidents(
    db,
    [
      // I1 and I4 are both caused by D1 (it still counts once as failed); I2 by D3, unresolved.
      {
        source: 'fixture',
        externalId: 'I1',
        service: 'alpha-api',
        startedAt: at('2026-11-02T12:00:00Z'),
        resolvedAt: at('2026-11-02T14:00:00Z'),
        causeDeploymentExternalId: 'D1',
      },
      {
        source: 'fixture',
        externalId: 'I4',
        service: 'alpha-api',
        startedAt: at('2026-11-03T00:00:00Z'),
        resolvedAt: at('2026-11-03T03:00:00Z'),
        causeDeploymentExternalId: 'D1',
      },
      {
        source: 'fixture',
        externalId: 'I2',
        service: 'alpha-api',
        startedAt: at('2026-11-07T00:00:00Z'),
        causeDeploymentExternalId: 'D3',
      },
      // I3 has no deployment: only in allIncidents. I6 starts exactly at the period's end: December's.
      {
        source: 'fixture',
        externalId: 'I3',
        service: 'alpha-api',
        startedAt: at('2026-11-10T00:00:00Z'),
        resolvedAt: at('2026-11-10T06:00:00Z'),
      },
      {
        source: 'fixture',
        externalId: 'I6',
        service: 'alpha-api',
        startedAt: at('2026-12-01T00:00:00Z'),
        resolvedAt: at('2026-12-01T01:00:00Z'),
      },
    ],
    now,
  );
  const later = await upsertDeployments(
    db,
    [
      deployment('D4', '2026-11-08T12:00:00Z', { kind: 'rollback' }),
      deployment('D5', '2026-12-01T00:00:00Z', { kind: 'hotfix' }), // exactly on the edge: December
      deployment('D6', '2026-11-20T09:00:00Z', { service: 'alpha-api' }), // reported without commits
      deployment('S1', '2026-11-03T09:00:00Z', { environment: 'staging' }),
    ],
    now,
  );
  const earlier = await upsertDeployments(
    db,
    [
      deployment('D0', '2026-11-01T00:00:00Z'), // exactly on the edge: November
      deployment('D1', d1Finish),
      deployment('D2', '2026-11-05T12:00:00Z', { status: 'failure' }),
      deployment('D3', '2026-11-06T12:00:00Z'),
      deployment('B1', '2026-11-10T12:00:00Z', { repositoryId: betaRepo }),
      deployment('O1', '2026-11-11T12:00:00Z', { repositoryId: null, service: 'orphan-service' }),
    ],
    now,
  );
  const id = (key: string) =>
    (later.get(deploymentKey('fixture', key)) ?? earlier.get(deploymentKey('fixture', key))) as number;
  await linkDeploymentCommits(db, [
    { deploymentId: id('D0'), repositoryId: alphaRepo, sha: 'e' },
    ...Array.from({ length: 30 }, (_, i) => ({
      deploymentId: id('D1'),
      repositoryId: alphaRepo,
      sha: `c${i + 1}`,
    })),
    { deploymentId: id('D2'), repositoryId: alphaRepo, sha: 'x' },
    { deploymentId: id('D3'), repositoryId: alphaRepo, sha: 'x' },
    { deploymentId: id('D3'), repositoryId: alphaRepo, sha: 's' },
    { deploymentId: id('D4'), repositoryId: alphaRepo, sha: 'x' },
    { deploymentId: id('B1'), repositoryId: betaRepo, sha: 'b1' },
  ]);
  await upsertIncidents(
    db,
    [
      {
        source: 'fixture',
        externalId: 'I5',
        service: 'beta-api',
        teamId: null,
        startedAt: at('2026-11-10T13:00:00Z'),
        causeDeploymentExternalId: 'B1',
        resolvedAt: at('2026-11-10T14:00:00Z'),
      },
    ],
    now,
  );
  ctx = { db, org, benchmarks: loadBenchmarks(), now: () => now };
});
after(async () => handle.close());

describe(`DORA metrics on hand-computed fixtures (${testEngine})`, () => {
  test('deployment frequency: successful production deployments in [from, to)', async () => {
    const { deploymentFrequency } = await teamMetrics(ctx, 'alpha', november);
    // D0 (on the start edge), D1, D3, D4, D6 = 5; not D2 (failed), D5 (on the end edge), S1 (staging).
    // perWeek = 5 / 30 × 7 = 1.1667; perDay = 5 / 30 = 0.1667; active whole weeks: Nov 2–8 and 16–22 of 4.
    assert.deepEqual(deploymentFrequency, {
      count: 5,
      perWeek: 1.17,
      perDay: 0.167,
      activeWeeksShare: 0.5,
      wholeWeeks: 4,
      sampleSize: 5,
      tier: 'high', // DORA 2023: at least weekly, less than daily
    });
  });

  test('lead time: first successful production deployment per change; squash merge starts at the PR', async () => {
    const { leadTime } = await teamMetrics(ctx, 'alpha', november);
    // 33 changes: e (24 h), c1..c30 (1..30 h), x (D3 − its commit = 36 h; D2 failed, D4 is a redeploy),
    // s (D3 − PR #7's first commit on Nov 3 12:00 = 72 h). Sorted: 1..24, 24, 25..30, 36, 72.
    // Median = 17th of 33 = 17; p90 at rank 0.9 × 32 = 28.8 → 28 + 0.8 × (29 − 28) = 28.8.
    assert.equal(leadTime.sampleSize, 33);
    assert.equal(leadTime.medianHours, 17);
    assert.equal(leadTime.p90Hours, 28.8);
    assert.equal(leadTime.tier, 'elite'); // under a day
    assert.deepEqual(leadTime.coverage, {
      deploymentsWithCommits: 4, // D6 came without commits
      deployments: 5,
      share: 0.8,
      fromPullRequests: 1,
      negativeExcluded: 0,
      implausibleStartExcluded: 0,
      implausibleDeploymentExcluded: 0,
    });
    // PR #7: first commit Nov 3 12:00 → opened Nov 4 12:00 → reviewed Nov 5 00:00 → merged Nov 6 00:00 → D3 12:00.
    assert.deepEqual(leadTime.breakdown, {
      coding: { sampleSize: 1, medianHours: 24 },
      pickup: { sampleSize: 1, medianHours: 12 },
      review: { sampleSize: 1, medianHours: 24 },
      deployWait: { sampleSize: 1, medianHours: 12 },
    });
  });

  test('change failure rate: deployments that caused at least one incident', async () => {
    const { changeFailureRate } = await teamMetrics(ctx, 'alpha', november);
    // D1 (I1, I4) and D3 (I2) of 5 → 0.4; 2023 "low" is above 15%.
    assert.deepEqual(changeFailureRate, {
      rate: 0.4,
      failed: 2,
      deployments: 5,
      failedByInferenceOnly: 0,
      tier: 'low',
    });
  });

  test('recovery time: deployment-caused incidents by start; all incidents alongside; unresolved counted', async () => {
    const { recoveryTime } = await teamMetrics(ctx, 'alpha', november);
    // Caused and resolved: I1 2 h, I4 3 h → median 2.5, p90 2 + 0.9 × 1 = 2.9; I2 unresolved.
    // All: I1 2, I4 3, I3 6 → median 3, p90 at rank 1.8 → 3 + 0.8 × 3 = 5.4. I6 starts in December.
    assert.deepEqual(recoveryTime, {
      medianHours: 2.5,
      p90Hours: 2.9,
      sampleSize: 2,
      unresolved: 1,
      allIncidents: { medianHours: 3, p90Hours: 5.4, sampleSize: 3, unresolved: 1 },
      tier: null,
      tierReason: 'fewer than 5 samples (2); a tier would be noise',
      smallSample: true,
    });
  });

  test('rework rate: hotfix and rollback deployments', async () => {
    const { reworkRate } = await teamMetrics(ctx, 'alpha', november);
    assert.deepEqual(reworkRate, { rate: 0.2, reworkDeployments: 1, deployments: 5 }); // D4; D5 is December's
  });

  test('the end edge belongs to the next period', async () => {
    const december = await teamMetrics(ctx, 'alpha', { period: '2026-12' });
    assert.equal(december.deploymentFrequency.count, 1);
    assert.equal(december.reworkRate.reworkDeployments, 1);
    assert.equal(december.recoveryTime.allIncidents.sampleSize, 1);
  });

  test('a team with no production deployments gets nulls with reasons, never 0 or NaN rates', async () => {
    const gamma = await teamMetrics(ctx, 'gamma', november);
    assert.equal(gamma.deploymentFrequency.count, 0);
    assert.equal(gamma.deploymentFrequency.tier, null);
    assert.equal(gamma.leadTime.medianHours, null);
    assert.equal(gamma.leadTime.reason, 'no successful production deployments in the period');
    assert.equal(gamma.changeFailureRate.rate, null);
    assert.equal(gamma.recoveryTime.medianHours, null);
    assert.equal(gamma.reworkRate.rate, null);
    assert.doesNotMatch(JSON.stringify(gamma), /NaN/);
  });

  test("another team's data does not leak in, and the organisation pools every sample", async () => {
    const beta = await teamMetrics(ctx, 'beta', november);
    assert.equal(beta.deploymentFrequency.count, 1);
    assert.equal(beta.leadTime.sampleSize, 1); // b1: Nov 10 00:00 → 12:00
    assert.equal(beta.leadTime.medianHours, 12);
    assert.equal(beta.changeFailureRate.failed, 1);
    const { organization, teams } = await organizationMetrics(ctx, { ...november, groupBy: 'team' });
    assert.equal(organization.deploymentFrequency.count, 7); // alpha 5 + beta 1 + the unowned O1
    assert.equal(organization.leadTime.sampleSize, 34); // pooled changes, not a mean of medians
    // alpha's 1..30, 24, 36, 72 plus beta's 12: the 17th and 18th of 34 sorted values are 16 and 17.
    assert.equal(organization.leadTime.medianHours, 16.5);
    assert.deepEqual(
      teams?.map((t) => [t.team, t.deploymentFrequency.count]),
      [
        ['alpha', 5],
        ['beta', 1],
        ['gamma', 0],
      ],
    );
  });

  test('weekly series: each point computed like the headline figure', async () => {
    const series = await teamSeries(ctx, 'alpha', november);
    assert.deepEqual(
      series.points.map((p) => [p.week, p.deploymentFrequency.count]),
      [
        ['2026-10-26', 1], // D0 on Sunday Nov 1, the week clipped to the period
        ['2026-11-02', 3],
        ['2026-11-09', 0],
        ['2026-11-16', 1],
        ['2026-11-23', 0],
        ['2026-11-30', 0],
      ],
    );
    assert.equal(series.points[1]?.leadTime.sampleSize, 32); // c1..c30, x, s
  });

  test('drill-down returns the rows behind a figure, with the start each change used', async () => {
    const page = await metricSamples(ctx, 'alpha', 'leadTime', november);
    assert.equal(page.total, 33);
    const squash = page.samples.find((s) => s['sha'] === 's');
    assert.equal(squash?.['startKind'], 'pull_request_first_commit');
    assert.equal(squash?.['leadTimeHours'], 72);
    assert.equal(squash?.['pullRequestNumber'], 7);
    const incidents = await metricSamples(ctx, 'alpha', 'recoveryTime', november);
    assert.deepEqual(
      incidents.samples.map((s) => [s['externalId'], s['recoveryHours'], s['deploymentExternalId']]),
      [
        ['I1', 2, 'D1'],
        ['I4', 3, 'D1'],
        ['I2', null, 'D3'],
        ['I3', 6, null],
      ],
    );
  });
});
