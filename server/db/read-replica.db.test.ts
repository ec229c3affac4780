import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../config/config.ts';
import { buildIngestApp, createTestToken, postJson } from '../../test/ingest-app.ts';
import { createPostgresScratchDatabase, openTestDatabase, testEngine } from '../../test/test-database.ts';
import type { FastifyTypebox } from '../app.ts';
import { openDatabase } from './database.ts';
import type { DatabaseHandle } from './database.ts';
import { migrateToLatest } from './migrate.ts';

// Dashboard reads on a streaming read replica (DATABASE_READ_URL, issue #17). `.ci/run` builds the replica
// of its PostgreSQL with `pg_basebackup -R` on another loopback port; here replay is paused to tell the two
// servers apart: what the replica has not replayed, a read served there cannot show.
const primaryUrl = process.env['DATABASE_URL'];
const replicaUrl = process.env['DATABASE_READ_URL'];
const now = new Date('2026-11-20T12:00:00Z');

describe('DATABASE_READ_URL', () => {
  test('a read replica needs its primary: refused without DATABASE_URL, named in the error', () => {
    assert.throws(
      () =>
        loadConfig({
          env: { DATABASE_READ_URL: 'postgres://replica/groundwork' },
          cwd: '/nonexistent',
          fallbackOrganization: () => ({ organization: 'x', teams: [] }),
        }),
      /DATABASE_READ_URL.*set DATABASE_URL too/s,
    );
  });

  test('without a replica, reads use the primary handle', async () => {
    const handle = await openTestDatabase();
    try {
      assert.equal(handle.read, handle.db);
    } finally {
      await handle.close();
    }
  });
});

if (testEngine === 'postgres') {
  if (replicaUrl) replicaSuite(primaryUrl ?? '', replicaUrl);
  else if (process.env['CI'] === 'true')
    test('a read replica is set up (CI)', () =>
      assert.fail('DATABASE_READ_URL is not set: .ci/run must start the streaming replica'));
  else
    test('reads served by a streaming replica', {
      skip: 'needs DATABASE_READ_URL: a streaming replica of DATABASE_URL (pg_basebackup -R, see .ci/run)',
    });
}

