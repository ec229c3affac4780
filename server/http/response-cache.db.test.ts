import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { buildAuthApp } from '../../test/auth-app.ts';
import { createTestToken, INGEST_SECRET, postJson } from '../../test/ingest-app.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { issueToken } from '../auth/token-service.ts';

// Kept answers (server/http/response-cache.ts, issue #17): a repeated read is served as it was sent, until a
// write commits, a minute passes, or the caller differs — a team lead's titles must never reach a viewer.
let now = new Date('2026-11-20T12:00:00Z');
let handle: DatabaseHandle;
let app: FastifyTypebox;
const tokens: Record<string, string> = {};

const get = (url: string, token: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens[token] ?? ''}`, ...headers } });

const push = async (path: string, body: unknown[]) => {
  const response = await app.inject(postJson(path, body, { secret: INGEST_SECRET }));
  assert.equal(response.statusCode, 200, response.body);
};

before(async () => {
  handle = await openTestDatabase();
  app = await buildAuthApp(handle, {
    now,
    auth: { mode: 'token', roles: { admin: ['platform-admins'] } },
    clock: { now: () => now },
  });
  tokens['viewer'] = await createTestToken(handle, 'dashboard', 'read');
  tokens['lead'] =
    (await issueToken(handle.db, { name: 'lead', scope: 'read', team: 'payments', expiresAt: null }, now)) ??
    '';
  await push('/api/v1/events/incidents', [
    {
      id: 'inc-1',
      service: 'payments-api',
      startedAt: '2026-11-18T10:00:00Z',
      resolvedAt: '2026-11-18T11:00:00Z',
      severity: 'sev1',
      title: 'Card payments failing in EU',
    },
  ]);
});
after(async () => {
  await app.close();
  await handle.close();
});

const deployment = (id: string) => ({
  id,
  service: 'payments-api',
  environment: 'production',
  sha: 'a'.repeat(40),
  status: 'success',
  startedAt: '2026-11-19T10:00:00Z',
  finishedAt: '2026-11-19T10:05:00Z',
});

describe('kept answers', () => {
  const METRICS = '/api/v1/teams/payments/metrics?period=last-30d';

  test('a repeated read is the kept answer, gzipped when asked; a write makes the next one fresh', async () => {
    const first = await get(METRICS, 'viewer');
    assert.equal(first.statusCode, 200);
    assert.equal(first.headers['x-cache'], 'miss');
    const again = await get(METRICS, 'viewer');
    assert.equal(again.headers['x-cache'], 'hit');
    assert.equal(again.body, first.body);
    const otherClient = await get(METRICS, 'viewer', { accept: 'application/json, text/plain, */*' });
    assert.equal(otherClient.headers['x-cache'], 'hit', 'another Accept header that does not ask for CSV');
    assert.match(String(again.headers['content-type']), /^application\/json/);

    const zipped = await get(METRICS, 'viewer', { 'accept-encoding': 'br, gzip;q=0.8' });
    assert.equal(zipped.headers['x-cache'], 'hit');
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers['vary'], 'accept-encoding');
    assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), first.body);
    const refused = await get(METRICS, 'viewer', { 'accept-encoding': 'gzip;q=0' });
    assert.equal(refused.headers['content-encoding'], undefined);
    const csv = await get('/api/v1/metrics?period=last-30d', 'viewer', { accept: 'text/csv' });
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const json = await get('/api/v1/metrics?period=last-30d', 'viewer');
    assert.match(String(json.headers['content-type']), /^application\/json/);
    assert.match(
      String(
        (await get('/api/v1/metrics?period=last-30d', 'viewer', { accept: 'text/csv' })).headers[
          'content-type'
        ],
      ),
      /^text\/csv/,
    );

    await push('/api/v1/events/deployments', [deployment('d-1')]);
    const fresh = await get(METRICS, 'viewer');
    assert.equal(fresh.headers['x-cache'], 'miss');
    const count = (body: string) =>
      (JSON.parse(body) as { deploymentFrequency: { count: number } }).deploymentFrequency.count;
    assert.equal(count(fresh.body), count(first.body) + 1);
  });

  test('answers are kept per caller: the team lead’s titles never reach a viewer', async () => {
    const samples = '/api/v1/teams/payments/metrics/recoveryTime/samples?period=last-30d';
    const title = (body: string) =>
      (JSON.parse(body) as { samples: { title: string | null }[] }).samples[0]?.title;
    const lead = await get(samples, 'lead');
    assert.equal(title(lead.body), 'Card payments failing in EU');
    const viewer = await get(samples, 'viewer');
    assert.equal(viewer.headers['x-cache'], 'miss');
    assert.equal(title(viewer.body), null);
    assert.equal(title((await get(samples, 'lead')).body), 'Card payments failing in EU');
  });

  test('an answer is at most a minute old, and errors and writes are never kept', async () => {
    await get(METRICS, 'viewer');
    assert.equal((await get(METRICS, 'viewer')).headers['x-cache'], 'hit');
    now = new Date(now.getTime() + 60_000);
    assert.equal((await get(METRICS, 'viewer')).headers['x-cache'], 'miss');

    const missing = '/api/v1/teams/nobody/metrics?period=last-30d';
    assert.equal((await get(missing, 'viewer')).statusCode, 404);
    assert.equal((await get(missing, 'viewer')).headers['x-cache'], 'miss');
  });
});
