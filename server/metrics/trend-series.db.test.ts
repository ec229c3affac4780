import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { buildOpenApp } from '../../test/auth-app.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import type { FastifyTypebox } from '../app.ts';
import { parseOrganization } from '../config/config.ts';
import type { ConfigFile } from '../config/config.schema.ts';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import { upsertCommits } from '../db/commits.repository.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { deploymentKey, linkDeploymentCommits, upsertDeployments } from '../db/deployments.repository.ts';
import { upsertIncidents } from '../db/incidents.repository.ts';
import type { NewDeployment } from '../db/tables.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { teamSeries } from './metrics.service.ts';
import type { MetricsContext, SeriesPoint } from './metrics.service.ts';
import { loadBenchmarks } from './tiers.ts';

// Team alpha's data begins on Wednesday 28 October 2026 (an earlier staging deployment does not count);
// the clock stands at Friday 20 November 12:00. A 4-week trend up to now covers the weeks of Oct 26
// (from Oct 28: partial), Nov 2 (no deployment), Nov 9 and Nov 16 (until now: partial).
const ORG = `organization: acme
teams:
  - { slug: alpha, name: Alpha, repositories: [acme/alpha], services: [alpha-api] }
  - { slug: beta, name: Beta, repositories: [acme/beta] }
`;
const now = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

let handle: DatabaseHandle;
let ctx: MetricsContext;
let app: FastifyTypebox;

before(async () => {
  handle = await openTestDatabase();
  const db = handle.db;
  const org = parseOrganization(ORG, 'fixture');
  await syncOrganization(db, org, at('2026-09-01T00:00:00Z'));
  const repos = await ensureRepositories(db, ['acme/alpha', 'acme/beta']);
  const alphaRepo = repos.get('acme/alpha') as number;
  const betaRepo = repos.get('acme/beta') as number;
  const deployment = (externalId: string, finishedAt: string, over: Partial<NewDeployment> = {}) => ({
    source: 'fixture',
    externalId,
    repositoryId: alphaRepo,
    environment: 'production',
    status: 'success' as const,
    startedAt: new Date(at(finishedAt).getTime() - HOUR),
    finishedAt: at(finishedAt),
    ...over,
  });
  const ids = await upsertDeployments(
    db,
    [
      deployment('S0', '2026-10-01T09:00:00Z', { environment: 'staging' }),
      deployment('D1', '2026-10-28T15:00:00Z'),
      deployment('D2', '2026-10-30T10:00:00Z', { kind: 'hotfix' }),
      deployment('D3', '2026-11-10T09:00:00Z'),
      deployment('D4', '2026-11-12T09:00:00Z', { status: 'failure' }),
      deployment('D5', '2026-11-17T12:00:00Z'),
      deployment('B1', '2026-11-04T12:00:00Z', { repositoryId: betaRepo }),
    ],
    now,
  );
  // Lead times: c1 10 h (D1), c2 24 h (D2), c3 2 h (D3), c5 8 h (D5).
  const commits = [
    ['c1', '2026-10-28T05:00:00Z', 'D1'],
    ['c2', '2026-10-29T10:00:00Z', 'D2'],
    ['c3', '2026-11-10T07:00:00Z', 'D3'],
    ['c5', '2026-11-17T04:00:00Z', 'D5'],
  ] as const;
  await upsertCommits(
    db,
    commits.map(([sha, committedAt]) => ({ repositoryId: alphaRepo, sha, committedAt: at(committedAt) })),
  );
  await linkDeploymentCommits(
    db,
    commits.map(([sha, , by]) => ({
      deploymentId: ids.get(deploymentKey('fixture', by)) as number,
      repositoryId: alphaRepo,
      sha,
    })),
  );
  // D2 caused I1, resolved in 3 h.
  await upsertIncidents(
    db,
    [
      {
        source: 'fixture',
        externalId: 'I1',
        service: 'alpha-api',
        startedAt: at('2026-10-30T11:00:00Z'),
        resolvedAt: at('2026-10-30T14:00:00Z'),
        causeDeploymentExternalId: 'D2',
      },
    ],
    now,
  );
  ctx = { db, org, benchmarks: loadBenchmarks(), now: () => now };
  app = await buildOpenApp(handle, parse(ORG) as ConfigFile, now);
});
after(async () => {
  await app?.close();
  await handle.close();
});

/** The five DORA figures of a point, and its sample sizes. */
const five = (p: SeriesPoint) => ({
  week: p.week,
  partial: p.partial,
  perWeek: p.deploymentFrequency.perWeek,
  deployments: p.deploymentFrequency.count,
  leadTime: [p.leadTime.medianHours, p.leadTime.sampleSize],
  changeFailureRate: p.changeFailureRate.rate,
  recovery: [p.recoveryTime.medianHours, p.recoveryTime.sampleSize],
  reworkRate: p.reworkRate.rate,
});

