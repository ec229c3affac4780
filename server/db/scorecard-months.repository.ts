import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/** A stored evaluation of one scorecard for one team and closed month. */
export interface StoredScorecardMonth {
  scorecardId: string;
  month: string;
  level: string | null;
  result: unknown;
  inputsFingerprint: string;
  cardFingerprint: string;
  evaluatedAt: Date;
}

/** The stored evaluations of a team for the given months (`YYYY-MM`), every scorecard. */
export async function storedScorecardMonths(
  db: Kysely<Database>,
  teamId: number,
  months: readonly string[],
): Promise<StoredScorecardMonth[]> {
  if (months.length === 0) return [];
  return db
    .selectFrom('scorecardMonths')
    .select([
      'scorecardId',
      'month',
      'level',
      'result',
      'inputsFingerprint',
      'cardFingerprint',
      'evaluatedAt',
    ])
    .where('teamId', '=', teamId)
    .where('month', 'in', [...months])
    .execute();
}

/** Writes (or replaces) evaluations on (team, scorecard, month). */
export async function saveScorecardMonths(
  db: Kysely<Database>,
  teamId: number,
  rows: readonly StoredScorecardMonth[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('scorecardMonths')
    .values(rows.map((row) => ({ teamId, ...row, result: JSON.stringify(row.result) })))
    .onConflict((oc) =>
      oc.columns(['teamId', 'scorecardId', 'month']).doUpdateSet((eb) => ({
        level: eb.ref('excluded.level'),
        result: eb.ref('excluded.result'),
        inputsFingerprint: eb.ref('excluded.inputsFingerprint'),
        cardFingerprint: eb.ref('excluded.cardFingerprint'),
        evaluatedAt: eb.ref('excluded.evaluatedAt'),
      })),
    )
    .execute();
}
