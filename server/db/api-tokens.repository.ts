import type { Kysely } from 'kysely';
import type { Database, TokenScope } from './tables.ts';

export interface ApiTokenSummary {
  name: string;
  scope: TokenScope;
  team: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Stores a token's hash under a new name; false when the name is taken (revoked tokens keep theirs). */
export async function createApiToken(
  db: Kysely<Database>,
  token: {
    name: string;
    scope: TokenScope;
    tokenHash: string;
    team?: string | null;
    expiresAt?: Date | null;
  },
  now: Date,
): Promise<boolean> {
  const inserted = await db
    .insertInto('apiTokens')
    .values({ ...token, createdAt: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Every token, oldest first: names, scopes and dates, never hashes. */
export async function listApiTokens(db: Kysely<Database>): Promise<ApiTokenSummary[]> {
  return db
    .selectFrom('apiTokens')
    .select(['name', 'scope', 'team', 'createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt'])
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** Revokes the named token; false when there is no such token that is still active. */
export async function revokeApiToken(db: Kysely<Database>, name: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('apiTokens')
    .set({ revokedAt: now })
    .where('name', '=', name)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The token with this hash that is neither revoked nor expired at `now`, if any. */
export async function findActiveApiToken(
  db: Kysely<Database>,
  tokenHash: string,
  now: Date,
): Promise<{ id: number; name: string; scope: TokenScope; team: string | null } | undefined> {
  return db
    .selectFrom('apiTokens')
    .select(['id', 'name', 'scope', 'team'])
    .where('tokenHash', '=', tokenHash)
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
    .executeTakeFirst();
}

/** Stamps `last_used_at`, at most once a minute per token: a read token on every page view is no write storm. */
export async function markApiTokenUsed(db: Kysely<Database>, id: number, now: Date): Promise<void> {
  await db
    .updateTable('apiTokens')
    .set({ lastUsedAt: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', new Date(now.getTime() - 60_000))]),
    )
    .execute();
}
