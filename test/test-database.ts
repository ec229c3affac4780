import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../server/db/database.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';

/** Which engine the database tests run on in this process: real PostgreSQL when DATABASE_URL is set. */
export const testEngine = process.env['DATABASE_URL'] ? 'postgres' : 'pglite';

let counter = 0;

/**
 * A fresh, migrated database for one test file. On PostgreSQL: a new database on the DATABASE_URL server,
 * dropped on close. On PGlite: a copy of the migrated template the test runner built once (a fresh PGlite
 * costs seconds and ~750 MiB; reopening a copied data directory costs a fraction of that), in a temporary
 * directory, never ./data.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env['DATABASE_URL'];
  return url ? openPostgresTestDatabase(url) : openPgliteTestDatabase();
}

async function openPostgresTestDatabase(url: string): Promise<DatabaseHandle> {
  const name = `gw_test_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const handle = await openDatabase({ url: testUrl.toString(), dataDir: 'memory', role: 'test' });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name}`);
      await cleanup.end();
    },
  };
}

export async function openPgliteTestDatabase(
  options: { connectionTimeoutMs?: number } = {},
): Promise<DatabaseHandle> {
  const template = process.env['GROUNDWORK_TEST_PGLITE_TEMPLATE'];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'groundwork-test-'));
  if (template) cpSync(path.join(template, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
  const handle = await openDatabase({ url: null, dataDir, role: 'test', ...options });
  await migrateToLatest(handle.db); // a no-op on the template; the whole schema when run without the runner
  return {
    ...handle,
    async close() {
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * On PostgreSQL (DATABASE_URL), an empty database for a test that opens its own connections (several pools,
 * a child process), dropped by `drop()`; null on PGlite.
 */
export async function createPostgresScratchDatabase(
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> } | null> {
  const adminUrl = process.env['DATABASE_URL'];
  if (!adminUrl) return null;
  const name = `${prefix}_${process.pid}_${++counter}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name}`) };
}

/**
 * Two server instances on one database, as two processes would have them: on PostgreSQL two pools on a
 * scratch database (migrated once); on PGlite, which one process holds, the same handle twice.
 */
export async function openTwoInstances(
  prefix: string,
): Promise<{ handles: [DatabaseHandle, DatabaseHandle]; close(): Promise<void> }> {
  const scratch = await createPostgresScratchDatabase(prefix);
  if (!scratch) {
    const only = await openTestDatabase();
    return { handles: [only, only], close: () => only.close() };
  }
  const a = await openDatabase({ url: scratch.url, dataDir: 'memory', role: 'instance a' });
  await migrateToLatest(a.db);
  const b = await openDatabase({ url: scratch.url, dataDir: 'memory', role: 'instance b' });
  return {
    handles: [a, b],
    close: async () => {
      await a.close();
      await b.close();
      await scratch.drop();
    },
  };
}
