import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { previousSurvey } from '../../scorecards/load-surveys.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import {
  saveSurveyResponses,
  storedDedupeHashes,
  surveyResponsesOf,
  surveyTeams,
} from '../db/survey-responses.repository.ts';
import { unusedSurveyLinkTeam, useSurveyLinkToken } from '../db/survey-link-tokens.repository.ts';
import type { Database, SurveyResponseSource } from '../db/tables.ts';
import { AppError } from '../errors.ts';
import { CsvFormatError, parseSurveyCsv } from './survey-csv.ts';
import type { ColumnOverrides } from './survey-csv.ts';
import { answersFingerprint, teamLookup, validateSurveyResponse } from './survey-intake.ts';
import type { IntakeContext, NormalizedResponse, SurveyResponseInput } from './survey-intake.ts';
import { computeSurveyResults } from './survey-results.ts';
import type { SurveyResults, SurveyRound } from './survey-results.ts';

export interface SurveyContext {
  db: Kysely<Database>;
  surveys: readonly Survey[];
  minGroupSize: number;
  /** surveys.publishComments: serve free-text answers (minGroupSize-safe) only when opted in. */
  publishComments?: boolean;
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
 * Responses from the form or the JSON API. Each needs a channel that fixes the respondent's team — a
 * one-time link issued for a team, or an authenticated sender — unless the survey opts into an open form.
 * Every item is validated first (a bad one is a 400 naming it, `body[3].answers.focus-time`); a submission
 * without a respondent identifier or link that repeats an earlier one's team and answers is a double
 * submission (409). Then, in one transaction, each link is used and every response written. The survey
 * must be open.
 */
export async function submitSurveyResponses(
  context: SurveyContext,
  surveyId: string,
  items: readonly SubmittedResponse[],
  options: { source: Extract<SurveyResponseSource, 'form' | 'api'>; authenticated: boolean },
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
  if (missing >= 0 && !options.authenticated && !survey.openForm) {
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      `body[${missing}].token is required: answer through the one-time link you were sent for your team`,
      `body[${missing}].token`,
    );
  }
  const teams = await surveyTeams(context.db);
  const inputs = await Promise.all(
    items.map(async (item, index) => {
      if (item.linkToken === null) return item.input;
      const team = await linkTeam(context, survey, teams, item.linkToken, `body[${index}].token`);
      const given = item.input.team;
      if (
        typeof given === 'string' &&
        given.trim() !== '' &&
        ![team.slug, team.name.trim().toLowerCase()].includes(given.trim().toLowerCase())
      ) {
        throw new AppError(
          400,
          'VALIDATION_FAILED',
          `body[${index}].team is "${given}", but this link is for team ${team.name}`,
          `body[${index}].team`,
        );
      }
      return { ...item.input, team: team.slug };
    }),
  );
  const intake: IntakeContext = {
    survey,
    teamIds: teamLookup(teams),
    hashKey: context.hashKey,
    now,
    source: options.source,
    teamFixed: false,
  };
  const seen = new Map<string, number>();
  /** Items identified by their answers alone: a repeat of a stored one is a double submission. */
  const fingerprinted: { hash: string; index: number }[] = [];
  const responses = inputs.map((input, index) => {
    const linked = items[index]!.linkToken !== null;
    const result = validateSurveyResponse({ ...intake, teamFixed: linked || options.authenticated }, input);
    if ('problems' in result) {
      const problem = result.problems[0]!;
      const field = `body[${index}].${problem.field}`;
      throw new AppError(400, 'VALIDATION_FAILED', `${field} ${problem.message}`, field);
    }
    const response = result.response;
    // A link is one person: it needs no fingerprint (two colleagues may well answer alike).
    const byRespondent = response.dedupeHash !== null;
    if (!byRespondent && !linked) {
      response.dedupeHash = answersFingerprint(survey.id, response.teamId, response.answers);
      fingerprinted.push({ hash: response.dedupeHash, index });
    }
    const hash = response.dedupeHash;
    if (hash !== null) {
      const first = seen.get(hash);
      if (first !== undefined) throw sameAs(index, first, byRespondent);
      seen.set(hash, index);
    }
    return response;
  });
  await context.db.transaction().execute(async (trx) => {
    for (const [index, item] of items.entries()) {
      if (item.linkToken === null) continue;
      const used = await useSurveyLinkToken(trx, survey.id, hashLinkToken(item.linkToken), now);
      if (!used) throw linkRefused(`body[${index}].token`);
    }
    const stored = await storedDedupeHashes(
      trx,
      survey.id,
      fingerprinted.map((f) => f.hash),
    );
    const repeated = fingerprinted.find((f) => stored.has(f.hash));
    if (repeated) {
      throw new AppError(
        409,
        'DOUBLE_SUBMISSION',
        `body[${repeated.index}] repeats a response already submitted for this team (the same answers); ` +
          'it is counted once',
        `body[${repeated.index}]`,
      );
    }
    await saveSurveyResponses(trx, survey.id, responses);
  });
  return { accepted: responses.length };
}

