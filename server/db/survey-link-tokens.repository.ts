import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/** Stores the hashes of newly issued one-time survey links for one team. */
export async function createSurveyLinkTokens(
  db: Kysely<Database>,
  surveyId: string,
  teamId: number,
  tokenHashes: readonly string[],
  now: Date,
): Promise<void> {
  if (tokenHashes.length === 0) return;
  await db
    .insertInto('surveyLinkTokens')
    .values(tokenHashes.map((tokenHash) => ({ surveyId, teamId, tokenHash, createdAt: now })))
    .execute();
}

/** The team of an unused link of this survey; null when there is none (unknown, another survey's, used). */
export async function unusedSurveyLinkTeam(
  db: Kysely<Database>,
  surveyId: string,
  tokenHash: string,
): Promise<{ teamId: number | null } | null> {
  const row = await db
    .selectFrom('surveyLinkTokens')
    .select('teamId')
    .where('surveyId', '=', surveyId)
    .where('tokenHash', '=', tokenHash)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

/** Marks an unused link of this survey used; false when there is none (unknown, another survey's, or used). */
export async function useSurveyLinkToken(
  db: Kysely<Database>,
  surveyId: string,
  tokenHash: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('surveyLinkTokens')
    .set({ usedAt: now })
    .where('surveyId', '=', surveyId)
    .where('tokenHash', '=', tokenHash)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
