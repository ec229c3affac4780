import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildIngestApp, GITHUB_SECRET, INGEST_SECRET, postJson } from '../../test/ingest-app.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import type { FastifyTypebox } from '../app.ts';
import { sha256Signature } from '../auth/signatures.ts';
import type { DatabaseHandle } from '../db/database.ts';

// A captured signed request must not replay forever: timestamped signatures with a window, a refusal of
// body-only signatures once required, no reopening of a resolved incident by an old event, and GitHub
// deliveries recognised by their signed body, not only by their unsigned GUID.
const now = new Date('2026-11-20T12:00:00Z');
const nowSeconds = Math.floor(now.getTime() / 1000);
let handle: DatabaseHandle;
let app: FastifyTypebox;
let strict: FastifyTypebox;

before(async () => {
  handle = await openTestDatabase();
  app = await buildIngestApp(handle, { now });
  strict = await buildIngestApp(handle, { now, requireTimestamp: true });
});
after(async () => {
  await app.close();
  await strict.close();
  await handle.close();
});

const incident = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  service: 'payments-api',
  startedAt: '2026-11-10T10:00:00Z',
  severity: 'sev2',
  ...overrides,
});
const INCIDENTS = '/api/v1/events/incidents';

describe('timestamped signatures', () => {
  test('"<timestamp>.<body>" within five minutes is accepted; older, newer or tampered is a 401', async () => {
    const body = [incident('ts-1')];
    for (const skew of [0, -299, 299]) {
      const response = await app.inject(
        postJson(INCIDENTS, body, { secret: INGEST_SECRET, timestamp: nowSeconds + skew }),
      );
      assert.equal(response.statusCode, 200, response.body);
    }
    for (const skew of [-301, 3600]) {
      const response = await app.inject(
        postJson(INCIDENTS, body, { secret: INGEST_SECRET, timestamp: nowSeconds + skew }),
      );
      assert.equal(response.statusCode, 401, response.body);
      assert.match(response.json().error.message, /X-Groundwork-Timestamp is \d+ s from the server's clock/);
    }
    // The timestamp is covered: moving it invalidates the signature.
    const signed = postJson(INCIDENTS, body, { secret: INGEST_SECRET, timestamp: nowSeconds - 1000 });
    const moved = { ...signed, headers: { ...signed.headers, 'x-groundwork-timestamp': String(nowSeconds) } };
    assert.equal((await app.inject(moved)).statusCode, 401);
  });

  test('with ingest.requireTimestamp a body-only signature is refused; off (the default) it is accepted', async () => {
    const body = [incident('ts-2')];
    assert.equal((await app.inject(postJson(INCIDENTS, body, { secret: INGEST_SECRET }))).statusCode, 200);
    const refused = await strict.inject(postJson(INCIDENTS, body, { secret: INGEST_SECRET }));
    assert.equal(refused.statusCode, 401);
    assert.match(refused.json().error.message, /ingest\.requireTimestamp/);
    const timed = await strict.inject(
      postJson(INCIDENTS, body, { secret: INGEST_SECRET, timestamp: nowSeconds }),
    );
    assert.equal(timed.statusCode, 200, timed.body);
  });
});

describe('a replayed "open" incident', () => {
  const post = (events: unknown[]) => app.inject(postJson(INCIDENTS, events, { secret: INGEST_SECRET }));
  const resolvedAt = async (id: string) =>
    (
      await handle.db
        .selectFrom('incidents')
        .select('resolvedAt')
        .where('externalId', '=', id)
        .executeTakeFirstOrThrow()
    ).resolvedAt;

  test('does not reopen a resolved one (409 naming the item); a reopen after the resolution does', async () => {
    assert.equal((await post([incident('replay-1')])).statusCode, 200);
    assert.equal(
      (await post([incident('replay-1', { resolvedAt: '2026-11-10T12:00:00Z' })])).statusCode,
      200,
    );

    const replayed = await post([incident('other'), incident('replay-1')]);
    assert.equal(replayed.statusCode, 409, replayed.body);
    assert.equal(replayed.json().error.field, 'body[1].resolvedAt');
    const stale = await post([incident('replay-1', { updatedAt: '2026-11-10T11:00:00Z' })]);
    assert.equal(stale.statusCode, 409);
    assert.deepEqual(await resolvedAt('replay-1'), new Date('2026-11-10T12:00:00Z'));
    // All-or-nothing: the other incident in the refused batch was not written.
    const others = await handle.db
      .selectFrom('incidents')
      .select('id')
      .where('externalId', '=', 'other')
      .execute();
    assert.equal(others.length, 0);

    const reopened = await post([incident('replay-1', { updatedAt: '2026-11-11T09:00:00Z' })]);
    assert.equal(reopened.statusCode, 200, reopened.body);
    assert.equal(await resolvedAt('replay-1'), null);
  });
});

describe('GitHub webhook de-duplication', () => {
  test('a captured delivery replayed under a new X-GitHub-Delivery is a duplicate', async () => {
    const payload = JSON.stringify({
      action: 'created',
      deployment_status: {
        id: 77,
        state: 'success',
        environment: 'production',
        created_at: '2026-11-10T10:05:00Z',
        updated_at: '2026-11-10T10:05:00Z',
      },
      deployment: {
        id: 2002,
        sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        ref: 'main',
        task: 'deploy',
        environment: 'production',
        created_at: '2026-11-10T10:00:00Z',
      },
      repository: { id: 42, full_name: 'acme/billing' },
      sender: { login: 'octocat' },
    });
    const deliver = (guid: string) =>
      app.inject(
        postJson('/api/v1/webhooks/github', payload, {
          headers: {
            'x-github-event': 'deployment_status',
            'x-github-delivery': guid,
            'x-hub-signature-256': sha256Signature(GITHUB_SECRET, payload),
          },
        }),
      );
    assert.equal((await deliver('guid-original')).json().status, 'accepted');
    const payloads = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from event_payloads where kind = 'deployment_status'`.execute(handle.db)
      ).rows[0]?.n;
    const before = await payloads();
    const replay = await deliver('guid-forged-by-the-replayer');
    assert.equal(replay.statusCode, 200);
    assert.equal(replay.json().status, 'duplicate');
    assert.equal(await payloads(), before);
  });
});
