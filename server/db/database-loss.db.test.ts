import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import { sql } from 'kysely';
import { buildIngestApp, createTestToken, postJson } from '../../test/ingest-app.ts';
import { startTcpProxy } from '../../test/tcp-proxy.ts';
import type { TcpProxy } from '../../test/tcp-proxy.ts';
import { createPostgresScratchDatabase, openTestDatabase, testEngine } from '../../test/test-database.ts';
import type { FastifyTypebox } from '../app.ts';
import { openDatabase } from './database.ts';
import type { DatabaseHandle } from './database.ts';
import { migrateToLatest } from './migrate.ts';

// The database failing under a write batch: the request is a 503 with Retry-After, the process survives,
// /readyz says not ready while writes fail, and everything recovers with the database. On PostgreSQL the
// connection itself is cut (a TCP proxy between server and database); a full disk is a trigger raising
// PostgreSQL's own disk_full error, on either engine.
const now = new Date('2026-11-20T12:00:00Z');

const batch = (prefix: string, size: number) =>
  Array.from({ length: size }, (_, i) => ({
    id: `${prefix}-${i}`,
    service: 'payments-api',
    environment: 'production',
    sha: (i + 1).toString(16).padStart(40, 'b'),
    status: 'success',
    startedAt: '2026-11-10T10:00:00Z',
    finishedAt: '2026-11-10T10:05:00Z',
  }));

async function deploymentsLike(handle: DatabaseHandle, prefix: string): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from deployments
    where external_id like ${`${prefix}-%`}`.execute(handle.db);
  return result.rows[0]?.n ?? -1;
}

describe('the database failing during a write batch', () => {
  let handle: DatabaseHandle;
  let app: FastifyTypebox;
  let token: string;
  let proxy: TcpProxy | null = null;
  let scratch: Awaited<ReturnType<typeof createPostgresScratchDatabase>> = null;

  before(async () => {
    scratch = await createPostgresScratchDatabase('gw_loss');
    if (scratch) {
      const direct = new URL(scratch.url);
      const setup = await openDatabase({ url: scratch.url, dataDir: 'memory', role: 'test' });
      await migrateToLatest(setup.db);
      await setup.close();
      proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      const viaProxy = new URL(scratch.url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      handle = await openDatabase({
        url: viaProxy.toString(),
        dataDir: 'memory',
        role: 'test',
        connectionTimeoutMs: 2000,
      });
    } else {
      handle = await openTestDatabase();
    }
    app = await buildIngestApp(handle, { now });
    token = await createTestToken(handle, 'ci', 'ingest');
  });
  after(async () => {
    await app.close();
    await handle.close();
    await proxy?.close();
    await scratch?.drop();
  });

  const post = (prefix: string) =>
    app.inject(postJson('/api/v1/events/deployments', batch(prefix, 300), { token }));

  test(
    testEngine === 'postgres'
      ? 'the connection cut mid-batch: 503, the server lives, recovers when the database returns'
      : 'PGlite has no connection to cut: the batch and readiness on a healthy database',
    async () => {
      assert.equal((await post('before')).statusCode, 200);
      if (!proxy) {
        assert.equal((await app.inject('/readyz')).statusCode, 200);
        return;
      }
      // The deployments upsert (server/db/deployments.repository.ts), mid-transaction.
      const cut = proxy.cutOn('insert into deployments');
      const response = await post('cut');
      // A statement that no longer matches must fail this test, not hang it.
      const missed = setTimeout(30_000, 'missed', { ref: false });
      assert.notEqual(
        await Promise.race([cut, missed]),
        'missed',
        'the proxy never saw the deployments insert',
      );
      assert.equal(response.statusCode, 503, response.body);
      assert.equal(response.headers['retry-after'], '5');
      assert.equal(response.json().error.code, 'DATABASE_UNAVAILABLE');
      assert.doesNotMatch(response.body, /insert|deployments|ECONN|127\.0\.0\.1/i);
      // Still down: new connections are refused, and readiness says so.
      const down = await app.inject('/readyz');
      assert.equal(down.statusCode, 503);
      assert.equal(down.json().status, 'unavailable');
      assert.equal((await app.inject('/healthz')).statusCode, 200);

      proxy.restore();
      assert.equal((await app.inject('/readyz')).statusCode, 200);
      assert.equal((await post('cut')).statusCode, 200);
      // All-or-nothing: the cut batch left nothing half-written; sent again it is there exactly once.
      assert.equal(await deploymentsLike(handle, 'cut'), 300);
      assert.equal(await deploymentsLike(handle, 'before'), 300);
    },
  );

  test('a full disk: 503 with Retry-After, /readyz not ready while writes fail, ready after one succeeds', async () => {
    await sql`create function gw_test_disk_full() returns trigger language plpgsql as $$
      begin raise exception 'could not extend file: No space left on device' using errcode = 'disk_full'; end $$`.execute(
      handle.db,
    );
    await sql`create trigger gw_test_disk_full before insert on event_payloads
      for each row execute function gw_test_disk_full()`.execute(handle.db);
    const response = await post('full');
    assert.equal(response.statusCode, 503, response.body);
    assert.equal(response.headers['retry-after'], '5');
    assert.doesNotMatch(response.body, /No space|event_payloads/);
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 503);
    assert.match(ready.json().reason, /writes are failing/);
    assert.equal(await deploymentsLike(handle, 'full'), 0);

    await sql`drop trigger gw_test_disk_full on event_payloads`.execute(handle.db);
    assert.equal((await post('full')).statusCode, 200);
    assert.equal((await app.inject('/readyz')).statusCode, 200);
    assert.equal(await deploymentsLike(handle, 'full'), 300);
  });
});