function sameAs(index: number, first: number, respondent: boolean): AppError {
  return respondent
    ? new AppError(
        400,
        'VALIDATION_FAILED',
        `body[${index}].respondent is the same respondent as item ${first}`,
        `body[${index}].respondent`,
      )
    : new AppError(
        409,
        'DOUBLE_SUBMISSION',
        `body[${index}] repeats item ${first} (the same team and answers); it is counted once`,
        `body[${index}]`,
      );
}

const linkRefused = (field: string) =>
  new AppError(403, 'LINK_USED', 'this link is unknown or has already been used', field);

/** The team a one-time link was issued for; a used, unknown or team-less link is a 403. */
async function linkTeam(
  context: SurveyContext,
  survey: Survey,
  teams: readonly { id: number; slug: string; name: string }[],
  token: string,
  field: string,
): Promise<{ slug: string; name: string }> {
  const link = await unusedSurveyLinkTeam(context.db, survey.id, hashLinkToken(token));
  if (!link) throw linkRefused(field);
  const team = teams.find((candidate) => candidate.id === link.teamId);
  if (!team) {
    throw new AppError(
      403,
      'LINK_USED',
      'this link names no current team (it was issued before links named one, or its team is retired); ask for a new one',
      field,
    );
  }
  return team;
}

/** Why an imported row was left out: only `invalid` rows stop an all-or-nothing import. */
export type RejectionKind = 'invalid' | 'double-submission' | 'partial' | 'empty';

export interface ImportReport {
  surveyId: string;
  dryRun: boolean;
  /** Data rows read (the header not counted). */
  rows: number;
  accepted: number;
  /** Rows left out, each counted once whatever its number of problems. */
  rejectedRows: number;
  /** One entry per problem of a rejected row. */
  rejected: { line: number; field: string; reason: string; kind: RejectionKind }[];
  /** Cells left out of an accepted row (an hours answer like "40+"). */
  warnings: { line: number; field: string; reason: string }[];
  /** Responses written: new ones, and ones that replaced an earlier import of the same row or respondent. */
  written: { added: number; replaced: number };
  mapping: Record<string, string>;
  ignoredColumns: string[];
  encoding: string;
  dateFormat: string;
}

