import { createHash, createHmac } from 'node:crypto';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { parseUtcDate } from '../time.ts';
import { normalizeAnswer } from './survey-answers.ts';
import type { NormalizedAnswer } from './survey-answers.ts';
import type { SurveyResponseSource } from '../db/tables.ts';

/** One submission as any intake (form, JSON API, CSV row) hands it over, before validation. */
export interface SurveyResponseInput {
  /** A team slug or name (case-insensitive). */
  team?: unknown;
  /** An identifier for de-duplication only (an e-mail, an employee id); kept only as a keyed hash. */
  respondent?: unknown;
  /** When the answer was given; defaults to now. Only its UTC day is stored. */
  submittedAt?: unknown;
  answers?: unknown;
}

/** A validated response, ready for storage: nothing in it names a person. */
export interface NormalizedResponse {
  teamId: number;
  dedupeHash: string | null;
  source: SurveyResponseSource;
  submittedOn: string;
  answers: NormalizedAnswer[];
}

export interface IntakeProblem {
  /** Relative to the submission: `team`, `answers.focus-time`, `submittedAt`. */
  field: string;
  message: string;
}

export interface IntakeContext {
  survey: Survey;
  /** Active teams by lower-cased slug and by lower-cased name. */
  teamIds: ReadonlyMap<string, number>;
  /** GROUNDWORK_SURVEY_HASH_KEY; null: respondent identifiers are refused. */
  hashKey: string | null;
  now: Date;
  source: SurveyResponseSource;
}

/** Slug and name → team id, lower-cased, for resolving the team a respondent picked. */
export function teamLookup(
  teams: readonly { id: number; slug: string; name: string }[],
): Map<string, number> {
  const lookup = new Map<string, number>();
  for (const team of teams) {
    lookup.set(team.slug.toLowerCase(), team.id);
    lookup.set(team.name.trim().toLowerCase(), team.id);
  }
  return lookup;
}

/** The keyed hash of a respondent identifier, per survey, so the same person cannot be linked across rounds. */
export function respondentHash(hashKey: string, surveyId: string, identifier: string): string {
  return createHmac('sha256', hashKey)
    .update(`${surveyId}\n${identifier.trim().toLowerCase()}`)
    .digest('hex');
}

/** A hash of an imported row's content, so importing the same export twice replaces instead of adding. */
export function rowContentHash(surveyId: string, content: string): string {
  return createHash('sha256').update(`${surveyId}\n${content}`).digest('hex');
}

/**
 * The one validation every intake goes through: the team exists, each answer fits its question, unknown
 * questions are refused, at least one question is answered, the day lies in the survey's window.
 */
export function validateSurveyResponse(
  context: IntakeContext,
  input: SurveyResponseInput,
): { response: NormalizedResponse } | { problems: IntakeProblem[] } {
  const { survey } = context;
  const problems: IntakeProblem[] = [];
  let teamId: number | undefined;
  if (typeof input.team !== 'string' || input.team.trim() === '') {
    problems.push({ field: 'team', message: 'is required: the slug or name of your team' });
  } else {
    teamId = context.teamIds.get(input.team.trim().toLowerCase());
    if (teamId === undefined)
      problems.push({ field: 'team', message: `"${clip(input.team)}" is not a team` });
  }
  let dedupeHash: string | null = null;
  if (input.respondent !== undefined && input.respondent !== null && input.respondent !== '') {
    if (
      typeof input.respondent !== 'string' ||
      input.respondent.trim() === '' ||
      input.respondent.length > 320
    ) {
      problems.push({
        field: 'respondent',
        message: 'expected a non-empty identifier of at most 320 characters',
      });
    } else if (!context.hashKey) {
      problems.push({
        field: 'respondent',
        message:
          'respondent identifiers need GROUNDWORK_SURVEY_HASH_KEY (they are stored only as a keyed hash)',
      });
    } else dedupeHash = respondentHash(context.hashKey, survey.id, input.respondent);
  }
  const submittedOn = submittedDay(input.submittedAt, context.now);
  if (typeof submittedOn !== 'string') problems.push(submittedOn);
  else if (submittedOn < survey.opens || submittedOn > survey.closes) {
    problems.push({
      field: 'submittedAt',
      message: `${submittedOn} is outside the survey's window (${survey.opens} to ${survey.closes})`,
    });
  }
  const answers: NormalizedAnswer[] = [];
  if (typeof input.answers !== 'object' || input.answers === null || Array.isArray(input.answers)) {
    problems.push({ field: 'answers', message: 'expected an object of answers by question key' });
  } else {
    const given = input.answers as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!survey.questions.some((question) => question.key === key)) {
        problems.push({ field: `answers.${clip(key)}`, message: `is not a question of survey ${survey.id}` });
      }
    }
    for (const question of survey.questions) {
      if (!Object.hasOwn(given, question.key)) continue;
      const result = normalizeAnswer(question, given[question.key]);
      if ('problem' in result) problems.push({ field: `answers.${question.key}`, message: result.problem });
      else if (result.answer) answers.push(result.answer);
    }
    if (problems.length === 0 && answers.length === 0) {
      problems.push({ field: 'answers', message: 'answer at least one question' });
    }
  }
  if (problems.length > 0 || teamId === undefined || typeof submittedOn !== 'string') {
    return { problems };
  }
  return { response: { teamId, dedupeHash, source: context.source, submittedOn, answers } };
}

function submittedDay(raw: unknown, now: Date): string | IntakeProblem {
  if (raw === undefined || raw === null || raw === '') return now.toISOString().slice(0, 10);
  const date = raw instanceof Date ? raw : typeof raw === 'string' ? parseTimestamp(raw) : null;
  if (!date || Number.isNaN(date.getTime())) {
    return { field: 'submittedAt', message: `expected an ISO date or timestamp, got ${clip(String(raw))}` };
  }
  if (date.getTime() > now.getTime() + 86_400_000) {
    return { field: 'submittedAt', message: 'is in the future' };
  }
  return date.toISOString().slice(0, 10);
}

/**
 * ISO dates and timestamps, and the shapes form tools export: `2026/11/03 10:15:22 AM GMT+1` (Google
 * Forms), `11/3/2026 10:15:22` and `11/3/26 10:15` (Google Forms and Microsoft Forms in US English),
 * `2026-11-03 10:15:22` (Typeform). Only the day is kept, and a time without a zone is read as UTC.
 */
export function parseTimestamp(text: string): Date | null {
  const trimmed = text.trim();
  const iso =
    /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*(AM|PM))?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}|GMT[+-]\d{1,2})?)?$/i.exec(
      trimmed,
    );
  if (iso) {
    if (iso[8] && /^[+-]\d{2}:?\d{2}$/.test(iso[8])) {
      const date = new Date(
        `${iso[1]}-${iso[2]}-${iso[3]}T${(iso[4] ?? '0').padStart(2, '0')}:${iso[5]}:${iso[6] ?? '00'}${iso[8].length === 5 ? `${iso[8].slice(0, 3)}:${iso[8].slice(3)}` : iso[8]}`,
      );
      return Number.isNaN(date.getTime()) ? null : date;
    }
    return realDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:[ ,]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM))?)?$/i.exec(
    trimmed,
  );
  if (us) {
    const year = us[3]!.length === 2 ? 2000 + Number(us[3]) : Number(us[3]);
    return realDay(year, Number(us[1]), Number(us[2]));
  }
  return null;
}

function realDay(year: number, month: number, day: number): Date | null {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return parseUtcDate(text);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
