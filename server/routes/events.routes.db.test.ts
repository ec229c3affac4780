import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase } from '../../test/test-database.ts';
import { buildIngestApp, createTestToken, INGEST_SECRET, postJson } from '../../test/ingest-app.ts';
import { requireScope } from '../auth/require-scope.ts';
import { fixedClock } from '../clock.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { revokeApiToken } from '../db/api-tokens.repository.ts';

const now = new Date('2026-11-20T12:00:00Z');
const URL = '/api/v1/events/deployments';
let handle: DatabaseHandle;
let app: FastifyTypebox;
let ingestToken: string;
let adminToken: string;

/** A successful production deployment of payments-api that shipped one commit of acme/billing. */
const deployment = (i: number, overrides: Record<string, unknown> = {}) => ({
  id: `deploy-${i}`,
  service: 'payments-api',
  repository: 'acme/billing',
  environment: 'production',
  sha: i.toString(16).padStart(8, '0').padStart(40, 'a'),
  status: 'success',
  startedAt: '2026-11-10T10:00:00Z',
  finishedAt: '2026-11-10T10:05:00Z',
  commits: [{ sha: i.toString(16).padStart(8, '0').padStart(40, 'c'), timestamp: '2026-11-09T08:00:00Z' }],
  ...overrides,
});

async function count(table: 'deployments' | 'event_payloads' | 'commits' | 'deployment_commits') {
  const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db);
  return result.rows[0]?.n;
}
const error = (response: { json: () => unknown }) =>
  (response.json() as { error: { code: string; field?: string; message: string } }).error;

before(async () => {
  handle = await openTestDatabase();
  app = await buildIngestApp(handle, { now });
  ingestToken = await createTestToken(handle, 'ci', 'ingest');
  adminToken = await createTestToken(handle, 'collector', 'admin');
  // A stand-in for the admin-only management routes to come, to test the scope check.
  app.post(
    '/test/admin-only',
    {
      preValidation: requireScope(
        { db: handle.db, clock: fixedClock(now), ingestSecret: INGEST_SECRET },
        'admin',
      ),
    },
    async () => ({ ok: true }),
  );
});
after(async () => {
  await app.close();
  await handle.close();
});

describe('POST /api/v1/events/deployments', () => {
  test('the same 1,000-event batch sent twice leaves 1,000 deployments, commits and links', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => deployment(i));
    for (const attempt of [1, 2]) {
      const response = await app.inject(postJson(URL, batch, { token: ingestToken }));
      assert.equal(response.statusCode, 200, `attempt ${attempt}: ${response.body}`);
      assert.deepEqual(response.json(), { accepted: 1000, unattributed: [] });
    }
    assert.equal(await count('deployments'), 1000);
    assert.equal(await count('commits'), 1000);
    assert.equal(await count('deployment_commits'), 1000);
    // The raw log is append-only: both deliveries are kept.
    assert.equal(await count('event_payloads'), 2);
    const stored = await handle.db
      .selectFrom('deployments')
      .selectAll()
      .where('externalId', '=', 'deploy-7')
      .executeTakeFirstOrThrow();
    assert.equal(stored.source, 'api');
    assert.equal(stored.status, 'success');
    assert.equal(stored.kind, 'planned');
    assert.equal(stored.teamAttribution, 'ownership');
    assert.equal(stored.finishedAt?.toISOString(), '2026-11-10T10:05:00.000Z');
  });

  test('a batch with one bad item is a 400 naming it, and writes nothing', async () => {
    const [deployments, payloads] = [await count('deployments'), await count('event_payloads')];
    const batch = Array.from({ length: 10 }, (_, i) => deployment(5000 + i));
    batch[7] = deployment(5007, { status: 'succeeded' });
    const response = await app.inject(postJson(URL, batch, { token: ingestToken }));
    assert.equal(response.statusCode, 400);
    assert.equal(error(response).field, 'body[7].status');
    assert.match(error(response).message, /body\[7\]\.status must be one of: success, failure, in_progress/);
    assert.equal(await count('deployments'), deployments);
    assert.equal(await count('event_payloads'), payloads);
  });

  test('checks beyond the schema name the item and field too, and write nothing', async () => {
    const payloads = await count('event_payloads');
    const cases: [Record<string, unknown>, string][] = [
      [{ team: 'no-such-team' }, 'body[1].team'],
      [{ service: undefined, repository: undefined }, 'body[1].service'],
      [{ finishedAt: null }, 'body[1].finishedAt'],
      [{ finishedAt: '2026-11-10T09:00:00Z' }, 'body[1].finishedAt'],
      [
        { repository: undefined, commits: [{ sha: 'abcdef1', timestamp: '2026-11-09T08:00:00Z' }] },
        'body[1].commits[0].repository',
      ],
      [{ startedAt: '2026-11-10 10:00' }, 'body[1].startedAt'],
      [{ colour: 'blue' }, 'body[1].colour'],
    ];
    for (const [overrides, field] of cases) {
      const batch = [deployment(6000), deployment(6001, overrides)];
      const response = await app.inject(postJson(URL, batch, { token: ingestToken }));
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.equal(error(response).field, field);
    }
    assert.equal(await count('event_payloads'), payloads);
    const written = await handle.db
      .selectFrom('deployments')
      .select('id')
      .where('externalId', '=', 'deploy-6000');
    assert.equal((await written.execute()).length, 0);
  });

  test('a batch of 1,001 is rejected', async () => {
    const batch = Array.from({ length: 1001 }, (_, i) => deployment(7000 + i));
    const response = await app.inject(postJson(URL, batch, { token: ingestToken }));
    assert.equal(response.statusCode, 400);
    assert.equal(error(response).field, 'body');
    assert.match(error(response).message, /more than 1000 items/);
  });

  test('one event without an array is a batch of one; an explicit team wins over ownership', async () => {
    const response = await app.inject(
      postJson(URL, deployment(8000, { team: 'search', kind: 'hotfix', commits: undefined }), {
        token: ingestToken,
      }),
    );
    assert.equal(response.statusCode, 200, response.body);
    const stored = await handle.db
      .selectFrom('deployments')
      .innerJoin('teams', 'teams.id', 'deployments.teamId')
      .select(['teams.slug', 'deployments.teamAttribution', 'deployments.kind'])
      .where('externalId', '=', 'deploy-8000')
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { slug: 'search', teamAttribution: 'explicit', kind: 'hotfix' });
  });

  test('an event no team owns is accepted with 202 and listed', async () => {
    const response = await app.inject(
      postJson(
        URL,
        [deployment(9000), deployment(9001, { service: 'mystery-svc', repository: 'acme/unknown' })],
        { token: ingestToken },
      ),
    );
    assert.equal(response.statusCode, 202);
    assert.deepEqual(response.json(), { accepted: 2, unattributed: [{ index: 1, id: 'deploy-9001' }] });
  });
});

