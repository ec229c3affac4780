import type { TeamFriction } from './friction.types.ts';

/** Developer-hours per week as the friction views show them: "86 h/week", "4.5 h/week", "—". */
export function formatHoursPerWeek(hours: number | null | undefined): string {
  if (hours === null || hours === undefined) return '—';
  return `${hours >= 100 ? Math.round(hours) : Math.round(hours * 10) / 10} h/week`;
}

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    amount,
  );
}

export { VERDICT_TITLE } from '../../../../server/friction/verdicts.ts';

/** The survey part of a team's evidence in words: "S 60 h/week (12 answers, 100 %)" or why it is withheld. */
export function surveyText(team: TeamFriction): string {
  const survey = team.survey;
  if (survey === null) return 'not asked';
  if (survey.suppressed) return `withheld: ${survey.reason}`;
  const rate =
    survey.responseRatePercent === null ? '' : `, ${Math.round(survey.responseRatePercent)} % response`;
  const interval = survey.interval
    ? ` (95 % ${Math.round(survey.interval.low * 10) / 10}–${Math.round(survey.interval.high * 10) / 10})`
    : '';
  return `${formatHoursPerWeek(survey.hoursPerWeek)}${interval}, ${survey.respondents} answers${rate}`;
}
