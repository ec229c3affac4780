import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { ingestAppFixture, postJson } from '../../test/ingest-app.ts';
import { testEngine } from '../../test/test-database.ts';
import { alertSeries } from './alert-series.ts';

// Implausible times are stored as sent and left out of lead time, each counted by reason in the coverage
// note. The server's clock reads 2026-11-20 12:00; "in the future" is more than a day after it.
//
//   deployment  finished            shipped commits (commit time)                lead time
//   ok          Nov 10 10:00        ok1 06:00 (4 h), ok2 Nov 9 10:00 (24 h)      4, 24
//   old         Nov 11 10:00        1970-01-01, 1999-12-31 23:00                 start out of range ×2
//   after       Nov 12 10:00        late 11:00 (after it), ok3 02:00 (8 h)       after deployment, 8
//   ahead       Nov 13 10:00        Nov 25 08:00 (days ahead of the clock)       after deployment
//   future      Nov 25 10:00        Nov 25 08:00                                 deployment out of range
//   near        Nov 21 06:00        Nov 21 00:00 (18 h ahead: within a day)      6
//   y1999       1999-06-01 10:00    1999-06-01 08:00                             deployment out of range (1999)
//
// Counted: 4, 6, 8, 24 h → median 7 h, p90 8 + 0.7 × 16 = 19.2 h (continuous percentile).
const now = new Date('2026-11-20T12:00:00Z');
const fixture = ingestAppFixture(now);
const URL = '/api/v1/events/deployments';

const sha = (name: string) => Buffer.from(name).toString('hex').padEnd(40, '0').slice(0, 40);
const deployment = (id: string, finishedAt: string, commits: [string, string][]) => ({
  id,
  service: 'payments-api',
  repository: 'acme/billing',
  environment: 'production',
  sha: sha(commits.at(-1)?.[0] ?? id),
  status: 'success',
  startedAt: new Date(Date.parse(finishedAt) - 10 * 60_000).toISOString(),
  finishedAt,
  commits: commits.map(([name, timestamp]) => ({ sha: sha(name), timestamp })),
});

const EVENTS = [
  deployment('ok', '2026-11-10T10:00:00Z', [
    ['ok1', '2026-11-10T06:00:00Z'],
    ['ok2', '2026-11-09T10:00:00Z'],
  ]),
  deployment('old', '2026-11-11T10:00:00Z', [
    ['e1970', '1970-01-01T00:00:00Z'],
    ['e1999', '1999-12-31T23:00:00Z'],
  ]),
  deployment('after', '2026-11-12T10:00:00Z', [
    ['late', '2026-11-12T11:00:00Z'],
    ['ok3', '2026-11-12T02:00:00Z'],
  ]),
  deployment('ahead', '2026-11-13T10:00:00Z', [['ahead', '2026-11-25T08:00:00Z']]),
  deployment('future', '2026-11-25T10:00:00Z', [['fut', '2026-11-25T08:00:00Z']]),
  deployment('near', '2026-11-21T06:00:00Z', [['near', '2026-11-21T00:00:00Z']]),
  deployment('y1999', '1999-06-01T10:00:00Z', [['y1999', '1999-06-01T08:00:00Z']]),
];

const get = async <T>(url: string): Promise<T> => {
  const response = await fixture.app.inject({ method: 'GET', url });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<T>();
};

interface LeadTime {
  medianHours: number | null;
  p90Hours: number | null;
  sampleSize: number;
  coverage: Record<string, number | null>;
  breakdown: Record<string, { sampleSize: number }>;
}
type Metrics = { leadTime: LeadTime; deploymentFrequency: { count: number } };

