import type { SurveyQuestion } from './surveys.types.ts';

/** What the form holds per question: the chosen key (Likert "1"…"5", an option), several keys, or typed text. */
export type FormValues = Record<string, string | string[]>;

/**
 * The form's values as the API's `answers`: Likert and hours as numbers, choices as keys, text trimmed;
 * unanswered questions (blank, nothing ticked) are left out. The server validates everything again.
 */
export function formAnswers(
  questions: readonly SurveyQuestion[],
  values: FormValues,
): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const question of questions) {
    const value = values[question.key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) answers[question.key] = value;
      continue;
    }
    const text = value.trim();
    if (text === '') continue;
    answers[question.key] = question.kind === 'likert' || question.kind === 'hours' ? Number(text) : text;
  }
  return answers;
}
