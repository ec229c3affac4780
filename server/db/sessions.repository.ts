import type { Kysely } from 'kysely';
import type { Database, Role } from './tables.ts';

export interface SessionRow {
  subject: string;
  role: Role;
  teams: string[];
  method: 'token' | 'oidc';
}

export async function createSession(
  db: Kysely<Database>,
  session: SessionRow & { idHash: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/** The live session with this id hash: not signed out, not expired at `now`. */
export async function findLiveSession(
  db: Kysely<Database>,
  idHash: string,
  now: Date,
): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .select(['subject', 'role', 'teams', 'method'])
    .where('idHash', '=', idHash)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', now)
    .executeTakeFirst();
}

export async function revokeSession(db: Kysely<Database>, idHash: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ revokedAt: now }).where('idHash', '=', idHash).execute();
}

/** Sessions expired a day ago or more are of no further use. */
export async function deleteExpiredSessions(db: Kysely<Database>, now: Date): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('expiresAt', '<', new Date(now.getTime() - 86_400_000))
    .execute();
}