function replicaSuite(adminUrl: string, replicaAdminUrl: string): void {
  describe('reads on a streaming replica, writes on the primary', () => {
    let scratch: { url: string; drop(): Promise<void> };
    let handle: DatabaseHandle;
    let app: FastifyTypebox;
    let replicaAdmin: pg.Client;
    let primaryAdmin: pg.Client;

    before(async () => {
      scratch = (await createPostgresScratchDatabase('gw_replica')) as typeof scratch;
      const setup = await openDatabase({ url: scratch.url, dataDir: 'memory', role: 'test' });
      await migrateToLatest(setup.db);
      await setup.close();
      const readUrl = new URL(replicaAdminUrl);
      readUrl.pathname = new URL(scratch.url).pathname;
      primaryAdmin = new pg.Client({ connectionString: adminUrl });
      replicaAdmin = new pg.Client({ connectionString: replicaAdminUrl });
      await Promise.all([primaryAdmin.connect(), replicaAdmin.connect()]);
      await caughtUp(primaryAdmin, replicaAdmin); // the new database and its schema have been replayed
      handle = await openDatabase({
        url: scratch.url,
        readUrl: readUrl.toString(),
        dataDir: 'memory',
        role: 'test',
      });
      app = await buildIngestApp(handle, { now });
    });
    after(async () => {
      await replicaAdmin?.query('select pg_wal_replay_resume()').catch(() => undefined);
      await app?.close();
      await handle?.close();
      await Promise.all([primaryAdmin?.end(), replicaAdmin?.end()]);
      await scratch?.drop();
    });

    test('the read pool is the replica, which refuses writes; the primary pool is not', async () => {
      const inRecovery = async (db: DatabaseHandle['db']) =>
        (await sql<{ standby: boolean }>`select pg_is_in_recovery() as standby`.execute(db)).rows[0]?.standby;
      assert.equal(await inRecovery(handle.read), true);
      assert.equal(await inRecovery(handle.db), false);
      await assert.rejects(
        handle.read.insertInto('repositories').values({ fullName: 'acme/nowhere' }).execute(),
        /read-only transaction/,
      );
    });

    test('a push is written on the primary and reaches the dashboard once the replica replays it', async () => {
      const token = await createTestToken(handle, 'ci', 'ingest');
      const deploymentCount = async () => {
        const response = await app.inject({
          url: '/api/v1/teams/payments/metrics?from=2026-11-01&to=2026-11-20',
        });
        assert.equal(response.statusCode, 200, response.body);
        return (response.json() as { deploymentFrequency: { count: number } }).deploymentFrequency.count;
      };
      await caughtUp(primaryAdmin, replicaAdmin);
      assert.equal(await deploymentCount(), 0);

      await replicaAdmin.query('select pg_wal_replay_pause()');
      // Ingest (its token check writes last_used_at) and its read-after-write all run on the primary: a write
      // routed to the paused, read-only replica would fail the request.
      const pushed = await app.inject(
        postJson(
          '/api/v1/events/deployments',
          {
            id: 'replica-1',
            service: 'payments-api',
            repository: 'acme/billing',
            environment: 'production',
            sha: 'a'.repeat(40),
            status: 'success',
            startedAt: '2026-11-10T10:00:00Z',
            finishedAt: '2026-11-10T10:05:00Z',
            commits: [{ sha: 'c'.repeat(40), timestamp: '2026-11-09T08:00:00Z' }],
          },
          { token },
        ),
      );
      assert.equal(pushed.statusCode, 200, pushed.body);
      const onPrimary = await handle.db.selectFrom('deployments').select('teamId').execute();
      assert.equal(onPrimary.length, 1);
      // The dashboard reads the replica, which has not replayed the push: the figure is the replica's.
      assert.equal(await deploymentCount(), 0);

      await replicaAdmin.query('select pg_wal_replay_resume()');
      await caughtUp(primaryAdmin, replicaAdmin);
      // The shared figures' data version is read on the replica too, so the replayed write is a new version.
      assert.equal(await deploymentCount(), 1);
    });

    test('every dashboard read answers from the replica; stored scorecard months are written on the primary', async () => {
      await caughtUp(primaryAdmin, replicaAdmin);
      const surveys = (await app.inject({ url: '/api/v1/surveys' })).json() as { surveys: { id: string }[] };
      const reads = [
        '/api/v1/metrics?groupBy=team&from=2026-11-01&to=2026-11-20',
        '/api/v1/scorecards',
        '/api/v1/teams/payments/scorecards',
        '/api/v1/teams/payments/metrics/series?from=2026-09-01&to=2026-11-20',
        '/api/v1/teams/payments/metrics/deploymentFrequency/samples?from=2026-11-01&to=2026-11-20',
        '/api/v1/tickets/wait-times',
        '/api/v1/tickets/wait-times/series',
        '/api/v1/friction',
        '/api/v1/recommendations',
        '/api/v1/readiness',
        '/api/v1/surveys/participation',
        `/api/v1/surveys/${surveys.surveys[0]?.id ?? 'none'}/results`,
      ];
      for (const url of reads) {
        const response = await app.inject({ url });
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
      }
      const stored = await handle.db.selectFrom('scorecardMonths').select('month').execute();
      assert.ok(stored.length > 0, 'the scorecard history stored its closed months on the primary');
      // No connection of the read pool is open on the primary; the replica has them.
      const readPoolConnections = async (client: pg.Client) =>
        Number(
          (
            await client.query<{ n: string }>(
              "select count(*) as n from pg_stat_activity where application_name = 'groundwork reads'",
            )
          ).rows[0]?.n,
        );
      assert.equal(await readPoolConnections(primaryAdmin), 0);
      assert.ok((await readPoolConnections(replicaAdmin)) > 0);
    });
  });
}

/** Waits until the replica has replayed everything the primary has written so far. */
async function caughtUp(primary: pg.Client, replica: pg.Client): Promise<void> {
  // The insert position, not the write position: with synchronous_commit=off (CI) a commit record may not
  // have been written out yet when its transaction has returned.
  const target = (await primary.query<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn'))
    .rows[0]?.lsn;
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const { rows } = await replica.query<{ done: boolean }>(
      'select pg_last_wal_replay_lsn() >= $1::pg_lsn as done',
      [target],
    );
    if (rows[0]?.done) return;
    await sleep(100);
  }
  throw new Error(`the replica did not replay up to ${target ?? '?'} within 30 s`);
}
