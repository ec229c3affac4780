import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOpenApp } from '../../test/auth-app.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { parseOrganization } from '../config/config.ts';
import { upsertCiRuns } from '../db/ci-runs.repository.ts';
import type { NewCiRun } from '../db/ci-tables.ts';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { organizationMetrics, teamMetrics, teamSeries } from './metrics.service.ts';
import type { MetricsContext } from './metrics.service.ts';
import { metricReader } from './registry.ts';
import { metricSamples } from './samples.service.ts';
import { loadBenchmarks } from './tiers.ts';

// A hand-built November 2026 (ISO weeks Nov 2–8, 9–15, 16–22, 23–29) of CI runs. alpha owns acme/alpha;
// acme/moving is alpha's until Nov 16, then beta's (the configuration changes on Dec 1 with effectiveFrom
// Nov 16); beta owns acme/beta. Pipeline `ci` of acme/alpha, minutes after each time in brackets:
//   r1  PR      success               queued 10:00, started 10:02, finished 10:12  [dur 10, queue 2]
//   r2  PR      failure, re-run passes  a1: 10:00/10:01/10:21 [dur 20, queue 1]; a2: –/11:00/11:30 [dur 30]
//   r3  main    failure  Nov 5         09:00/09:00/09:40 [dur 40, queue 0]  → red from 09:40
//   r4  main    cancelled              10:00/10:01/10:05 [no duration, queue 1]
//   r5  main    success  Nov 5         12:00/12:00/12:40 [dur 40, queue 0]  → green at 12:40: 3 h
//   r6  main    success, spans midnight Sun Nov 8 23:50/23:55 → Mon 00:25 [dur 30, queue 5], week of Nov 2
//   r7  main    failure  Nov 20        09:58/10:00/10:50 [dur 50, queue 2]  → red, never green again
//   m1  acme/moving PR success Nov 10  10:00/10:00/10:06 [dur 6, queue 0]  → alpha
//   m2  acme/moving PR failure Nov 17  10:00/10:03/10:13 [dur 10, queue 3] → beta (after the move)
//   b1  acme/beta   PR success Nov 12  [dur 100, queue 0]                   → beta
//   o1  acme/alpha  main success Oct 31 [dur 939]: before the period (green before r3)
const orgBefore = parseOrganization(
  `organization: acme
teams:
  - { slug: alpha, name: Alpha, repositories: [acme/alpha, acme/moving] }
  - { slug: beta, name: Beta, repositories: [acme/beta] }
`,
  'fixture',
);
const orgAfter = parseOrganization(
  `organization: acme
teams:
  - { slug: alpha, name: Alpha, repositories: [acme/alpha] }
  - { slug: beta, name: Beta, repositories: [acme/beta, { name: acme/moving, effectiveFrom: "2026-11-16" }] }
`,
  'fixture',
);
const at = (iso: string) => new Date(iso);
const november = { period: '2026-11' };

let handle: DatabaseHandle;
let ctx: MetricsContext;
let rows: NewCiRun[];

before(async () => {
  handle = await openTestDatabase();
  const db = handle.db;
  await syncOrganization(db, orgBefore, at('2026-10-01T00:00:00Z'));
  const repos = await ensureRepositories(db, ['acme/alpha', 'acme/moving', 'acme/beta']);
  const attempt = (
    run: string,
    repository: string,
    branchKind: NewCiRun['branchKind'],
    conclusion: 'success' | 'failure' | 'cancelled',
    [queued, started, finished]: [string | null, string, string],
    over: Partial<NewCiRun> = {},
  ): NewCiRun => ({
    source: 'github-actions',
    externalId: run,
    attempt: 1,
    repositoryId: repos.get(repository) as number,
    pipeline: 'ci',
    event: branchKind === 'pull_request' ? 'pull_request' : 'push',
    branch: branchKind === 'default_branch' ? 'main' : 'feature',
    branchKind,
    sha: null,
    status: 'completed',
    conclusion,
    originalConclusion: conclusion,
    runCreatedAt: at(queued ?? started),
    queuedAt: queued ? at(queued) : null,
    startedAt: at(started),
    finishedAt: at(finished),
    url: null,
    teamId: null,
    teamAttribution: null,
    ...over,
  });
  const day = (date: string, times: [string | null, string, string]) =>
    times.map((time) => (time ? `2026-11-${date}T${time}:00Z` : null)) as [string | null, string, string];
  rows = [
    attempt('r1', 'acme/alpha', 'pull_request', 'success', day('03', ['10:00', '10:02', '10:12'])),
    attempt('r2', 'acme/alpha', 'pull_request', 'failure', day('04', ['10:00', '10:01', '10:21'])),
    attempt('r2', 'acme/alpha', 'pull_request', 'success', day('04', [null, '11:00', '11:30']), {
      attempt: 2,
      runCreatedAt: at('2026-11-04T10:00:00Z'),
    }),
    attempt('r3', 'acme/alpha', 'default_branch', 'failure', day('05', ['09:00', '09:00', '09:40'])),
    attempt('r4', 'acme/alpha', 'default_branch', 'cancelled', day('05', ['10:00', '10:01', '10:05'])),
    attempt('r5', 'acme/alpha', 'default_branch', 'success', day('05', ['12:00', '12:00', '12:40'])),
    attempt('r6', 'acme/alpha', 'default_branch', 'success', [
      '2026-11-08T23:50:00Z',
      '2026-11-08T23:55:00Z',
      '2026-11-09T00:25:00Z',
    ]),
    attempt('r7', 'acme/alpha', 'default_branch', 'failure', day('20', ['09:58', '10:00', '10:50'])),
    attempt('m1', 'acme/moving', 'pull_request', 'success', day('10', ['10:00', '10:00', '10:06'])),
    attempt('m2', 'acme/moving', 'pull_request', 'failure', day('17', ['10:00', '10:03', '10:13'])),
    attempt('b1', 'acme/beta', 'pull_request', 'success', day('12', ['10:00', '10:00', '11:40'])),
    attempt('o1', 'acme/alpha', 'default_branch', 'success', [
      '2026-10-31T08:00:00Z',
      '2026-10-31T08:00:00Z',
      '2026-10-31T23:39:00Z',
    ]),
  ];
  await upsertCiRuns(db, rows, at('2026-12-01T00:00:00Z'));
  // The configuration moves acme/moving to beta from Nov 16: m2 is re-attributed, m1 stays alpha's.
  await syncOrganization(db, orgAfter, at('2026-12-01T00:00:00Z'));
  ctx = { db, org: orgAfter, benchmarks: loadBenchmarks(), now: () => at('2026-12-05T00:00:00Z') };
});
after(async () => handle.close());

