// `groundwork alerts evaluate` SIGKILLed while its notification is on the wire (claimed and sent, never
// acknowledged), then run again: the restarted process takes the dead one's outbox lease over at once and
// delivers with the same X-Groundwork-Delivery id, so the receiver can drop the repeat.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { insertChanges, syntheticChanges } from '../../test/alert-fixtures.ts';
import { startAlertReceiver } from '../../test/alert-receiver.ts';
import type { AlertReceiver } from '../../test/alert-receiver.ts';
import { binPath, cleanEnv } from '../../test/cli-process.ts';
import { createPostgresScratchDatabase, testEngine } from '../../test/test-database.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { DAY_MS } from '../time.ts';

const until = new Date('2026-12-01T00:00:00Z');
const day = (offset: number) => new Date(until.getTime() + offset * DAY_MS);
const work = mkdtempSync(path.join(os.tmpdir(), 'groundwork-alerts-kill-'));
const dataDir = path.join(work, 'data');
let scratch: Awaited<ReturnType<typeof createPostgresScratchDatabase>> = null;
let receiver: AlertReceiver;

const database = () =>
  openDatabase({ url: scratch?.url ?? null, dataDir: scratch ? 'memory' : dataDir, role: 'test' });

before(async () => {
  receiver = await startAlertReceiver();
  writeFileSync(
    path.join(work, 'groundwork.yaml'),
    `organization: acme
teams: []
alerts:
  channels: [{ name: hook, type: webhook, urlEnv: HOOK_URL, secretEnv: HOOK_SECRET }]
`,
  );
  scratch = await createPostgresScratchDatabase('gw_alerts_kill');
  const template = process.env['GROUNDWORK_TEST_PGLITE_TEMPLATE'];
  if (!scratch && template)
    cpSync(path.join(template, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
  const handle = await database();
  try {
    await migrateToLatest(handle.db);
    const teams = [
      { slug: 'regressed', medianHours: 20, perDay: 3, slowdowns: [{ from: day(-10), factor: 3 }] },
    ];
    await insertChanges(handle.db, teams, syntheticChanges(teams, { from: day(-110), until }, 5));
  } finally {
    await handle.close();
  }
});
after(async () => {
  await receiver.close();
  await scratch?.drop();
});

function alertsEvaluate(): {
  exited: Promise<{ code: number | null; signal: string | null; output: string }>;
  kill(): void;
} {
  const child = spawn(process.execPath, [binPath, 'alerts', 'evaluate'], {
    cwd: work,
    env: cleanEnv({
      GROUNDWORK_NOW: '2026-12-01T06:00:00Z',
      GROUNDWORK_DATA_DIR: dataDir,
      HOOK_URL: `${receiver.url}/hook`,
      HOOK_SECRET: 'kill-test-secret',
      ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    }),
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output }))),
    kill: () => child.kill('SIGKILL'),
  };
}

describe(`alert delivery across a kill -9 (${testEngine})`, () => {
  test('killed between claim and acknowledgement, the restarted process delivers with the same id', async () => {
    const first = alertsEvaluate();
    receiver.onRequest = () => {
      first.kill();
      return 'hold';
    };
    const killed = await first.exited;
    assert.equal(killed.signal, 'SIGKILL', killed.output);
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.accepted('/hook').length, 0);

    receiver.onRequest = null;
    const restarted = await alertsEvaluate().exited;
    assert.equal(restarted.code, 0, restarted.output);
    // The alert was already open: re-evaluation updates it and queues nothing new.
    assert.match(restarted.output, /regressed: update #1/);
    assert.match(restarted.output, /Notifications: 1 delivered, 0 to retry/);
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.accepted('/hook').length, 1);
    const [lost, delivered] = receiver.received;
    assert.equal(delivered?.headers['x-groundwork-delivery'], lost?.headers['x-groundwork-delivery']);

    const handle = await database();
    try {
      const rows = await handle.db.selectFrom('alertNotifications').select(['status', 'attempts']).execute();
      assert.deepEqual(rows, [{ status: 'delivered', attempts: 2 }]);
    } finally {
      await handle.close();
    }
  });
});
