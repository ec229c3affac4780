import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { frictionContext, frictionApiFixture } from '../../test/friction-fixtures.ts';
import type { FrictionReport, ReadinessReport, RecommendationsReport } from '../friction/friction.service.ts';
import { frictionReport } from '../friction/friction.service.ts';

// The routes serve what the service computed, whole (the response schemas drop nothing), as JSON and CSV.
const fixture = frictionApiFixture();

const get = async <T>(url: string) => {
  const response = await fixture.app.inject({ method: 'GET', url });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json() as T;
};

describe('friction routes', () => {
  test('GET /api/v1/friction is the service result, unchanged by serialisation', async () => {
    const served = await get<FrictionReport>('/api/v1/friction?period=2026-Q3');
    const computed = await frictionReport(frictionContext(fixture.handle.db, fixture.org), {
      period: '2026-Q3',
    });
    assert.deepEqual(served, JSON.parse(JSON.stringify(computed)));
    assert.equal(served.frictions[0]?.friction.id, 'broken-environments');
    const alpha = served.frictions[0]?.teams.find((t) => t.team.slug === 'alpha');
    assert.ok(alpha?.evidence.some((l) => l.href.includes('groupBy=requestingTeam&group=alpha')));
  });

  test('team= ranks one team by its own hours; rank=hours-breadth puts shared friction first', async () => {
    const gamma = await get<FrictionReport>('/api/v1/friction?period=2026-Q3&team=gamma');
    assert.equal(gamma.team, 'gamma');
    assert.deepEqual(
      gamma.frictions.slice(0, 2).map((f) => [f.friction.id, f.hoursPerWeek]),
      [
        ['slow-builds', 8],
        ['waiting-on-ops', 8],
      ],
    );
    const broad = await get<FrictionReport>('/api/v1/friction?period=2026-Q3&rank=hours-breadth');
    // Broken environments 69.89 h × breadth 2/4 = 34.95; slow builds 26 h × 3/4 (delta did not answer) = 19.5.
    assert.deepEqual(
      broad.frictions.slice(0, 2).map((f) => [f.friction.id, f.score]),
      [
        ['broken-environments', 34.95],
        ['slow-builds', 19.5],
      ],
    );
  });

  test('recommendations and readiness; CSV exports of each', async () => {
    const recommendations = await get<RecommendationsReport>('/api/v1/recommendations?period=2026-Q3');
    assert.equal(recommendations.verdict, 'fix-directly');
    assert.ok(recommendations.recommendations.some((r) => r.capability.id === 'environment-self-service'));
    const readiness = await get<ReadinessReport>('/api/v1/readiness?period=2026-Q3');
    assert.equal(readiness.reasons.length, 4);
    for (const url of [
      '/api/v1/friction?period=2026-Q3',
      '/api/v1/recommendations?period=2026-Q3',
      '/api/v1/readiness?period=2026-Q3',
    ]) {
      const response = await fixture.app.inject({ method: 'GET', url, headers: { accept: 'text/csv' } });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      const rows = parse(response.body, { columns: true }) as Record<string, string>[];
      assert.ok(rows.length > 0, url);
    }
    const csv = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/friction?period=2026-Q3&format=csv',
    });
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    const alpha = rows.find((r) => r['friction'] === 'broken-environments' && r['team'] === 'alpha');
    assert.equal(alpha?.['surveyHoursPerWeek'], '60');
    const delta = rows.find((r) => r['friction'] === 'broken-environments' && r['team'] === 'delta');
    assert.deepEqual(
      [delta?.['surveyHoursPerWeek'], delta?.['surveySuppressed']],
      ['', 'fewer than 5 responses'],
    );
  });

  test('bad input is a 4xx naming the field; the routes are in the OpenAPI', async () => {
    const badPeriod = await fixture.app.inject({ method: 'GET', url: '/api/v1/friction?period=2026-Q5' });
    assert.equal(badPeriod.statusCode, 400);
    assert.equal(badPeriod.json().error.field, 'period');
    const badTeam = await fixture.app.inject({ method: 'GET', url: '/api/v1/friction?team=nobody' });
    assert.equal(badTeam.statusCode, 404);
    assert.equal(badTeam.json().error.field, 'team');
    const badRank = await fixture.app.inject({ method: 'GET', url: '/api/v1/friction?rank=loudest' });
    assert.equal(badRank.statusCode, 400);
    const notShipped = await fixture.app.inject({
      method: 'GET',
      url: '/api/v1/capabilities/ci-speed-up/impact',
    });
    assert.equal(notShipped.statusCode, 409);
    const spec = (await fixture.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: object;
    };
    for (const path of [
      '/api/v1/friction',
      '/api/v1/recommendations',
      '/api/v1/readiness',
      '/api/v1/capabilities/{id}/impact',
    ])
      assert.ok(path in spec.paths, path);
  });
});
