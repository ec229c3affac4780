import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { openPgliteTestDatabase } from '../../test/test-database.ts';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';
import { redactUrl } from './database.ts';

describe('embedded PGlite', () => {
  test('a query issued outside an open transaction fails instead of waiting forever for the one connection', async () => {
    const handle = await openPgliteTestDatabase({ connectionTimeoutMs: 300 });
    try {
      await handle.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await assert.rejects(sql`select 2`.execute(handle.db), /timeout exceeded when trying to connect/);
      });
      // The connection is healthy again once the transaction ends.
      assert.deepEqual((await sql<{ n: number }>`select 3 as n`.execute(handle.db)).rows, [{ n: 3 }]);
    } finally {
      await handle.close();
    }
  });
});

describe('data directory lock', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'groundwork-lock-'));

  test('the holder is recorded; a second holder is refused while the first lives; release frees it', () => {
    const lock = lockDataDir(dir, 'server');
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'groundwork.lock'), 'utf8')), {
      pid: process.pid,
      role: 'server',
    });
    lock.release();
    const again = lockDataDir(dir, 'groundwork migrate');
    again.release();
  });

  test('a lock held by another live process is refused with its pid and role', () => {
    // pid 1 is always alive, and is not this process.
    writeFileSync(path.join(dir, 'groundwork.lock'), JSON.stringify({ pid: 1, role: 'server' }));
    assert.throws(
      () => lockDataDir(dir, 'groundwork demo'),
      (error: Error) =>
        error instanceof DataDirLockedError &&
        error.message === 'server pid 1 holds the database; stop it or use the API',
    );
    rmSync(path.join(dir, 'groundwork.lock'));
  });

  test('a lock left by a dead process is taken over', () => {
    writeFileSync(
      path.join(dir, 'groundwork.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, role: 'server' }),
    );
    lockDataDir(dir, 'server').release();
  });
});

describe('redactUrl', () => {
  test('hides the password of a connection string', () => {
    assert.equal(redactUrl('postgres://app:hunter2@db:5432/gw'), 'postgres://app:***@db:5432/gw');
  });
});
