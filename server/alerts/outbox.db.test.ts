// Notifications through the outbox to a local receiver (127.0.0.1): Slack Block Kit and the signed JSON
// webhook, refusals and retries with backoff, exactly one accepted delivery per channel; and two evaluator
// instances on one database (two pools on PostgreSQL, one handle on PGlite) that notify once.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { insertChanges, syntheticChanges } from '../../test/alert-fixtures.ts';
import { startAlertReceiver } from '../../test/alert-receiver.ts';
import type { AlertReceiver } from '../../test/alert-receiver.ts';
import { openTestDatabase, openTwoInstances, testEngine } from '../../test/test-database.ts';
import { sha256Signature } from '../auth/signatures.ts';
import { dataVersion } from '../cache/shared-figures.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { AppConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { DAY_MS } from '../time.ts';
import { sendTestMessage } from './alerts.service.ts';
import { evaluateAlerts } from './evaluator.ts';
import { drainOutbox } from './outbox.ts';

const until = new Date('2026-12-01T00:00:00Z');
const day = (offset: number) => new Date(until.getTime() + offset * DAY_MS);
const SECRET = 'webhook-signing-secret';
const TEAMS = [
  { slug: 'regressed', medianHours: 20, perDay: 3, slowdowns: [{ from: day(-10), factor: 3 }] },
  { slug: 'steady', medianHours: 20, perDay: 3 },
];

let receiver: AlertReceiver;
let config: AppConfig;

