import type { Kysely } from 'kysely';
import type { NormalizedAnswer } from '../surveys/survey-answers.ts';
import type { NormalizedResponse } from '../surveys/survey-intake.ts';
import type { Database } from './tables.ts';
import { batches } from './upsert.ts';

/**
 * Writes validated responses of one survey. A response with a de-duplication hash already stored replaces
 * it (team, day and every answer), so a repeated submission or a re-imported export changes nothing else.
 * Call inside a transaction: a batch is all-or-nothing. Returns how many were new and how many replaced.
 */
export async function saveSurveyResponses(
  db: Kysely<Database>,
  surveyId: string,
  responses: readonly NormalizedResponse[],
): Promise<{ added: number; replaced: number }> {
  let added = 0;
  let replaced = 0;
  for (const batch of batches(responses)) {
    const rows = await db
      .insertInto('surveyResponses')
      .values(
        batch.map((response) => ({
          surveyId,
          teamId: response.teamId,
          dedupeHash: response.dedupeHash,
          source: response.source,
          submittedOn: response.submittedOn,
          teamFixed: response.teamFixed,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['surveyId', 'dedupeHash']).doUpdateSet((eb) => ({
          teamId: eb.ref('excluded.teamId'),
          source: eb.ref('excluded.source'),
          submittedOn: eb.ref('excluded.submittedOn'),
          teamFixed: eb.ref('excluded.teamFixed'),
        })),
      )
      .returning('id')
      .execute();
    const ids = rows.map((row) => row.id);
    const existing = await db
      .deleteFrom('surveyAnswers')
      .where('responseId', 'in', ids)
      .returning('responseId')
      .execute();
    const replacedIds = new Set(existing.map((row) => row.responseId));
    replaced += replacedIds.size;
    added += ids.length - replacedIds.size;
    const answers = batch.flatMap((response, i) =>
      response.answers.map((answer) => answerRow(ids[i]!, answer)),
    );
    for (const answerBatch of batches(answers))
      await db.insertInto('surveyAnswers').values(answerBatch).execute();
  }
  return { added, replaced };
}

function answerRow(responseId: number, answer: NormalizedAnswer) {
  return {
    responseId,
    questionKey: answer.questionKey,
    questionVersion: answer.questionVersion,
    numberValue: answer.kind === 'number' ? answer.value : null,
    choiceKeys: answer.kind === 'choices' ? answer.value : null,
    textValue: answer.kind === 'text' ? answer.value : null,
  };
}

/** One stored response with its answers, for computing results (never leaves the server as is). */
export interface StoredSurveyResponse {
  teamId: number;
  /** The channel fixed the team; other responses count only on a survey with an open form. */
  teamFixed: boolean;
  answers: Map<string, { number: number | null; choices: string[] | null; text: string | null }>;
}

/** Which of these de-duplication hashes a survey already holds. */
export async function storedDedupeHashes(
  db: Kysely<Database>,
  surveyId: string,
  hashes: readonly string[],
): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const found = new Set<string>();
  for (const batch of batches(hashes)) {
    const rows = await db
      .selectFrom('surveyResponses')
      .select('dedupeHash')
      .where('surveyId', '=', surveyId)
      .where('dedupeHash', 'in', batch)
      .execute();
    for (const row of rows) if (row.dedupeHash) found.add(row.dedupeHash);
  }
  return found;
}

/** Every response of a survey with its answers, in the order they arrived (without the demo's when `excludeDemo`). */
export async function surveyResponsesOf(
  db: Kysely<Database>,
  surveyId: string,
  excludeDemo = false,
): Promise<StoredSurveyResponse[]> {
  const rows = await db
    .selectFrom('surveyResponses as r')
    .innerJoin('surveyAnswers as a', 'a.responseId', 'r.id')
    .select([
      'r.id',
      'r.teamId',
      'r.teamFixed',
      'a.questionKey',
      'a.numberValue',
      'a.choiceKeys',
      'a.textValue',
    ])
    .where('r.surveyId', '=', surveyId)
    .$if(excludeDemo, (query) => query.where('r.source', '<>', 'demo'))
    .orderBy('r.id')
    .execute();
  const responses = new Map<number, StoredSurveyResponse>();
  for (const row of rows) {
    let response = responses.get(row.id);
    if (!response) {
      response = { teamId: row.teamId, teamFixed: row.teamFixed, answers: new Map() };
      responses.set(row.id, response);
    }
    response.answers.set(row.questionKey, {
      number: row.numberValue,
      choices: row.choiceKeys,
      text: row.textValue,
    });
  }
  return [...responses.values()];
}

/** Active teams with their current member count: who can answer, and the response rate's denominator. */
export async function surveyTeams(
  db: Kysely<Database>,
): Promise<{ id: number; slug: string; name: string; size: number }[]> {
  return db
    .selectFrom('teams as t')
    .select((eb) => [
      't.id',
      't.slug',
      't.name',
      eb
        .selectFrom('teamMemberships as m')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('m.teamId', '=', 't.id')
        .where('m.validTo', 'is', null)
        .as('size'),
    ])
    .where('t.retiredAt', 'is', null)
    .orderBy('t.slug')
    .execute()
    .then((rows) => rows.map((row) => ({ ...row, size: row.size ?? 0 })));
}
