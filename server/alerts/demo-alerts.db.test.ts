// The demo organisation on first start: the team whose lead time regressed has an open lead-time alert,
// every other team none.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { demoOrganization, demoTeamArchetype } from '../demo/demo-organization.ts';
import { loadDemo } from '../demo/load-demo.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { evaluateAlerts } from './evaluator.ts';

let handle: DatabaseHandle;
const until = new Date('2026-11-25T00:00:00Z');
const config = loadConfig({
  env: {},
  cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-demo-alerts-')),
  fallbackOrganization: () => demoOrganization(6),
});

before(async () => {
  handle = await openTestDatabase();
  await syncOrganization(handle.db, config.org, until);
  await loadDemo(handle.db, { teams: 6, days: 120, seed: 42, until }, until);
});
after(async () => handle.close());

test(`demo data: only the regressed team has an open lead-time alert (${testEngine})`, async () => {
  const evaluated = await evaluateAlerts({ db: handle.db, clock: fixedClock(until), config });
  assert.ok(evaluated.ran);
  const alerts = await handle.db
    .selectFrom('alerts as a')
    .innerJoin('teams as t', 't.id', 'a.teamId')
    .select(['t.slug', 'a.rule', 'a.status', 'a.severity', 'a.drivers'])
    .execute();
  assert.deepEqual(
    alerts.map((alert) => [demoTeamArchetype(alert.slug), alert.rule, alert.status]),
    [['regressed', 'lead-time', 'open']],
  );
  assert.equal(alerts[0]?.severity, 'critical', 'lead time roughly tripled');
  const drivers = alerts[0]?.drivers as { top: unknown[]; stage: { name: string } | null };
  assert.equal(drivers.top.length, 5);
  assert.ok(drivers.stage, 'the demo has pull requests: a breakdown stage moved');
});

test(`demo data: the code-review survey rule alerts nobody, before or after the latest round closes (${testEngine})`, async () => {
  const rule = 'code-review-mood';
  // 2026-Q4 is open on the demo's day: one published round, nothing to compare.
  const before = await evaluateAlerts(
    { db: handle.db, clock: fixedClock(until), config },
    { dryRun: true, rule },
  );
  assert.ok(before.ran);
  assert.equal(before.report.rules[0]?.outcomes.fires, 0);
  assert.equal(before.report.rules[0]?.outcomes['too-few'], 6);
  // Once it has closed, the regressed team's code-review share drops, but on a handful of respondents.
  const closed = fixedClock(new Date('2027-01-05T00:00:00Z'));
  const after = await evaluateAlerts({ db: handle.db, clock: closed, config }, { dryRun: true, rule });
  assert.ok(after.ran);
  // Two teams are withheld (payments, a team of four, and growth's low turnout); the regressed team's drop is
  // unconfirmed; the others are within the threshold.
  assert.deepEqual(after.report.rules[0]?.outcomes, { fires: 0, within: 3, unconfirmed: 1, 'too-few': 2 });
  assert.deepEqual(after.report.rules[0]?.actions, []);
});