before(async () => {
  receiver = await startAlertReceiver();
  config = loadConfig({
    env: { SLACK_URL: `${receiver.url}/slack`, HOOK_URL: `${receiver.url}/hook`, HOOK_SECRET: SECRET },
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-outbox-')),
    fallbackOrganization: () => ({
      organization: 'acme',
      teams: [],
      alerts: {
        dashboardUrl: 'https://groundwork.acme.test',
        channels: [
          { name: 'team-slack', type: 'slack', urlEnv: 'SLACK_URL' },
          { name: 'hook', type: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' },
        ],
      },
    }),
  });
});
after(() => receiver.close());

const seconds = (s: number) => fixedClock(new Date(until.getTime() + 6 * 3_600_000 + s * 1000));

describe(`alert notifications through the outbox (${testEngine})`, () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await openTestDatabase();
    await insertChanges(handle.db, TEAMS, syntheticChanges(TEAMS, { from: day(-110), until }, 11));
  });
  after(() => handle.close());

  const drainAt = async (s: number) => {
    const drained = await drainOutbox({ db: handle.db, clock: seconds(s), channels: config.alertChannels });
    assert.ok(drained.ran);
    return drained.result;
  };

  test('an idle outbox writes nothing: no lease is taken when nothing is due', async () => {
    // Every minute's drain would otherwise move the data version the shared figures and kept answers key on.
    const before = await dataVersion(handle.db);
    assert.deepEqual(await drainAt(0), { delivered: 0, failed: [] });
    assert.equal(await dataVersion(handle.db), before);
  });

  test('a receiver that refuses the first deliveries still gets each exactly once, with a stable delivery id', async () => {
    receiver.received.length = 0;
    receiver.refusals = 3;
    const evaluated = await evaluateAlerts({ db: handle.db, clock: seconds(0), config });
    assert.ok(evaluated.ran);
    assert.equal(evaluated.report.rules[0]?.outcomes.fires, 1);
    // t = 0: both refused (Slack first: queued in the order of alerts.channels); retries back off 30 s.
    assert.deepEqual((await drainAt(0)).delivered, 0);
    assert.equal((await drainAt(10)).delivered, 0, 'nothing is due before its backoff');
    assert.equal(receiver.received.length, 2);
    // t = 31 s: Slack refused a third time (next in 60 s), the webhook delivered.
    assert.equal((await drainAt(31)).delivered, 1);
    assert.equal((await drainAt(92)).delivered, 1);
    assert.equal((await drainAt(4000)).delivered, 0);
    assert.equal(receiver.accepted('/slack').length, 1);
    assert.equal(receiver.accepted('/hook').length, 1);
    const ids = (requestPath: string) =>
      new Set(
        receiver.received
          .filter((r) => r.path === requestPath)
          .map((r) => r.headers['x-groundwork-delivery']),
      );
    assert.equal(ids('/slack').size, 1, 'every Slack attempt carried one delivery id');
    assert.equal(ids('/hook').size, 1);
    const rows = await handle.db
      .selectFrom('alertNotifications')
      .select(['channel', 'status', 'attempts', 'lastError', 'deliveryId'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((row) => [row.channel, row.status, row.attempts, row.lastError]),
      [
        ['team-slack', 'delivered', 3, null],
        ['hook', 'delivered', 2, null],
      ],
    );
    assert.equal(rows[0]?.deliveryId, [...ids('/slack')][0]);
  });

  test('the webhook is signed over timestamp.body; the payloads say what regressed and why', () => {
    const hook = receiver.accepted('/hook')[0];
    assert.ok(hook);
    const timestamp = hook.headers['x-groundwork-timestamp'] as string;
    assert.match(timestamp, /^\d+$/);
    assert.equal(
      hook.headers['x-groundwork-signature'],
      sha256Signature(SECRET, `${timestamp}.${hook.body}`),
    );
    assert.notEqual(hook.headers['x-groundwork-signature'], sha256Signature(SECRET, hook.body));
    const message = JSON.parse(hook.body) as {
      deliveryId: string;
      kind: string;
      team: { slug: string };
      metric: string;
      figures: { baseline: { value: number }; recent: { value: number }; change: number };
      drivers: { top: { label: string }[] };
      links: { alert: string; team: string; samples: string };
    };
    assert.equal(message.deliveryId, hook.headers['x-groundwork-delivery']);
    assert.equal(message.kind, 'fired');
    assert.equal(message.team.slug, 'regressed');
    assert.equal(message.metric, 'leadTime');
    assert.ok(message.figures.recent.value > message.figures.baseline.value * 1.25);
    assert.equal(message.drivers.top.length, 5);
    assert.match(message.links.alert, /^https:\/\/groundwork\.acme\.test\/alerts#alert-\d+$/);
    assert.equal(message.links.team, 'https://groundwork.acme.test/teams/regressed');
    assert.match(
      message.links.samples,
      /\/api\/v1\/teams\/regressed\/metrics\/leadTime\/samples\?from=2026-11-17T/,
    );

    const slack = receiver.accepted('/slack')[0];
    assert.ok(slack);
    assert.equal(slack.headers['x-groundwork-signature'], undefined, 'Slack webhooks are not signed');
    const body = JSON.parse(slack.body) as { text: string; blocks: Record<string, unknown>[] };
    assert.match(body.text, /^Lead time for Team regressed regressed \((warning|critical)\): /);
    // No breakdown stage context: these changes came without pull requests.
    assert.deepEqual(
      body.blocks.map((block) => block['type']),
      ['header', 'section', 'section', 'actions'],
    );
    const fields = (body.blocks[1] as { fields: { text: string }[] }).fields.map((field) => field.text);
    assert.equal(fields[0], '*Team*\nTeam regressed');
    assert.match(fields[2] ?? '', /^\*Baseline → current\*\n\d+\.\d h → \d+\.\d h$/);
    assert.match(
      (body.blocks[2] as { text: { text: string } }).text.text,
      /^\*Top contributing changes\*\n• acme\/regressed-s@/,
    );
  });

  test('test-channel sends a made-up alert now, and names what is missing', async () => {
    receiver.received.length = 0;
    assert.equal(await sendTestMessage(config, 'hook'), null);
    assert.equal(receiver.accepted('/hook').length, 1);
    assert.equal(JSON.parse(receiver.accepted('/hook')[0]?.body ?? '{}').kind, 'test');
    assert.match(
      (await sendTestMessage(config, 'nope')) ?? '',
      /no channel "nope" in alerts\.channels \(configured: team-slack, hook\)/,
    );
    receiver.refusals = 1;
    assert.equal(await sendTestMessage(config, 'team-slack'), 'slack receiver answered 503');
  });
});

describe(`two evaluator instances on one database (${testEngine})`, () => {
  let handles: [DatabaseHandle, DatabaseHandle];
  let closeAll: () => Promise<void>;
  before(async () => {
    ({ handles, close: closeAll } = await openTwoInstances('gw_alerts'));
    await insertChanges(handles[0].db, TEAMS, syntheticChanges(TEAMS, { from: day(-110), until }, 11));
  });
  after(() => closeAll());

  test('both evaluate and drain at once, twice over: one alert, one notification per channel', async () => {
    receiver.received.length = 0;
    receiver.refusals = 0;
    const instance = async (handle: DatabaseHandle, s: number) => {
      await evaluateAlerts({ db: handle.db, clock: seconds(s), config });
      await drainOutbox({ db: handle.db, clock: seconds(s), channels: config.alertChannels });
    };
    await Promise.all([instance(handles[0], 0), instance(handles[1], 0)]);
    await Promise.all([instance(handles[0], 60), instance(handles[1], 60)]);
    // Whichever drain lost the race to the lease, the pending ones went out in the next round.
    assert.equal(receiver.accepted('/slack').length, 1);
    assert.equal(receiver.accepted('/hook').length, 1);
    assert.equal(receiver.received.length, 2);
    const alerts = await handles[0].db.selectFrom('alerts').select('status').execute();
    assert.deepEqual(alerts, [{ status: 'open' }]);
  });
});
