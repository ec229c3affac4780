import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../test/cli-process.ts';
import { hashToken } from './auth/api-tokens.ts';
import { openDatabase } from './db/database.ts';

// Spawns the real CLI against a temporary embedded database, like a user would. Each spawn opens PGlite
// (seconds), so revoking and name clashes are tested in-process in token-commands.db.test.ts.
const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-tokens-'));
const env = { GROUNDWORK_DATA_DIR: path.join(cwd, 'data'), GROUNDWORK_NOW: '2026-11-20T12:00:00Z' };

describe('groundwork token', () => {
  test('create prints the token once, on stdout alone, and stores only its hash', async () => {
    const created = runCli(['token', 'create', '--name', 'ci', '--scope', 'ingest'], { cwd, env });
    assert.equal(created.status, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^gw_[A-Za-z0-9_-]{43}$/);
    assert.match(
      created.stderr,
      /Created token "ci" \(scope ingest\)\. Copy it now: it is not shown again\./,
    );

    const listed = runCli(['token', 'list'], { cwd, env });
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(listed.stdout.trim().split('\n'), [
      'NAME  SCOPE   TEAM  CREATED               EXPIRES  LAST USED  REVOKED',
      'ci    ingest  -     2026-11-20T12:00:00Z  -        -          -',
    ]);

    const handle = await openDatabase({ url: null, dataDir: env.GROUNDWORK_DATA_DIR, role: 'test' });
    try {
      const rows = await handle.db.selectFrom('apiTokens').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.tokenHash, hashToken(token));
      assert.equal(rows[0]?.scope, 'ingest');
      assert.doesNotMatch(JSON.stringify(rows), new RegExp(token.slice(3)));
    } finally {
      await handle.close();
    }
  });

  test('bad arguments print usage and exit 2', () => {
    const noName = runCli(['token', 'create'], {
      cwd,
      env: { GROUNDWORK_DATA_DIR: path.join(cwd, 'untouched') },
    });
    assert.equal(noName.status, 2);
    assert.match(noName.stderr, /--name expects a name like "ci"[\s\S]*Usage: groundwork/);
    assert.equal(existsSync(path.join(cwd, 'untouched')), false);
  });
});