/**
 * A CSV export, through the same validation and storage as every other intake. Partial responses, empty
 * rows and double submissions (a row without a respondent identifier repeating an earlier row's team and
 * answers) are left out and reported. With any invalid row nothing is written, unless `skipInvalid`.
 * A row is de-duplicated by its respondent or its answers, so importing the same export again replaces.
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
  const intake: IntakeContext = {
    survey,
    teamIds,
    hashKey: context.hashKey,
    now: context.now(),
    source: 'csv',
    teamFixed: true,
    lenient: true,
    dateFormat: parsed.dateFormat,
  };
  const rejected: ImportReport['rejected'] = [];
  const warnings: ImportReport['warnings'] = [];
  const accepted: NormalizedResponse[] = [];
  const seen = new Map<string, number>();
  let rejectedRows = 0;
  const field = (name: string) => {
    const column = columnOf(parsed.mapping, name);
    return column ? `${name} ("${column}")` : name;
  };
  const reject = (line: number, kind: RejectionKind, name: string, reason: string) => {
    rejectedRows += 1;
    rejected.push({ line, kind, field: name, reason });
  };
  for (const row of parsed.rows) {
    if (row.blank) {
      reject(row.line, 'empty', 'row', 'is empty');
      continue;
    }
    if (row.partial) {
      reject(row.line, 'partial', 'row', `is a partial response: ${row.partial}`);
      continue;
    }
    const result = validateSurveyResponse(intake, row.input);
    if ('problems' in result) {
      const empty =
        result.problems.length === 1 && result.problems[0]!.message === 'answer at least one question';
      rejectedRows += 1;
      for (const problem of result.problems) {
        rejected.push({
          line: row.line,
          kind: empty ? 'empty' : 'invalid',
          field: empty ? 'row' : field(problem.field),
          reason: empty ? 'answers no question (an empty submission)' : problem.message,
        });
      }
      continue;
    }
    const response = result.response;
    const byRespondent = response.dedupeHash !== null;
    response.dedupeHash ??= answersFingerprint(survey.id, response.teamId, response.answers);
    const first = seen.get(response.dedupeHash);
    if (first !== undefined) {
      reject(
        row.line,
        'double-submission',
        byRespondent ? 'respondent' : 'row',
        byRespondent
          ? `the same respondent as line ${first}`
          : `a double submission: the same team and answers as line ${first}`,
      );
      continue;
    }
    seen.set(response.dedupeHash, row.line);
    for (const warning of result.warnings)
      warnings.push({ line: row.line, field: field(warning.field), reason: warning.message });
    accepted.push(response);
  }
  const report: ImportReport = {
    surveyId: survey.id,
    dryRun: options.dryRun,
    rows: parsed.rows.length,
    accepted: accepted.length,
    rejectedRows,
    rejected,
    warnings,
    written: { added: 0, replaced: 0 },
    mapping: parsed.mapping,
    ignoredColumns: parsed.ignoredColumns,
    encoding: parsed.encoding,
    dateFormat:
      parsed.dateFormat + (parsed.dateFormatAmbiguous ? ' (assumed: every date reads either way)' : ''),
  };
  if (options.dryRun || accepted.length === 0 || (blocking(report) && !options.skipInvalid)) return report;
  report.written = await context.db
    .transaction()
    .execute((trx) => saveSurveyResponses(trx, survey.id, accepted));
  return report;
}

/** Invalid rows stop an all-or-nothing import; partial, empty and repeated rows are only reported. */
export const blocking = (report: ImportReport) => report.rejected.some((row) => row.kind === 'invalid');

function columnOf(mapping: Record<string, string>, field: string): string | undefined {
  return mapping[field.startsWith('answers.') ? field.slice('answers.'.length) : field];
}

/**
 * One round as results count it: only responses whose channel fixed the team (unless the survey has an open
 * form), and whether it is still open (then figures move only in steps of minGroupSize).
 */
export async function countedRound(context: SurveyContext, survey: Survey): Promise<SurveyRound> {
  const responses = await surveyResponsesOf(context.db, survey.id, context.excludeDemo);
  return {
    survey,
    responses: survey.openForm ? responses : responses.filter((response) => response.teamFixed),
    open: surveyStatus(survey, context.now()) === 'open',
  };
}

/** The results of one survey (with the round before it for the change), anonymity applied. */
export async function surveyResults(context: SurveyContext, surveyId: string): Promise<SurveyResults> {
  const survey = findSurvey(context, surveyId);
  const before = previousSurvey(context.surveys, survey);
  const teams = await surveyTeams(context.db);
  return computeSurveyResults({
    current: await countedRound(context, survey),
    previous: before ? await countedRound(context, before) : null,
    teams,
    minGroupSize: context.minGroupSize,
    publishComments: context.publishComments ?? false,
  });
}
