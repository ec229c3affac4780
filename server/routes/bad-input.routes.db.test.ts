import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ingestAppFixture, postJson } from '../../test/ingest-app.ts';
import type { FastifyTypebox } from '../app.ts';
import { MAX_PERIOD_DAYS } from '../metrics/period.ts';

// Input that once reached PostgreSQL or Date and came back as a 500, and periods long enough to stall the
// server: each is a 400 naming the field.
const now = new Date('2026-11-20T12:00:00Z');
const fixture = ingestAppFixture(now);

const incident = (overrides: Record<string, unknown>) => ({
  id: 'inc-1',
  service: 'payments-api',
  startedAt: '2026-11-10T10:00:00Z',
  severity: 'sev2',
  ...overrides,
});

async function assertBadField(response: Awaited<ReturnType<FastifyTypebox['inject']>>, field: string) {
  assert.equal(response.statusCode, 400, response.body);
  assert.equal(response.json().error.field, field, response.body);
}

describe('bad input is a 400 naming the field, never a 500', () => {
  test('a NUL byte in a path parameter, a query parameter and a text field', async () => {
    await assertBadField(await fixture.app.inject('/api/v1/teams/pay%00ments/metrics'), 'params.team');
    await assertBadField(
      await fixture.app.inject('/api/v1/tickets/wait-times/tickets?measure=totalWait&group=a%00b'),
      'querystring.group',
    );
    await assertBadField(
      await fixture.app.inject(
        postJson('/api/v1/events/incidents', [incident({ title: 'db\u0000down' })], { token: fixture.token }),
      ),
      'body[0].title',
    );
  });

  test('a lone UTF-16 surrogate in a text field', async () => {
    const body = JSON.stringify([incident({})]).replace('"sev2"', '"sev\\ud800"');
    await assertBadField(
      await fixture.app.inject(postJson('/api/v1/events/incidents', body, { token: fixture.token })),
      'body[0].severity',
    );
    // A proper pair (an emoji) is fine.
    const pair = JSON.stringify([incident({ title: 'down 🔥' })]);
    assert.equal(
      (await fixture.app.inject(postJson('/api/v1/events/incidents', pair, { token: fixture.token })))
        .statusCode,
      200,
    );
  });

  test('offset=1e309 (Infinity) and offset=1e20 (beyond bigint)', async () => {
    for (const offset of ['1e309', '1e20']) {
      await assertBadField(
        await fixture.app.inject(`/api/v1/teams/payments/metrics/leadTime/samples?offset=${offset}`),
        'querystring.offset',
      );
      await assertBadField(
        await fixture.app.inject(`/api/v1/tickets/wait-times/tickets?measure=totalWait&offset=${offset}`),
        'querystring.offset',
      );
    }
  });

  test('a leap second, which JavaScript dates cannot hold', async () => {
    await assertBadField(
      await fixture.app.inject(
        postJson('/api/v1/events/incidents', [incident({ startedAt: '2016-12-31T23:59:60Z' })], {
          token: fixture.token,
        }),
      ),
      'body[0].startedAt',
    );
  });
});

describe('periods and series are bounded', () => {
  test(`a period of up to ${MAX_PERIOD_DAYS} days is answered; longer is a 400 naming from or period`, async () => {
    assert.equal(
      (await fixture.app.inject(`/api/v1/metrics?period=last-${MAX_PERIOD_DAYS}d`)).statusCode,
      200,
    );
    await assertBadField(
      await fixture.app.inject(`/api/v1/metrics?period=last-${MAX_PERIOD_DAYS + 1}d`),
      'period',
    );
    await assertBadField(
      await fixture.app.inject(
        '/api/v1/tickets/wait-times/series?from=1026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      ),
      'from',
    );
    await assertBadField(
      await fixture.app.inject(
        '/api/v1/teams/payments/metrics/series?from=0001-01-01T00:00:00Z&to=9999-01-01T00:00:00Z',
      ),
      'from',
    );
  });

  test('the longest series allowed has one point a week', async () => {
    const to = '2026-11-16T00:00:00Z';
    const from = new Date(Date.parse(to) - MAX_PERIOD_DAYS * 86_400_000).toISOString();
    const series = await fixture.app.inject(`/api/v1/teams/payments/metrics/series?from=${from}&to=${to}`);
    assert.equal(series.statusCode, 200, series.body);
    const points = (series.json() as { points: unknown[] }).points.length;
    assert.ok(points >= 157 && points <= 159, `${points} weekly points`);
    const tickets = await fixture.app.inject(`/api/v1/tickets/wait-times/series?from=${from}&to=${to}`);
    assert.equal(tickets.statusCode, 200, tickets.body);
  });
});
