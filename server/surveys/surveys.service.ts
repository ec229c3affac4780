import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { previousSurvey } from '../../scorecards/load-surveys.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { saveSurveyResponses, surveyResponsesOf, surveyTeams } from '../db/survey-responses.repository.ts';
import { useSurveyLinkToken } from '../db/survey-link-tokens.repository.ts';
import type { Database, SurveyResponseSource } from '../db/tables.ts';
import { AppError } from '../errors.ts';
import { CsvFormatError, parseSurveyCsv } from './survey-csv.ts';
import type { ColumnOverrides } from './survey-csv.ts';
import { rowContentHash, teamLookup, validateSurveyResponse } from './survey-intake.ts';
import type { IntakeProblem, NormalizedResponse, SurveyResponseInput } from './survey-intake.ts';
import { computeSurveyResults } from './survey-results.ts';
import type { SurveyResults } from './survey-results.ts';

export interface SurveyContext {
  db: Kysely<Database>;
  surveys: readonly Survey[];
  minGroupSize: number;
  /** GROUNDWORK_SURVEY_HASH_KEY; null: respondent identifiers are refused. */
  hashKey: string | null;
  now: () => Date;
  /** Leave out responses `groundwork demo` wrote: true once an own configuration is loaded. */
  excludeDemo?: boolean;
}

export const hashLinkToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function findSurvey(context: SurveyContext, surveyId: string): Survey {
  const survey = context.surveys.find((s) => s.id === surveyId);
  if (!survey) throw new AppError(404, 'NOT_FOUND', `no survey "${surveyId}"`, 'id');
  return survey;
}

/** `open` while today (UTC) lies within the survey's days, else `upcoming` or `closed`. */
export function surveyStatus(survey: Survey, now: Date): 'upcoming' | 'open' | 'closed' {
  const today = now.toISOString().slice(0, 10);
  return today < survey.opens ? 'upcoming' : today > survey.closes ? 'closed' : 'open';
}

/** One submission from the form or the JSON API, with the one-time link's token it came with, if any. */
export interface SubmittedResponse {
  input: SurveyResponseInput;
  linkToken: string | null;
}

/**
 * Responses from the form or the JSON API: every item validated first (a bad one is a 400 naming it,
 * `body[3].answers.focus-time`), then, in one transaction, each one-time link used and every response
 * written. A link works once whether or not the survey requires one, so a link handed out is always one
 * submission. The survey must be open.
 */
export async function submitSurveyResponses(
  context: SurveyContext,
  surveyId: string,
  items: readonly SubmittedResponse[],
  options: { source: Extract<SurveyResponseSource, 'form' | 'api'> },
): Promise<{ accepted: number }> {
  const survey = findSurvey(context, surveyId);
  const now = context.now();
  const status = surveyStatus(survey, now);
  if (status !== 'open') {
    throw new AppError(
      409,
      'SURVEY_NOT_OPEN',
      `survey ${survey.id} is ${status} (${survey.opens} to ${survey.closes})`,
    );
  }
  const missing = items.findIndex((item) => !item.linkToken);
  if (survey.oneResponsePerLink && missing >= 0) {
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      `body[${missing}].token is required: this survey is answered through the one-time link you were sent`,
      `body[${missing}].token`,
    );
  }
  const responses = await validateAll(
    context,
    survey,
    items.map((item) => item.input),
    options.source,
    (index, problem) => `body[${index}].${problem.field}`,
  );
  await context.db.transaction().execute(async (trx) => {
    for (const [index, item] of items.entries()) {
      if (item.linkToken === null) continue;
      const used = await useSurveyLinkToken(trx, survey.id, hashLinkToken(item.linkToken), now);
      if (!used) {
        throw new AppError(
          403,
          'LINK_USED',
          'this link is unknown or has already been used',
          `body[${index}].token`,
        );
      }
    }
    await saveSurveyResponses(trx, survey.id, responses);
  });
  return { accepted: responses.length };
}

async function validateAll(
  context: SurveyContext,
  survey: Survey,
  inputs: readonly SurveyResponseInput[],
  source: SurveyResponseSource,
  fieldOf: (index: number, problem: IntakeProblem) => string,
): Promise<NormalizedResponse[]> {
  const teamIds = teamLookup(await surveyTeams(context.db));
  const intake = { survey, teamIds, hashKey: context.hashKey, now: context.now(), source };
  const seen = new Map<string, number>();
  return inputs.map((input, index) => {
    const result = validateSurveyResponse(intake, input);
    if ('problems' in result) {
      const problem = result.problems[0]!;
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        `${fieldOf(index, problem)} ${problem.message}`,
        fieldOf(index, problem),
      );
    }
    const hash = result.response.dedupeHash;
    if (hash !== null) {
      const first = seen.get(hash);
      if (first !== undefined) {
        const field = fieldOf(index, { field: 'respondent', message: '' });
        throw new AppError(
          400,
          'VALIDATION_FAILED',
          `${field} is the same respondent as item ${first}`,
          field,
        );
      }
      seen.set(hash, index);
    }
    return result.response;
  });
}