describe(`CI measures (${testEngine})`, () => {
  test("alpha's November: durations, queue, failure and flaky rates, time to green", async () => {
    const { ci } = await teamMetrics(ctx, 'alpha', november);
    assert.deepEqual(ci, {
      // r1 r2a1 r2a2 r3 r5 r6 r7 m1 passed or failed (r4 was cancelled; o1 is October's, m2 beta's).
      sampleSize: 8,
      // 6 10 20 30 30 40 40 50: median (30+30)/2; p90 at rank 0.9×7 = 6.3 → 40 + 0.3×(50−40) = 43.
      durationMedianMinutes: 30,
      durationP90Minutes: 43,
      // PR 6 10 20 30: median 15, p90 at 2.7 → 20 + 0.7×10 = 27. Main 30 40 40 50: 40, 40 + 0.7×10 = 47.
      pullRequest: { medianMinutes: 15, p90Minutes: 27, sampleSize: 4 },
      defaultBranch: { medianMinutes: 40, p90Minutes: 47, sampleSize: 4 },
      // r2a2 has no queue time (GitHub does not say when a re-run queued): 0 0 0 1 1 2 2 5 (r4 counts).
      queueMedianMinutes: 1,
      queueP90Minutes: 2.9,
      queueSampleSize: 8,
      // r2a1, r3, r7 failed: 3 ÷ 8.
      failureRate: 0.375,
      failedAttempts: 3,
      // r1 r2 r3 r5 r6 r7 m1 (r4 has no verdict); r2 failed then passed: 1 ÷ 7.
      runs: 7,
      attempts: 9,
      flakyRate: 0.1429,
      flakyRuns: 1,
      // main went red at r3 (09:40, after October's green) and green at r5 (12:40): 3 h; red again at r7.
      timeToGreen: { medianHours: 3, p90Hours: 3, sampleSize: 1, unresolved: 1 },
    });
  });

  test("beta gets acme/moving's runs after the move only; nothing of alpha's leaks in", async () => {
    const { ci } = await teamMetrics(ctx, 'beta', november);
    // m2 (10 min, failed) and b1 (100 min): median 55.
    assert.equal(ci.sampleSize, 2);
    assert.equal(ci.pullRequest.medianMinutes, 55);
    assert.equal(ci.defaultBranch.sampleSize, 0);
    assert.equal(ci.failureRate, 0.5);
    assert.equal(ci.flakyRate, 0);
    assert.equal(ci.timeToGreen.sampleSize, 0);
  });

  test('the organisation pools every team; groupBy=team gives each its own', async () => {
    const result = await organizationMetrics(ctx, { ...november, groupBy: 'team' });
    assert.equal(result.organization.ci.sampleSize, 10);
    assert.equal(result.organization.ci.failedAttempts, 4);
    assert.deepEqual(
      result.teams?.map((team) => [team.team, team.ci.sampleSize, team.ci.flakyRuns]),
      [
        ['alpha', 8, 1],
        ['beta', 2, 0],
      ],
    );
  });

  test('an empty period answers nulls with a reason, and the registry reads them', async () => {
    const { ci } = await teamMetrics(ctx, 'alpha', { period: '2026-09' });
    assert.equal(ci.durationMedianMinutes, null);
    assert.equal(ci.flakyRate, null);
    assert.equal(ci.reason, 'no CI run that passed or failed in the period');
    const november = await teamMetrics(ctx, 'alpha', { period: '2026-11' });
    const read = metricReader(november);
    assert.deepEqual(read('ci.flakyRate'), { value: 0.1429, sampleSize: 7 });
    assert.deepEqual(read('ci.pullRequest.durationMedianMinutes'), { value: 15, sampleSize: 4 });
    assert.deepEqual(read('ci.timeToGreen.medianHours'), { value: 3, sampleSize: 1 });
  });

  test('week by week: a run spanning midnight counts in the week it was created', async () => {
    const series = await teamSeries(ctx, 'alpha', november);
    const weeks = series.points.map((point) => [
      point.week,
      point.ci.sampleSize,
      point.ci.durationMedianMinutes,
    ]);
    assert.deepEqual(weeks, [
      ['2026-10-26', 0, null],
      // r1 10, r2 20 and 30, r3 40, r5 40, r6 30 (Sunday 23:50 → Monday 00:25): median 30.
      ['2026-11-02', 6, 30],
      ['2026-11-09', 1, 6],
      ['2026-11-16', 1, 50],
      ['2026-11-23', 0, null],
      ['2026-11-30', 0, null],
    ]);
  });

  test('the drill-down lists the attempts and red stretches behind the figures', async () => {
    const attempts = await metricSamples(ctx, 'alpha', 'ci', november);
    assert.equal(attempts.total, 9);
    const r2 = attempts.samples.filter((s) => s['run'] === 'r2');
    assert.deepEqual(
      r2.map((s) => [s['attempt'], s['conclusion'], s['durationMinutes'], s['flakyRun']]),
      [
        [1, 'failure', 20, true],
        [2, 'success', 30, true],
      ],
    );
    const stretches = await metricSamples(ctx, 'alpha', 'ciTimeToGreen', november);
    assert.deepEqual(
      stretches.samples.map((s) => [s['run'], s['timeToGreenHours']]),
      [
        ['r3', 3],
        ['r7', null],
      ],
    );
  });

  test('writing the same attempts again rewrites nothing', async () => {
    const before = await handle.db
      .selectFrom('ciRuns')
      .select(['id', 'updatedAt', 'teamId'])
      .orderBy('id')
      .execute();
    await upsertCiRuns(handle.db, rows, at('2026-12-02T00:00:00Z'));
    const after = await handle.db
      .selectFrom('ciRuns')
      .select(['id', 'updatedAt', 'teamId'])
      .orderBy('id')
      .execute();
    assert.deepEqual(after, before);
  });
});

