import type { Kysely } from 'kysely';
import type { Database, TokenScope } from './tables.ts';

export interface ApiTokenSummary {
  name: string;
  scope: TokenScope;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Stores a token's hash under a new name; false when the name is taken (revoked tokens keep theirs). */
export async function createApiToken(
  db: Kysely<Database>,
  token: { name: string; scope: TokenScope; tokenHash: string },
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
    .select(['name', 'scope', 'createdAt', 'lastUsedAt', 'revokedAt'])
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

/** The active token with this hash, if any. */
export async function findActiveApiToken(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<{ id: number; name: string; scope: TokenScope } | undefined> {
  return db
    .selectFrom('apiTokens')
    .select(['id', 'name', 'scope'])
    .where('tokenHash', '=', tokenHash)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
}

export async function markApiTokenUsed(db: Kysely<Database>, id: number, now: Date): Promise<void> {
  await db.updateTable('apiTokens').set({ lastUsedAt: now }).where('id', '=', id).execute();
}
