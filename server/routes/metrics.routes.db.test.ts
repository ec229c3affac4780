import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildOpenApp } from '../../test/auth-app.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { demoOrganization } from '../demo/demo-organization.ts';
import { loadDemo } from '../demo/load-demo.ts';

const now = new Date('2026-11-25T00:00:00Z');
let handle: DatabaseHandle;
let app: FastifyTypebox;

before(async () => {
  handle = await openTestDatabase();
  await loadDemo(handle.db, { teams: 2, days: 21, seed: 7, until: now }, now);
  app = await buildOpenApp(handle, demoOrganization(2), now);
});
after(async () => {
  await app.close();
  await handle.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

describe('metrics routes', () => {
  test('team metrics follow the response contract', async () => {
    const response = await get('/api/v1/teams/payments/metrics?period=last-14d');
    assert.equal(response.statusCode, 200);
    const body = response.json<Record<string, Record<string, unknown>>>();
    assert.equal(body['team'] as unknown, 'payments');
    assert.equal(body['from'] as unknown, '2026-11-11T00:00:00.000Z');
    for (const key of ['count', 'perWeek', 'perDay', 'activeWeeksShare', 'tier'])
      assert.ok(key in (body['deploymentFrequency'] ?? {}), key);
    for (const key of ['medianHours', 'p90Hours', 'sampleSize', 'tier', 'coverage', 'breakdown'])
      assert.ok(key in (body['leadTime'] ?? {}), key);
    for (const key of ['rate', 'failed', 'deployments', 'tier'])
      assert.ok(key in (body['changeFailureRate'] ?? {}), key);
    for (const key of ['medianHours', 'p90Hours', 'sampleSize', 'unresolved', 'allIncidents'])
      assert.ok(key in (body['recoveryTime'] ?? {}), key);
    for (const key of ['rate', 'reworkDeployments', 'deployments'])
      assert.ok(key in (body['reworkRate'] ?? {}), key);
  });

  test('compare=previous: every headline figure with its previous value and a server-side direction', async () => {
    type Change = { previous: number | null; direction: string | null; smallSample: boolean };
    type Body = { leadTime: { medianHours: number | null }; change: Record<string, Change> };
    const team = (await get('/api/v1/teams/payments/metrics?period=last-7d&compare=previous')).json<Body>();
    const before = (
      await get('/api/v1/teams/payments/metrics?from=2026-11-11T00:00:00Z&to=2026-11-18T00:00:00Z')
    ).json<Body>();
    assert.deepEqual(Object.keys(team.change).sort(), [
      'changeFailureRate',
      'deploymentFrequency',
      'leadTime',
      'recoveryTime',
      'reworkRate',
    ]);
    assert.equal(team.change['leadTime']?.previous, before.leadTime.medianHours);
    const lead = team.change['leadTime'];
    if (lead && lead.previous !== null && team.leadTime.medianHours !== null) {
      const moved = team.leadTime.medianHours - lead.previous;
      const expected = Math.abs(moved) <= 0.05 * lead.previous ? 'unchanged' : moved < 0 ? 'better' : 'worse';
      assert.equal(lead.direction, expected, 'a shorter lead time is better');
    }
    const org = (await get('/api/v1/metrics?period=last-7d&groupBy=team&compare=previous')).json<{
      organization: { change?: object };
      teams: { change?: object }[];
    }>();
    assert.ok(org.organization.change && org.teams.every((row) => row.change));
    const plain = (await get('/api/v1/metrics?period=last-7d')).json<{ organization: object }>();
    assert.equal('change' in plain.organization, false, 'only when asked for');
  });

  test('drill-down rows sort by any field, largest first on request, and page', async () => {
    const url =
      '/api/v1/teams/payments/metrics/leadTime/samples?period=last-14d&sort=leadTimeHours&order=desc';
    const all = (await get(url)).json<{ total: number; samples: { leadTimeHours: number }[] }>();
    assert.ok(all.total > 3);
    const hours = all.samples.map((row) => row.leadTimeHours);
    assert.deepEqual(
      hours,
      [...hours].sort((a, b) => b - a),
    );
    const second = (await get(`${url}&limit=2&offset=2`)).json<{ samples: { leadTimeHours: number }[] }>();
    assert.deepEqual(
      second.samples.map((row) => row.leadTimeHours),
      hours.slice(2, 4),
    );
    assert.equal((await get(`${url.replace('leadTimeHours', 'x;drop')}`)).statusCode, 400);
  });

  test('from/to give the same figures as the equivalent named period', async () => {
    const named = (await get('/api/v1/teams/payments/metrics?period=2026-11')).json<object>();
    const explicit = (
      await get('/api/v1/teams/payments/metrics?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z')
    ).json<object>();
    assert.deepEqual({ ...explicit, period: '2026-11' }, named);
  });

  test('bad input is a 400 naming the field; an unknown team a 404', async () => {
    const badPeriod = await get('/api/v1/teams/payments/metrics?period=last-week');
    assert.equal(badPeriod.statusCode, 400);
    assert.deepEqual(badPeriod.json<{ error: object }>().error, {
      code: 'INVALID_PERIOD',
      message: '"last-week" is not a period: use 2026-Q4, 2026-11, 2026, last-30d, or from/to',
      field: 'period',
    });
    const inverted = await get(
      '/api/v1/teams/payments/metrics?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z',
    );
    assert.equal(inverted.json<{ error: { field: string } }>().error.field, 'to');
    const benchmark = await get('/api/v1/metrics?benchmark=dora-1999');
    assert.equal(benchmark.json<{ error: { field: string } }>().error.field, 'benchmark');
    const unknownMetric = await get('/api/v1/teams/payments/metrics/uptime/samples');
    assert.equal(unknownMetric.statusCode, 400);
    assert.equal(unknownMetric.json<{ error: { field: string } }>().error.field, 'params.metric');
    const team = await get('/api/v1/teams/nobody/metrics');
    assert.equal(team.statusCode, 404);
    assert.equal(team.json<{ error: { code: string } }>().error.code, 'TEAM_NOT_FOUND');
  });

  test('the organisation with every team side by side, and as CSV', async () => {
    const json = (await get('/api/v1/metrics?period=last-14d&groupBy=team')).json<{
      teams: { team: string }[];
    }>();
    assert.deepEqual(
      json.teams.map((t) => t.team),
      ['checkout', 'payments'],
    );
    const csv = await get('/api/v1/metrics?period=last-14d&groupBy=team', { accept: 'text/csv' });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    const [header, ...rows] = csv.body.trim().split('\n');
    assert.match(header ?? '', /^team,name,period,benchmark\.id,/);
    assert.ok(header?.includes('leadTime.medianHours'));
    assert.deepEqual(
      rows.map((row) => row.split(',')[0]),
      ['(organisation)', 'checkout', 'payments'],
    );
  });

  test('weekly series for one metric, and the drill-down rows add up to the figure', async () => {
    const series = (
      await get('/api/v1/teams/checkout/metrics/series?metric=deploymentFrequency&period=last-14d')
    ).json<{
      points: { week: string; deploymentFrequency: { count: number } }[];
    }>();
    const total = series.points.reduce((sum, p) => sum + p.deploymentFrequency.count, 0);
    const figure = (await get('/api/v1/teams/checkout/metrics?period=last-14d')).json<{
      deploymentFrequency: { count: number };
    }>();
    assert.equal(total, figure.deploymentFrequency.count);
    const samples = (
      await get('/api/v1/teams/checkout/metrics/deploymentFrequency/samples?period=last-14d')
    ).json<{ total: number }>();
    assert.equal(samples.total, figure.deploymentFrequency.count);
    const unknown = await get('/api/v1/teams/checkout/metrics/series?metric=uptime');
    assert.equal(unknown.statusCode, 400);
  });
});
