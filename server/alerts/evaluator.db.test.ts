// The evaluator on the database (PGlite, or PostgreSQL with DATABASE_URL): synthetic lead-time series stored
// as commits and production deployments, evaluated through the metrics' own sample query.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { insertChanges, syntheticChanges } from '../../test/alert-fixtures.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { AppConfig } from '../config/config.ts';
import type { ConfigFile } from '../config/config.schema.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { DAY_MS, HOUR_MS } from '../time.ts';
import { evaluateAlerts } from './evaluator.ts';

const until = new Date('2026-12-01T00:00:00Z');
const day = (offset: number) => new Date(until.getTime() + offset * DAY_MS);

function configWith(alerts: ConfigFile['alerts']): AppConfig {
  return loadConfig({
    env: { HOOK_URL: 'http://127.0.0.1:9/hook', HOOK_SECRET: 'hook-secret' },
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-alerts-')),
    fallbackOrganization: () => ({ organization: 'acme', teams: [], ...(alerts ? { alerts } : {}) }),
  });
}

const config = configWith({
  channels: [{ name: 'hook', type: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' }],
});

describe(`alert lifecycle on stored series (${testEngine})`, () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await openTestDatabase();
    const teams = [
      // Three times slower for the 10 days before `until` and 5 after, then back to normal.
      {
        slug: 'regressed',
        medianHours: 20,
        perDay: 3,
        slowdowns: [{ from: day(-10), to: day(5), factor: 3 }],
      },
      { slug: 'steady', medianHours: 20, perDay: 3 },
      { slug: 'sparse', medianHours: 20, perDay: 0.3, slowdowns: [{ from: day(-10), factor: 3 }] },
    ];
    await insertChanges(handle.db, teams, syntheticChanges(teams, { from: day(-130), until: day(40) }, 7));
  });
  after(() => handle.close());

  const evaluate = (at: Date, options: { dryRun?: boolean } = {}) =>
    evaluateAlerts({ db: handle.db, clock: fixedClock(at), config }, options);
  const alerts = () =>
    handle.db
      .selectFrom('alerts as a')
      .innerJoin('teams as t', 't.id', 'a.teamId')
      .select(['a.id', 't.slug', 'a.status', 'a.severity', 'a.fired', 'a.lateDataNote', 'a.resolvedAt'])
      .orderBy('a.id')
      .execute();
  const notifications = () =>
    handle.db
      .selectFrom('alertNotifications')
      .select(['alertId', 'channel', 'kind', 'payload'])
      .orderBy('id')
      .execute();

  test('the regressed team gets one alert; steady and sparse teams none', async () => {
    const result = await evaluate(new Date(until.getTime() + 6 * HOUR_MS));
    assert.ok(result.ran);
    const [report] = result.report.rules;
    assert.equal(report?.outcomes.fires, 1);
    assert.equal(report.outcomes['too-few'], 1);
    const rows = await alerts();
    assert.deepEqual(
      rows.map((row) => [row.slug, row.status, row.severity]),
      [['regressed', 'open', 'warning']],
    );
    const queued = await notifications();
    assert.equal(queued.length, 1);
    assert.equal(queued[0]?.kind, 'fired');
    const payload = queued[0]?.payload as {
      team: { slug: string };
      drivers: { top: unknown[] };
      links: { team: string };
    };
    assert.equal(payload.team.slug, 'regressed');
    assert.equal(payload.drivers.top.length, 5);
    assert.equal(payload.links.team, 'http://127.0.0.1:3000/teams/regressed');
  });

  test('re-evaluating updates the open alert and never duplicates it or its notification', async () => {
    const result = await evaluate(new Date(until.getTime() + 9 * HOUR_MS));
    assert.ok(result.ran);
    assert.deepEqual(
      result.report.rules[0]?.actions.map((action) => [action.kind, action.team]),
      [['update', 'regressed']],
    );
    assert.equal((await alerts()).length, 1);
    assert.equal((await notifications()).length, 1);
  });

  test('late data that changes the window it fired on updates the alert, and says so', async () => {
    const [before] = await alerts();
    const fired = before?.fired as { recent: { samples: number } };
    await insertChanges(
      handle.db,
      [{ slug: 'regressed', medianHours: 0, perDay: 0 }],
      [1, 2, 3].map((i) => ({ team: 'regressed', deployedAt: day(-i), leadTimeHours: 200 })),
      'late',
    );
    await evaluate(new Date(until.getTime() + 12 * HOUR_MS));
    const [afterLate] = await alerts();
    assert.equal(
      (afterLate?.fired as { recent: { samples: number } }).recent.samples,
      fired.recent.samples + 3,
    );
    assert.match(
      afterLate?.lateDataNote ?? '',
      new RegExp(
        `^late data changed the window it fired on \\(2026-11-17 – 2026-12-01\\): recent ${fired.recent.samples} → ${fired.recent.samples + 3} samples`,
      ),
    );
    // Three 200-hour changes more made the window worse than +100 %: the alert escalated, and notified.
    const events = await handle.db.selectFrom('alertEvents').select('kind').orderBy('id').execute();
    assert.deepEqual(
      events.map((event) => event.kind),
      ['opened', 'late-data', 'escalated'],
    );
    assert.equal(afterLate?.severity, 'critical');
  });

  test('a dry run reports the resolution it would make and writes nothing', async () => {
    const result = await evaluate(day(30), { dryRun: true });
    assert.ok(result.ran);
    assert.deepEqual(
      result.report.rules[0]?.actions.map((action) => [action.kind, action.team]),
      [['resolve', 'regressed']],
    );
    assert.equal((await alerts())[0]?.status, 'open');
  });

  test('recovery for a full window resolves it and notifies; history is kept', async () => {
    await evaluate(day(30));
    const rows = await alerts();
    assert.deepEqual(
      rows.map((row) => [row.slug, row.status]),
      [['regressed', 'resolved']],
    );
    assert.deepEqual(
      (await notifications()).map((n) => n.kind),
      ['fired', 'escalated', 'resolved'],
    );
    // Fine since: nothing reopens.
    await evaluate(day(31));
    assert.equal((await alerts()).length, 1);
  });

  test('two evaluations at once: one runs, the other is refused by the job lease', async () => {
    const results = await Promise.all([evaluate(day(32)), evaluate(day(32))]);
    assert.deepEqual(results.map((r) => r.ran).sort(), [false, true]);
    const refused = results.find((r) => !r.ran);
    assert.deepEqual(refused, { ran: false, reason: 'another alerts-evaluate run holds the job' });
  });
});