describe(`weekly trend series on a hand-computed fixture (${testEngine})`, () => {
  test('26 weeks up to now start where the data does; partial weeks are marked; empty weeks are gaps', async () => {
    const series = await teamSeries(ctx, 'alpha', { period: 'last-30d', weeks: 4 });
    assert.equal(series.from, '2026-10-28T00:00:00.000Z'); // the day alpha's data begins, not Oct 26
    assert.equal(series.to, now.toISOString());
    assert.equal(series.dataFrom, '2026-10-28T15:00:00.000Z');
    assert.deepEqual(series.points.map(five), [
      {
        // Oct 28 → Nov 2 is 5 days: 2 deployments scale to 2.8 a week; lead times 10 and 24 h; D2 failed
        // (I1, 3 h to recover) and was a hotfix.
        week: '2026-10-26',
        partial: true,
        perWeek: 2.8,
        deployments: 2,
        leadTime: [17, 2],
        changeFailureRate: 0.5,
        recovery: [3, 1],
        reworkRate: 0.5,
      },
      {
        // A whole week without a deployment: frequency is a real 0, every rate and duration a gap.
        week: '2026-11-02',
        partial: false,
        perWeek: 0,
        deployments: 0,
        leadTime: [null, 0],
        changeFailureRate: null,
        recovery: [null, 0],
        reworkRate: null,
      },
      {
        // D3 (2 h); D4 failed to deploy and is not a deployment. A real 0 % failure rate.
        week: '2026-11-09',
        partial: false,
        perWeek: 1,
        deployments: 1,
        leadTime: [2, 1],
        changeFailureRate: 0,
        recovery: [null, 0],
        reworkRate: 0,
      },
      {
        // Nov 16 → now is 4.5 days: 1 deployment is 1.56 a week.
        week: '2026-11-16',
        partial: true,
        perWeek: 1.56,
        deployments: 1,
        leadTime: [8, 1],
        changeFailureRate: 0,
        recovery: [null, 0],
        reworkRate: 0,
      },
    ]);
    assert.deepEqual(
      series.points.map((p) => [p.from, p.to]),
      [
        ['2026-10-28T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
        ['2026-11-02T00:00:00.000Z', '2026-11-09T00:00:00.000Z'],
        ['2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z'],
        ['2026-11-16T00:00:00.000Z', now.toISOString()],
      ],
    );
  });

  test('a trend longer than the data has no weeks before it; the period alone is clipped at now', async () => {
    const long = await teamSeries(ctx, 'alpha', { period: 'last-30d', weeks: 52 });
    assert.equal(long.points.length, 4);
    assert.equal(long.points[0]?.week, '2026-10-26');
    // November without `weeks`: the period, until now; its first week (Nov 1, a Sunday) is partial.
    const november = await teamSeries(ctx, 'alpha', { period: '2026-11' });
    assert.deepEqual(
      november.points.map((p) => [p.week, p.partial, p.deploymentFrequency.count]),
      [
        ['2026-10-26', true, 0],
        ['2026-11-02', false, 0],
        ['2026-11-09', false, 1],
        ['2026-11-16', true, 1],
      ],
    );
    // A period that ends before the team's data begins has no weeks at all.
    assert.deepEqual((await teamSeries(ctx, 'alpha', { period: '2026-09' })).points, []);
    // Beta deployed once, on Nov 4: its trend starts that day.
    const beta = await teamSeries(ctx, 'beta', { period: 'last-30d', weeks: 26 });
    assert.deepEqual(
      beta.points.map((p) => [p.week, p.partial, p.deploymentFrequency.count]),
      [
        ['2026-11-02', true, 1],
        ['2026-11-09', false, 0],
        ['2026-11-16', true, 0],
      ],
    );
  });

  test('the tier bands come with the series, as tierFor assigns the tiers', async () => {
    const { tiers, benchmark } = await teamSeries(ctx, 'alpha', {
      period: 'last-30d',
      weeks: 4,
      benchmark: 'dora-2024',
    });
    assert.equal(benchmark.id, 'dora-2024');
    const bands = (metric: keyof typeof tiers) => tiers[metric].bands.map((b) => [b.tier, b.from, b.to]);
    assert.deepEqual(bands('deploymentFrequency'), [
      ['low', 0, 0.2308],
      ['medium', 0.2308, 1],
      ['high', 1, 7],
      ['elite', 7, null],
    ]);
    assert.deepEqual(bands('leadTime'), [
      ['elite', 0, 24],
      ['high', 24, 168],
      ['medium', 168, 720],
      ['low', 720, null],
    ]);
    // DORA 2024's medium (10 %) lies inside elite and high: no band of its own.
    assert.deepEqual(bands('changeFailureRate'), [
      ['elite', 0, 0.05],
      ['high', 0.05, 0.2],
      ['low', 0.2, null],
    ]);
    assert.deepEqual(bands('recoveryTime'), [
      ['elite', 0, 1],
      ['high', 1, 24],
      ['low', 24, null],
    ]);
  });

  test('the route: weeks is bounded, and one metric keeps the partial flag', async () => {
    const response = await app.inject(
      '/api/v1/teams/alpha/metrics/series?period=last-30d&weeks=4&metric=recoveryTime',
    );
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<{ points: Record<string, unknown>[]; tiers: Record<string, unknown> }>();
    assert.deepEqual(Object.keys(body.points[0] ?? {}), ['week', 'from', 'to', 'partial', 'recoveryTime']);
    assert.deepEqual(
      body.points.map((p) => p['partial']),
      [true, false, false, true],
    );
    assert.ok('recoveryTime' in body.tiers);
    for (const weeks of ['0', '158', 'x']) {
      const bad = await app.inject(`/api/v1/teams/alpha/metrics/series?weeks=${weeks}`);
      assert.equal(bad.statusCode, 400, bad.body);
      assert.match(bad.json<{ error: { field: string } }>().error.field, /weeks/);
    }
  });
});
