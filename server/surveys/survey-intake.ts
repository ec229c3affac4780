import { createHash, createHmac } from 'node:crypto';
import type { Survey } from '../../scorecards/survey.schema.ts';
import type { DateFormat } from '../../scorecards/survey.schema.ts';
import { normalizeAnswer, otherTextKey } from './survey-answers.ts';
import { parseTimestamp } from './survey-dates.ts';
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
  /** The channel fixed the team (one-time link, import, authenticated sender, demo): it counts in results. */
  teamFixed: boolean;
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
  teamFixed: boolean;
  /** Imports: a single choice that is not an option counts as "other", and an invalid hours answer is
   * dropped with a warning instead of rejecting the row (exports hold free text the form let through). */
  lenient?: boolean;
  /** How submission dates are written (imports: the survey's or the detected order). */
  dateFormat?: DateFormat;
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

/** A hash of fixed content (the demo's team and number), so loading again replaces instead of adding. */
export function rowContentHash(surveyId: string, content: string): string {
  return createHash('sha256').update(`${surveyId}\n${content}`).digest('hex');
}

/**
 * What makes two submissions the same: the team and every answer as stored (Likert values, hours, chosen
 * options, "Other" text, comments; trimmed), not when they were sent. A submission without a respondent
 * identifier or one-time link that equals an earlier one is a double submission of one person.
 */
export function answersFingerprint(
  surveyId: string,
  teamId: number,
  answers: readonly NormalizedAnswer[],
): string {
  const values = [...answers]
    .sort((a, b) => a.questionKey.localeCompare(b.questionKey))
    .map((answer) => [
      answer.questionKey,
      answer.kind === 'choices' ? [...answer.value].sort() : answer.value,
    ]);
  return rowContentHash(surveyId, JSON.stringify(['answers', teamId, values]));
}

/**
 * The one validation every intake goes through: the team exists, each answer fits its question, unknown
 * questions are refused, at least one question is answered, the day lies in the survey's window.
 */
export function validateSurveyResponse(
  context: IntakeContext,
  input: SurveyResponseInput,
): { response: NormalizedResponse; warnings: IntakeProblem[] } | { problems: IntakeProblem[] } {
  const { survey } = context;
  const warnings: IntakeProblem[] = [];
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
  const submittedOn = submittedDay(input.submittedAt, context.now, context.dateFormat ?? 'auto');
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
      const result = normalizeAnswer(question, given[question.key], { allowOther: context.lenient ?? false });
      const field = `answers.${question.key}`;
      if ('problem' in result) {
        if (context.lenient && question.kind === 'hours')
          warnings.push({ field, message: `${result.problem}; left out` });
        else problems.push({ field, message: result.problem });
      } else if (result.answer) {
        answers.push(result.answer);
        if (result.otherText) {
          answers.push({
            questionKey: otherTextKey(question.key),
            questionVersion: question.version,
            kind: 'text',
            value: result.otherText,
          });
        }
      }
    }
    if (problems.length === 0 && answers.length === 0) {
      problems.push({ field: 'answers', message: 'answer at least one question' });
    }
  }
  if (problems.length > 0 || teamId === undefined || typeof submittedOn !== 'string') {
    return { problems };
  }
  return {
    response: {
      teamId,
      dedupeHash,
      source: context.source,
      submittedOn,
      teamFixed: context.teamFixed,
      answers,
    },
    warnings,
  };
}

function submittedDay(raw: unknown, now: Date, format: DateFormat): string | IntakeProblem {
  if (raw === undefined || raw === null || raw === '') return now.toISOString().slice(0, 10);
  const date = raw instanceof Date ? raw : typeof raw === 'string' ? parseTimestamp(raw, format) : null;
  if (!date || Number.isNaN(date.getTime())) {
    const expected = format === 'auto' ? 'an ISO date or timestamp' : `a date like ${format}`;
    return { field: 'submittedAt', message: `expected ${expected}, got ${clip(String(raw))}` };
  }
  if (date.getTime() > now.getTime() + 86_400_000) {
    return { field: 'submittedAt', message: 'is in the future' };
  }
  return date.toISOString().slice(0, 10);
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