describe('ingestion authentication', () => {
  const body = [deployment(10_000)];

  test('unsigned, wrongly signed and revoked-token requests are 401 and write nothing', async () => {
    const [deployments, payloads] = [await count('deployments'), await count('event_payloads')];
    const revoked = await createTestToken(handle, 'old-ci', 'ingest');
    await revokeApiToken(handle.db, 'old-ci', now);
    const attempts = [
      postJson(URL, body),
      postJson(URL, body, { secret: 'not-the-secret' }),
      postJson(URL, body, { headers: { 'x-groundwork-signature': 'sha256=' } }),
      postJson(URL, body, { token: revoked }),
      postJson(URL, body, { token: 'gw_made-up' }),
      postJson(URL, body, { headers: { authorization: `Basic ${ingestToken}` } }),
      // Unauthenticated callers get 401 even for an invalid body: authentication comes first.
      postJson(URL, [{ nonsense: true }]),
    ];
    for (const attempt of attempts) {
      const response = await app.inject(attempt);
      assert.equal(response.statusCode, 401, `${JSON.stringify(attempt.headers)}: ${response.body}`);
      assert.equal(error(response).code, 'UNAUTHENTICATED');
    }
    assert.equal(await count('deployments'), deployments);
    assert.equal(await count('event_payloads'), payloads);
  });

  test('a signature over different bytes than were sent is rejected', async () => {
    const signed = postJson(URL, body, { secret: INGEST_SECRET });
    const tampered = { ...signed, payload: JSON.stringify([deployment(10_000, { status: 'failure' })]) };
    assert.equal((await app.inject(tampered)).statusCode, 401);
  });

  test('HMAC signature and bearer token are both accepted; the payload log says who sent it', async () => {
    const signed = await app.inject(postJson(URL, body, { secret: INGEST_SECRET }));
    assert.equal(signed.statusCode, 200, signed.body);
    const byToken = await app.inject(postJson(URL, body, { token: adminToken }));
    assert.equal(byToken.statusCode, 200, byToken.body);
    const senders = await handle.db
      .selectFrom('eventPayloads')
      .select(['authMethod', 'tokenName'])
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    assert.deepEqual(senders, [
      { authMethod: 'token', tokenName: 'collector' },
      { authMethod: 'signature', tokenName: null },
    ]);
    const used = await handle.db
      .selectFrom('apiTokens')
      .select('lastUsedAt')
      .where('name', '=', 'collector')
      .executeTakeFirstOrThrow();
    assert.equal(used.lastUsedAt?.toISOString(), now.toISOString());
  });

  test('a route that needs the admin scope refuses ingest tokens and signatures with 403', async () => {
    const asIngest = await app.inject(postJson('/test/admin-only', {}, { token: ingestToken }));
    assert.equal(asIngest.statusCode, 403);
    assert.equal(error(asIngest).code, 'FORBIDDEN');
    const signed = await app.inject(postJson('/test/admin-only', {}, { secret: INGEST_SECRET }));
    assert.equal(signed.statusCode, 403);
    const asAdmin = await app.inject(postJson('/test/admin-only', {}, { token: adminToken }));
    assert.equal(asAdmin.statusCode, 200);
  });
});
