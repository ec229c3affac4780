import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { TOKEN_SCOPES } from './auth/api-tokens.ts';
import { issueToken, TOKEN_NAME } from './auth/token-service.ts';
import { appendAudit } from './db/audit-log.repository.ts';
import { listApiTokens, revokeApiToken } from './db/api-tokens.repository.ts';
import type { Database, TokenScope } from './db/tables.ts';

export type TokenCommand =
  | { action: 'create'; name: string; scope: TokenScope; team: string | null; expiresDays: number | null }
  | { action: 'list' }
  | { action: 'revoke'; name: string };

/**
 * What a token command prints. `create` puts only the new token on stdout, so that
 * `TOKEN=$(groundwork token create …)` works; messages go to stderr.
 */
export interface TokenCommandOutput {
  stdout: string[];
  stderr: string[];
  exitCode: 0 | 1;
}

/** `token create|list|revoke` arguments → a command, or a usage problem as text. */
export function parseTokenCommand(args: string[]): TokenCommand | string {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        name: { type: 'string' },
        scope: { type: 'string' },
        team: { type: 'string' },
        'expires-days': { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  const [action, ...extra] = positionals;
  if (extra.length > 0) return `unexpected "${extra.join(' ')}"`;
  if (action === 'list') return { action };
  if (action !== 'create' && action !== 'revoke')
    return 'expected "token create", "token list" or "token revoke"';
  if (values.name === undefined || !TOKEN_NAME.test(values.name)) {
    return `--name expects a name like "ci" (lower-case letters, digits, ".", "_", "-"), got "${values.name ?? ''}"`;
  }
  if (action === 'revoke') return { action, name: values.name };
  const scope = values.scope ?? 'ingest';
  if (!TOKEN_SCOPES.includes(scope as TokenScope)) {
    return `--scope expects ${TOKEN_SCOPES.join(', ')}, got "${scope}"`;
  }
  const team = values.team ?? null;
  if (team !== null && (scope !== 'read' || !/^[a-z0-9][a-z0-9-]*$/.test(team))) {
    return `--team goes with --scope read and expects a team slug, got "${team}"`;
  }
  const days = values['expires-days'];
  if (days !== undefined && (!/^\d{1,4}$/.test(days) || Number(days) < 1)) {
    return `--expires-days expects a number of days from 1 to 9999, got "${days}"`;
  }
  return {
    action,
    name: values.name,
    scope: scope as TokenScope,
    team,
    expiresDays: days === undefined ? null : Number(days),
  };
}

const when = (at: Date | null) => (at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

export async function runTokenCommand(
  db: Kysely<Database>,
  command: TokenCommand,
  now: Date,
): Promise<TokenCommandOutput> {
  switch (command.action) {
    case 'create': {
      const { name, scope, team } = command;
      const expiresAt =
        command.expiresDays === null ? null : new Date(now.getTime() + command.expiresDays * 86_400_000);
      const token = await db.transaction().execute(async (trx) => {
        const issued = await issueToken(trx, { name, scope, team, expiresAt }, now);
        if (issued) {
          const entry = { actor: 'cli', action: 'token.create', target: name, address: null };
          await appendAudit(trx, { ...entry, details: { scope } }, now);
        }
        return issued;
      });
      if (!token) {
        return {
          stdout: [],
          stderr: [
            `groundwork: a token named "${command.name}" already exists (revoked ones too); pick another`,
          ],
          exitCode: 1,
        };
      }
      return {
        stdout: [token],
        stderr: [
          `Created token "${command.name}" (scope ${command.scope}). Copy it now: it is not shown again.`,
        ],
        exitCode: 0,
      };
    }
    case 'list': {
      const tokens = await listApiTokens(db);
      if (tokens.length === 0) {
        return {
          stdout: [],
          stderr: ['No tokens; create one with: groundwork token create --name ci'],
          exitCode: 0,
        };
      }
      const header = ['NAME', 'SCOPE', 'TEAM', 'CREATED', 'EXPIRES', 'LAST USED', 'REVOKED'];
      const rows = [
        header,
        ...tokens.map((t) => [
          t.name,
          t.scope,
          t.team ?? '-',
          when(t.createdAt),
          when(t.expiresAt),
          when(t.lastUsedAt),
          when(t.revokedAt),
        ]),
      ];
      const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
      const lines = rows.map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd(),
      );
      // Names, scopes and dates only: never a token or a hash.
      return { stdout: lines, stderr: [], exitCode: 0 };
    }
    case 'revoke': {
      const revoked = await db.transaction().execute(async (trx) => {
        const done = await revokeApiToken(trx, command.name, now);
        if (done) {
          await appendAudit(
            trx,
            { actor: 'cli', action: 'token.revoke', target: command.name, address: null },
            now,
          );
        }
        return done;
      });
      return revoked
        ? { stdout: [], stderr: [`Revoked token "${command.name}".`], exitCode: 0 }
        : { stdout: [], stderr: [`groundwork: no active token named "${command.name}"`], exitCode: 1 };
    }
  }
}
