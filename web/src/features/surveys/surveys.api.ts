import { ApiError, apiUrl } from '../../lib/api-client.ts';
import type { ApiErrorBody } from '../../lib/api-client.ts';

export const SURVEYS_URL = '/api/v1/surveys';
export const surveyUrl = (id: string) => `${SURVEYS_URL}/${encodeURIComponent(id)}`;

export const surveyResultsUrl = (id: string) => apiUrl(`${surveyUrl(id)}/results`, { groupBy: 'team' });

/** The survey list with `forPeriod`: the round a survey panel shows for `period`, and why (or none). */
export const surveysForPeriodUrl = (period: string) => apiUrl(SURVEYS_URL, { period });

/** The results page of a round, keeping the period the reader came from. */
export const surveyResultsPath = (id: string, period?: string) =>
  `/surveys/${encodeURIComponent(id)}/results${period ? `?period=${encodeURIComponent(period)}` : ''}`;

/** One response from the form: answers by question key, and the one-time link's token (which fixes the
 * team) or, on an open form, the team picked. */
export interface FormResponse {
  team?: string;
  answers: Record<string, unknown>;
  token?: string;
}

/** Sends the form's response; a refusal becomes an `ApiError` naming the field at fault. */
export async function submitSurveyResponse(id: string, body: FormResponse): Promise<void> {
  const response = await fetch(`${surveyUrl(id)}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-groundwork-form': '1' },
    body: JSON.stringify(body),
  });
  if (response.ok) return;
  const error = (await response.json().catch(() => null)) as ApiErrorBody | null;
  throw new ApiError(
    response.status,
    error?.error.code ?? 'HTTP_ERROR',
    error?.error.message ?? `the server answered ${response.status}`,
    error?.error.field,
  );
}