export interface ImportReport {
  surveyId: string;
  dryRun: boolean;
  rows: number;
  accepted: number;
  rejected: { line: number; field: string; reason: string }[];
  /** Responses written: new ones, and ones that replaced an earlier import of the same row or respondent. */
  written: { added: number; replaced: number };
  mapping: Record<string, string>;
  ignoredColumns: string[];
}

/**
 * A CSV export, through the same validation and storage as every other intake. All-or-nothing: with any
 * rejected row nothing is written, unless `skipInvalid`. A row without a respondent identifier is
 * de-duplicated by its content (and how many identical rows came before it), so importing the same
 * export again replaces instead of adding.
 */
export async function importSurveyCsv(
  context: SurveyContext,
  surveyId: string,
  bytes: Buffer | string,
  options: { dryRun: boolean; skipInvalid: boolean; overrides?: ColumnOverrides },
): Promise<ImportReport> {
  const survey = findSurvey(context, surveyId);
  let parsed;
  try {
    parsed = parseSurveyCsv(bytes, survey, options.overrides);
  } catch (error) {
    if (error instanceof CsvFormatError)
      throw new AppError(400, 'INVALID_CSV', error.message, error.field, { cause: error });
    throw error;
  }
  const teamIds = teamLookup(await surveyTeams(context.db));
  const intake = { survey, teamIds, hashKey: context.hashKey, now: context.now(), source: 'csv' as const };
  const rejected: ImportReport['rejected'] = [];
  const accepted: NormalizedResponse[] = [];
  const seen = new Map<string, number>();
  const occurrences = new Map<string, number>();
  for (const row of parsed.rows) {
    const result = validateSurveyResponse(intake, row.input);
    if ('problems' in result) {
      for (const problem of result.problems) {
        const column = columnOf(parsed.mapping, problem.field);
        rejected.push({
          line: row.line,
          field: column ? `${problem.field} ("${column}")` : problem.field,
          reason: problem.message,
        });
      }
      continue;
    }
    const response = result.response;
    if (response.dedupeHash === null) {
      const occurrence = (occurrences.get(row.content) ?? 0) + 1;
      occurrences.set(row.content, occurrence);
      response.dedupeHash = rowContentHash(survey.id, `${occurrence}\n${row.content}`);
    } else {
      const first = seen.get(response.dedupeHash);
      if (first !== undefined) {
        rejected.push({
          line: row.line,
          field: 'respondent',
          reason: `the same respondent as line ${first}`,
        });
        continue;
      }
      seen.set(response.dedupeHash, row.line);
    }
    accepted.push(response);
  }
  const report: ImportReport = {
    surveyId: survey.id,
    dryRun: options.dryRun,
    rows: parsed.rows.length,
    accepted: accepted.length,
    rejected,
    written: { added: 0, replaced: 0 },
    mapping: parsed.mapping,
    ignoredColumns: parsed.ignoredColumns,
  };
  if (options.dryRun || accepted.length === 0 || (rejected.length > 0 && !options.skipInvalid)) return report;
  report.written = await context.db
    .transaction()
    .execute((trx) => saveSurveyResponses(trx, survey.id, accepted));
  return report;
}

function columnOf(mapping: Record<string, string>, field: string): string | undefined {
  return mapping[field.startsWith('answers.') ? field.slice('answers.'.length) : field];
}

/** The results of one survey (with the round before it for the change), anonymity applied. */
export async function surveyResults(context: SurveyContext, surveyId: string): Promise<SurveyResults> {
  const survey = findSurvey(context, surveyId);
  const before = previousSurvey(context.surveys, survey);
  const teams = await surveyTeams(context.db);
  return computeSurveyResults({
    current: { survey, responses: await surveyResponsesOf(context.db, survey.id, context.excludeDemo) },
    previous: before
      ? { survey: before, responses: await surveyResponsesOf(context.db, before.id, context.excludeDemo) }
      : null,
    teams,
    minGroupSize: context.minGroupSize,
  });
}
