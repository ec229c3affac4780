import type { SurveyQuestion } from '../../scorecards/survey.schema.ts';

/** One validated answer, as stored: a number (Likert 1–5, hours 0–40), chosen option keys, or text. */
export type NormalizedAnswer =
  | { questionKey: string; questionVersion: number; kind: 'number'; value: number }
  | { questionKey: string; questionVersion: number; kind: 'choices'; value: string[] }
  | { questionKey: string; questionVersion: number; kind: 'text'; value: string };

export const MAX_HOURS_PER_WEEK = 40;
export const MAX_TEXT_LENGTH = 4000;
/** The choice an answer that is not an option counts as. */
export const OTHER = 'other';
/** The stored key of the text a respondent wrote as their "Other" answer to `questionKey`. */
export const otherTextKey = (questionKey: string) => `${questionKey}:other`;

// Agreement and frequency scales as form tools export them (Google Forms, Microsoft Forms, Typeform).
const LIKERT_LABELS: ReadonlyMap<string, number> = new Map([
  ['strongly disagree', 1],
  ['disagree', 2],
  ['neither agree nor disagree', 3],
  ['neither agree or disagree', 3],
  ['neutral', 3],
  ['agree', 4],
  ['strongly agree', 5],
  ['never', 1],
  ['rarely', 2],
  ['sometimes', 3],
  ['often', 4],
  ['very often', 4],
  ['always', 5],
]);

const normalizeLabel = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * An answer in the shape a question takes, or a reason it is not one. `null`, `undefined` and blank text
 * are "not answered" (every question may be skipped). Strings are accepted where a form tool would send
 * one: Likert labels ("Strongly agree"), numbers as text ("2,5" hours), option labels, "a; b" for several
 * choices.
 */
export function normalizeAnswer(
  question: SurveyQuestion,
  raw: unknown,
  options: { allowOther?: boolean } = {},
): { answer: NormalizedAnswer | null; otherText?: string } | { problem: string } {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === ''))
    return { answer: null };
  const base = { questionKey: question.key, questionVersion: question.version };
  switch (question.kind) {
    case 'likert': {
      const value =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string'
            ? (LIKERT_LABELS.get(normalizeLabel(raw)) ?? (/^\s*[1-5]\s*$/.test(raw) ? Number(raw) : NaN))
            : NaN;
      if (!Number.isInteger(value) || value < 1 || value > 5) {
        return {
          problem: `expected 1 to 5 or a label from "Strongly disagree" to "Strongly agree", got ${show(raw)}`,
        };
      }
      return { answer: { ...base, kind: 'number', value } };
    }
    case 'hours': {
      const value =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && /^\s*\d+([.,]\d+)?\s*$/.test(raw)
            ? Number(raw.trim().replace(',', '.'))
            : NaN;
      if (!Number.isFinite(value) || value < 0 || value > MAX_HOURS_PER_WEEK) {
        return { problem: `expected hours per week from 0 to ${MAX_HOURS_PER_WEEK}, got ${show(raw)}` };
      }
      return { answer: { ...base, kind: 'number', value } };
    }
    case 'single-choice':
    case 'multiple-choice': {
      const byKeyOrLabel = (text: string) =>
        question.options.find(
          (option) => option.key === text.trim() || normalizeLabel(option.label) === normalizeLabel(text),
        )?.key;
      let texts: unknown[];
      if (Array.isArray(raw)) texts = raw;
      else if (typeof raw !== 'string') texts = [raw];
      else if (question.kind === 'single-choice' || byKeyOrLabel(raw)) texts = [raw];
      else texts = splitChoices(raw, (text) => byKeyOrLabel(text) !== undefined);
      if (question.kind === 'single-choice' && texts.length !== 1) return { problem: 'expected one option' };
      // Form tools let a respondent write their own answer ("Other"): it counts as `other`, and its text is
      // published with the comments, never beside the choice.
      const [only] = texts;
      if (
        question.kind === 'single-choice' &&
        options.allowOther &&
        typeof only === 'string' &&
        !byKeyOrLabel(only)
      ) {
        const otherText = only.trim();
        if (otherText.length > MAX_TEXT_LENGTH)
          return { problem: `is longer than ${MAX_TEXT_LENGTH} characters` };
        return { answer: { ...base, kind: 'choices', value: [OTHER] }, otherText };
      }
      const keys: string[] = [];
      for (const text of texts) {
        const key = typeof text === 'string' ? byKeyOrLabel(text) : undefined;
        if (!key) {
          return {
            problem: `expected one of ${question.options.map((o) => `"${o.key}"`).join(', ')} (or their labels), got ${show(text)}`,
          };
        }
        if (!keys.includes(key)) keys.push(key);
      }
      if (keys.length === 0) return { answer: null };
      return { answer: { ...base, kind: 'choices', value: keys } };
    }
    case 'text': {
      if (typeof raw !== 'string') return { problem: `expected text, got ${show(raw)}` };
      const value = raw.trim();
      if (value.includes('\u0000')) return { problem: 'contains a NUL character' };
      if (value.length > MAX_TEXT_LENGTH) return { problem: `is longer than ${MAX_TEXT_LENGTH} characters` };
      return { answer: { ...base, kind: 'text', value } };
    }
  }
}

/**
 * Several choices in one cell, as form tools export them: "a; b" (Microsoft Forms) or "a, b" (Google Forms).
 * A label may itself hold a comma ("Builds, tests"), so neighbouring parts are joined while that makes a
 * known option; a part that matches nothing is kept as it is, to be reported.
 */
function splitChoices(text: string, isOption: (text: string) => boolean): string[] {
  const parts = text.split(/([;,])/);
  const choices: string[] = [];
  for (let start = 0; start < parts.length; start += 2) {
    let end = start;
    let candidate = parts[start] ?? '';
    if (!isOption(candidate)) {
      let joined = candidate;
      for (let next = start + 2; next < parts.length; next += 2) {
        joined += `${parts[next - 1] ?? ''}${parts[next] ?? ''}`;
        if (isOption(joined)) {
          [candidate, end] = [joined, next];
          break;
        }
      }
    }
    if (candidate.trim() !== '') choices.push(candidate.trim());
    start = end;
  }
  return choices;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
