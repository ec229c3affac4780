import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase } from '../test/test-database.ts';
import { findActiveApiToken } from './db/api-tokens.repository.ts';
import type { DatabaseHandle } from './db/database.ts';
import { hashToken } from './auth/api-tokens.ts';
import { parseTokenCommand, runTokenCommand } from './token-commands.ts';
import type { TokenCommand } from './token-commands.ts';

const created = new Date('2026-11-20T12:00:00Z');
const later = new Date('2026-11-21T08:30:00Z');
let handle: DatabaseHandle;

function command(args: string): TokenCommand {
  const parsed = parseTokenCommand(args.split(' '));
  if (typeof parsed === 'string') assert.fail(parsed);
  return parsed;
}

before(async () => {
  handle = await openTestDatabase();
});
after(async () => {
  await handle.close();
});

describe('token commands', () => {
  test('a name is taken once, revoked tokens included; revoking stops the token working', async () => {
    const first = await runTokenCommand(
      handle.db,
      command('create --name deploy-bot --scope admin'),
      created,
    );
    assert.equal(first.exitCode, 0);
    const token = first.stdout[0] ?? '';
    const active = await findActiveApiToken(handle.db, hashToken(token), created);
    assert.deepEqual([active?.name, active?.scope], ['deploy-bot', 'admin']);

    const clash = await runTokenCommand(handle.db, command('create --name deploy-bot'), created);
    assert.deepEqual([clash.exitCode, clash.stdout], [1, []]);
    assert.match(clash.stderr.join('\n'), /a token named "deploy-bot" already exists/);

    const revoked = await runTokenCommand(handle.db, command('revoke --name deploy-bot'), later);
    assert.equal(revoked.exitCode, 0);
    assert.equal(await findActiveApiToken(handle.db, hashToken(token), later), undefined);
    const twice = await runTokenCommand(handle.db, command('revoke --name deploy-bot'), later);
    assert.equal(twice.exitCode, 1);
    assert.match(twice.stderr.join('\n'), /no active token named "deploy-bot"/);

    const listed = await runTokenCommand(handle.db, command('list'), later);
    assert.deepEqual(listed.stdout, [
      'NAME        SCOPE  TEAM  CREATED               EXPIRES  LAST USED  REVOKED',
      'deploy-bot  admin  -     2026-11-20T12:00:00Z  -        -          2026-11-21T08:30:00Z',
    ]);
  });

  test('arguments are checked before anything runs', () => {
    assert.deepEqual(parseTokenCommand(['create', '--name', 'ci']), {
      action: 'create',
      name: 'ci',
      scope: 'ingest',
      team: null,
      expiresDays: null,
    });
    assert.deepEqual(
      parseTokenCommand([
        'create',
        '--name',
        'lead',
        '--scope',
        'read',
        '--team',
        'payments',
        '--expires-days',
        '90',
      ]),
      { action: 'create', name: 'lead', scope: 'read', team: 'payments', expiresDays: 90 },
    );
    assert.match(
      String(parseTokenCommand(['create', '--name', 'ci', '--team', 'payments'])),
      /--team goes with --scope read/,
    );
    assert.match(
      String(parseTokenCommand(['create', '--name', 'CI Bot'])),
      /--name expects a name like "ci"/,
    );
    assert.match(
      String(parseTokenCommand(['create', '--name', 'ci', '--scope', 'root'])),
      /--scope expects read, ingest, admin/,
    );
    assert.match(
      String(parseTokenCommand(['rotate'])),
      /expected "token create", "token list" or "token revoke"/,
    );
    assert.match(String(parseTokenCommand(['list', '--colour', 'red'])), /Unknown option '--colour'/);
  });
});
