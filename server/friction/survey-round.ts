import type { Period } from '../metrics/period.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';

export interface RoundChoice {
  survey: Survey;
  /** Why this round: it covers the period, or it is the latest closed one. */
  note: string;
}

const DAY_MS = 86_400_000;

/**
 * The survey round whose evidence a period uses: the round covering the period when it has closed (its
 * results are final), else the latest round closed by the period's end (or now, if earlier). Null when no
 * round has closed by then.
 */
export function surveyRoundFor(surveys: readonly Survey[], period: Period, now: Date): RoundChoice | null {
  const closedBy = (survey: Survey, at: Date) =>
    Date.parse(`${survey.closes}T00:00:00Z`) + DAY_MS <= at.getTime();
  const until = now < period.to ? now : period.to;
  const covering = [...surveys]
    .reverse()
    .find(
      (s) =>
        Date.parse(`${s.opens}T00:00:00Z`) < period.to.getTime() &&
        Date.parse(`${s.closes}T00:00:00Z`) + DAY_MS > period.from.getTime(),
    );
  if (covering && closedBy(covering, now))
    return { survey: covering, note: `${covering.id} covers ${period.label}` };
  const latest = [...surveys].reverse().find((s) => closedBy(s, until));
  if (!latest) return null;
  return {
    survey: latest,
    note: covering
      ? `${covering.id} covers ${period.label} but is still open; ${latest.id} is the latest closed round`
      : `no round covers ${period.label}; ${latest.id} is the latest closed round`,
  };
}