describe('CI measures through the metrics API', () => {
  test('the ci object, the weekly series, the drill-down and CSV', async () => {
    const app = await buildOpenApp(
      handle,
      {
        organization: 'acme',
        teams: [
          { slug: 'alpha', name: 'Alpha', repositories: ['acme/alpha'] },
          { slug: 'beta', name: 'Beta', repositories: ['acme/beta'] },
        ],
      },
      at('2026-12-05T00:00:00Z'),
    );
    try {
      const get = (url: string) => app.inject({ method: 'GET', url });
      const metrics = (await get('/api/v1/teams/alpha/metrics?period=2026-11')).json<{
        ci: Record<string, unknown>;
      }>();
      assert.equal(metrics.ci['durationMedianMinutes'], 30);
      assert.equal(metrics.ci['flakyRate'], 0.1429);
      assert.deepEqual(metrics.ci['pullRequest'], { medianMinutes: 15, p90Minutes: 27, sampleSize: 4 });
      const series = (await get('/api/v1/teams/alpha/metrics/series?period=2026-11&metric=ci')).json<{
        points: { week: string; ci: { sampleSize: number } }[];
      }>();
      assert.deepEqual(
        series.points.map((point) => [point.week, point.ci.sampleSize]),
        [
          ['2026-10-26', 0],
          ['2026-11-02', 6],
          ['2026-11-09', 1],
          ['2026-11-16', 1],
          ['2026-11-23', 0],
          ['2026-11-30', 0],
        ],
      );
      const csv = await get('/api/v1/teams/alpha/metrics/ci/samples?period=2026-11&format=csv');
      assert.equal(csv.statusCode, 200);
      const [header, ...lines] = csv.body.trim().split('\n');
      assert.match(header ?? '', /repository,pipeline,source,run,attempt/);
      assert.equal(lines.length, 9);
      const teamCsv = await get('/api/v1/teams/alpha/metrics?period=2026-11&format=csv');
      assert.match(teamCsv.body, /ci\.flakyRate/);
    } finally {
      await app.close();
    }
  });
});