describe(`50 steady teams on stored series (${testEngine})`, () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await openTestDatabase();
    const teams = Array.from({ length: 50 }, (_, i) => ({
      slug: `team-${String(i).padStart(2, '0')}`,
      medianHours: 12 + (i % 5) * 6,
      perDay: 2,
    }));
    await insertChanges(handle.db, teams, syntheticChanges(teams, { from: day(-104), until }, 3));
  });
  after(() => handle.close());

  test('no alert at the default settings; uncorrected p < 0.05 would raise some', async () => {
    const corrected = await evaluateAlerts(
      { db: handle.db, clock: fixedClock(until), config },
      { dryRun: true },
    );
    assert.ok(corrected.ran);
    assert.equal(corrected.report.rules[0]?.outcomes.fires, 0);
    const uncorrected = await evaluateAlerts(
      {
        db: handle.db,
        clock: fixedClock(until),
        config: configWith({ rules: [{ name: 'lead-time', metric: 'leadTime', correction: 'none' }] }),
      },
      { dryRun: true },
    );
    assert.ok(uncorrected.ran);
    assert.ok(
      (uncorrected.report.rules[0]?.outcomes.fires ?? 0) >= 1,
      JSON.stringify(uncorrected.report.rules[0]?.outcomes),
    );
  });
});
