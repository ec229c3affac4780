import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import type { DatabaseHandle } from './database.ts';
import { isFullyMigrated, migrateToLatest } from './migrate.ts';

let handle: DatabaseHandle;
before(async () => {
  handle = await openTestDatabase();
});
after(async () => handle.close());

test(`migrations create schema v1 on ${testEngine}`, async () => {
  assert.equal(handle.engine, testEngine);
  const tables = await sql<{ tableName: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
    handle.db,
  );
  const names = tables.rows.map((row) => row.tableName);
  for (const expected of [
    'collector_runs',
    'commits',
    'deployment_commits',
    'deployments',
    'incidents',
    'pull_requests',
    'repositories',
    'sync_state',
    'team_memberships',
    'team_ownerships',
    'teams',
  ]) {
    assert.ok(names.includes(expected), `missing table ${expected}`);
  }
  assert.equal(await isFullyMigrated(handle.db), true);
});

test('migrating again applies nothing', async () => {
  assert.deepEqual(await migrateToLatest(handle.db), []);
});

test('timestamps are timestamptz and counts come back as numbers', async () => {
  const types = await sql<{ dataType: string }>`
    select distinct data_type from information_schema.columns
    where table_schema = 'public' and (column_name like '%\\_at' or column_name like 'valid\\_%')`.execute(
    handle.db,
  );
  assert.deepEqual(
    types.rows.map((row) => row.dataType),
    ['timestamp with time zone'],
  );
  const count = await handle.db
    .selectFrom('teams')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(count.n, 0);
});