describe(`implausible times: accepted, left out of lead time, counted by reason (${testEngine})`, () => {
  test('deployments and commits with implausible times are accepted and stored as sent', async () => {
    const response = await fixture.app.inject(postJson(URL, EVENTS, { token: fixture.token }));
    assert.equal(response.statusCode, 200, response.body);
    const stored = await sql<{ sha: string; committedAt: Date }>`
      select sha, committed_at from commits order by committed_at limit 1`.execute(fixture.handle.db);
    assert.deepEqual(stored.rows[0], { sha: sha('e1970'), committedAt: new Date('1970-01-01T00:00:00Z') });
    const deployments = await sql<{ n: number }>`select count(*)::integer as n from deployments`.execute(
      fixture.handle.db,
    );
    assert.equal(deployments.rows[0]?.n, EVENTS.length);
  });

  test("a team's lead time leaves them out and its coverage note counts each reason", async () => {
    const metrics = await get<Metrics>('/api/v1/teams/payments/metrics?period=2026-11');
    const lead = metrics.leadTime;
    assert.deepEqual([lead.sampleSize, lead.medianHours, lead.p90Hours], [4, 7, 19.2]);
    assert.equal(lead.coverage['negativeExcluded'], 2);
    assert.equal(lead.coverage['implausibleStartExcluded'], 2);
    assert.equal(lead.coverage['implausibleDeploymentExcluded'], 1);
    // Deployment counts take the sender's times as given (documented): all six November deployments.
    assert.equal(metrics.deploymentFrequency.count, 6);
    assert.equal(lead.coverage['deploymentsWithCommits'], 6);
  });

  test('the organisation, pooled and grouped by team, gives the same figures', async () => {
    const body = await get<{ organization: Metrics; teams: (Metrics & { team: string })[] }>(
      '/api/v1/metrics?period=2026-11&groupBy=team',
    );
    const payments = body.teams.find((team) => team.team === 'payments');
    for (const lead of [body.organization.leadTime, payments?.leadTime]) {
      assert.deepEqual([lead?.sampleSize, lead?.medianHours, lead?.p90Hours], [4, 7, 19.2]);
      assert.equal(lead?.coverage['implausibleStartExcluded'], 2);
      assert.equal(lead?.coverage['implausibleDeploymentExcluded'], 1);
      assert.equal(lead?.coverage['negativeExcluded'], 2);
    }
  });

  test('the drill-down shows every change with why it was left out', async () => {
    const page = await get<{ total: number; samples: { sha: string; excludedReason: string | null }[] }>(
      '/api/v1/teams/payments/metrics/leadTime/samples?period=2026-11&limit=50',
    );
    const reasons = Object.fromEntries(page.samples.map((row) => [row.sha, row.excludedReason]));
    assert.deepEqual(reasons, {
      [sha('ok1')]: null,
      [sha('ok2')]: null,
      [sha('e1970')]: 'start_out_of_range',
      [sha('e1999')]: 'start_out_of_range',
      [sha('late')]: 'started_after_deployment',
      [sha('ok3')]: null,
      [sha('ahead')]: 'started_after_deployment',
      [sha('fut')]: 'deployment_out_of_range',
      [sha('near')]: null,
    });
  });

  test('a deployment dated 1999 is counted in its year but its changes are left out of lead time', async () => {
    const metrics = await get<Metrics>('/api/v1/teams/payments/metrics?period=1999');
    assert.equal(metrics.deploymentFrequency.count, 1);
    assert.equal(metrics.leadTime.sampleSize, 0);
    assert.equal(metrics.leadTime.medianHours, null);
    assert.equal(metrics.leadTime.coverage['implausibleDeploymentExcluded'], 1);
  });

  test('alert series take the same changes as the figures', async () => {
    const samples = await alertSeries(
      fixture.handle.db,
      { metric: 'leadTime' } as Parameters<typeof alertSeries>[1],
      { from: new Date('2026-11-01T00:00:00Z'), to: now },
      { productionEnvironments: ['production'], tickets: {} as Parameters<typeof alertSeries>[3]['tickets'] },
    );
    // Up to the clock: ok (4, 24 h) and ok3 (8 h); the rest are left out or after it.
    assert.deepEqual(
      samples.map((sample) => sample.value).sort((a, b) => a - b),
      [4, 8, 24],
    );
  });
});
