import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { insertChanges, steppedChanges } from '../../test/alert-fixtures.ts';
import { createTestToken } from '../../test/ingest-app.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { buildApp } from '../app.ts';
import type { FastifyTypebox } from '../app.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';

// The series of backtest.test.ts (see the arithmetic there): alpha fires on Oct 8 and resolves Oct 29, beta
// fires on Nov 9 and resolves Nov 27; on Nov 12 beta's alert is open.
const range = { from: new Date('2026-03-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') };
const clock = fixedClock(new Date('2026-11-12T08:00:00Z'));
let handle: DatabaseHandle;
let app: FastifyTypebox;
let admin: string;
let ingest: string;

before(async () => {
  handle = await openTestDatabase();
  const teams = ['alpha', 'beta', 'gamma'].map((slug) => ({ slug, medianHours: 0, perDay: 0 }));
  await insertChanges(handle.db, teams, [
    ...steppedChanges('alpha', range, [
      { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-10-21T00:00:00Z'), hours: [40, 44] },
    ]),
    ...steppedChanges('beta', range, [
      { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-20T00:00:00Z'), hours: [14, 16] },
    ]),
    ...steppedChanges('gamma', range),
  ]);
  const config = loadConfig({
    env: {},
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-alert-routes-')),
    fallbackOrganization: () => ({ organization: 'acme', teams: [] }),
  });
  app = await buildApp({
    config,
    database: handle,
    clock,
    logger: false,
    webRoot: path.join(os.tmpdir(), 'groundwork-no-dashboard'),
  });
  admin = await createTestToken(handle, 'ops', 'admin');
  ingest = await createTestToken(handle, 'ci', 'ingest');
});
after(async () => {
  await app.close();
  await handle.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe(`alert routes (${testEngine})`, () => {
  test('evaluate needs an admin token', async () => {
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/alerts/evaluate' });
    assert.equal(anonymous.statusCode, 401);
    const notAdmin = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/evaluate',
      headers: bearer(ingest),
    });
    assert.equal(notAdmin.statusCode, 403);
  });

  test('a dry run reports, a real run opens the alert; the list shows it with what drove it', async () => {
    const dry = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/evaluate?dryRun=true',
      headers: bearer(admin),
    });
    assert.equal(dry.statusCode, 200);
    assert.deepEqual(
      dry.json().rules[0].actions.map((a: { kind: string; team: string }) => [a.kind, a.team]),
      [['open', 'beta']],
    );
    assert.equal((await app.inject({ url: '/api/v1/alerts' })).json().alerts.length, 0);
    const run = await app.inject({ method: 'POST', url: '/api/v1/alerts/evaluate', headers: bearer(admin) });
    assert.equal(run.statusCode, 200);
    const list = await app.inject({ url: '/api/v1/alerts?status=open' });
    assert.equal(list.statusCode, 200);
    const body = list.json();
    assert.deepEqual(body.counts, { open: 1, acknowledged: 0, resolved: 0 });
    const [alert] = body.alerts;
    assert.equal(alert.team.slug, 'beta');
    assert.equal(alert.severity, 'warning');
    // Window [Oct 29, Nov 12): 11 slow days of 14: 22 changes of 14 or 16 h, 6 of 10 or 12 h; median 14 h.
    assert.equal(alert.fired.recent.value, 14);
    assert.equal(alert.fired.baseline.value, 11);
    assert.deepEqual(
      alert.drivers.top.map((row: { value: number }) => row.value),
      [16, 16, 16, 16, 16],
    );
    assert.deepEqual(
      alert.events.map((event: { kind: string }) => event.kind),
      ['opened'],
    );
    assert.equal((await app.inject({ url: '/api/v1/alerts?team=alpha' })).json().alerts.length, 0);
  });

  test('CSV, one line per alert', async () => {
    const csv = await app.inject({ url: '/api/v1/alerts?format=csv' });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    const lines = csv.body.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^id,rule,metric,team\.slug,team\.name,status,severity,/);
    assert.match(lines[1] ?? '', /,lead-time,leadTime,beta,Team beta,open,warning,/);
  });

  test('acknowledge: admin only, once; 404 for no such alert', async () => {
    const [alert] = (await app.inject({ url: '/api/v1/alerts' })).json().alerts;
    const url = `/api/v1/alerts/${alert.id}/ack`;
    assert.equal((await app.inject({ method: 'POST', url, headers: bearer(ingest) })).statusCode, 403);
    const acked = await app.inject({ method: 'POST', url, headers: bearer(admin) });
    assert.equal(acked.statusCode, 200);
    assert.equal(acked.json().status, 'acknowledged');
    assert.equal(acked.json().acknowledgedBy, 'ops');
    const again = await app.inject({ method: 'POST', url, headers: bearer(admin) });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'ALERT_NOT_OPEN');
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts/999999/ack',
      headers: bearer(admin),
    });
    assert.equal(missing.statusCode, 404);
  });

  test('backtest: the hand-listed firings to date; an unknown rule is a 404 naming it', async () => {
    const backtest = await app.inject({ url: '/api/v1/alerts/backtest?rule=lead-time&days=60' });
    assert.equal(backtest.statusCode, 200);
    assert.deepEqual(
      backtest
        .json()
        .firings.map((f: { team: string; firedAt: string; resolvedAt: string | null }) => [
          f.team,
          f.firedAt,
          f.resolvedAt,
        ]),
      [
        ['alpha', '2026-10-08', '2026-10-29'],
        ['beta', '2026-11-09', null],
      ],
    );
    const unknown = await app.inject({ url: '/api/v1/alerts/backtest?rule=nope' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.field, 'rule');
  });

  test('the routes are in the OpenAPI document', async () => {
    const paths = Object.keys((await app.inject({ url: '/openapi.json' })).json().paths);
    for (const route of [
      '/api/v1/alerts',
      '/api/v1/alerts/{id}/ack',
      '/api/v1/alerts/evaluate',
      '/api/v1/alerts/backtest',
    ]) {
      assert.ok(paths.includes(route), route);
    }
  });
});
