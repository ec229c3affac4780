import type { Period } from '../metrics/period.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { surveyStatus } from './surveys.service.ts';

const DAY_MS = 86_400_000;

/** The survey round a dashboard panel shows for a period, and why, in a sentence shown as it is. */
export interface PeriodRound {
  /** The newest round that overlaps the period (and has opened), or null: then the panel shows no round. */
  surveyId: string | null;
  status: 'open' | 'closed' | null;
  reason: string;
}

/** "the last 30 days", "2026-Q3", or "2026-10-01 to 2026-11-20" for explicit bounds. */
function periodWords(period: Period): string {
  const match = /^last-(\d+)d$/.exec(period.label);
  if (match) return `the last ${Number(match[1])} days`;
  if (period.label.includes('/'))
    return `${period.from.toISOString().slice(0, 10)} to ${new Date(period.to.getTime() - 1).toISOString().slice(0, 10)}`;
  return period.label;
}

const days = (survey: Survey) => `${survey.opens} to ${survey.closes}`;

/**
 * One period drives every panel: a survey panel shows the round whose days (opens to closes, both included)
 * overlap the period — the newest when several do — and says so; when none does, it shows none rather than
 * a round from another time, and names the nearest earlier one. A round that has not opened has no answers.
 * (The friction ranking uses closed rounds only, with its own note: its evidence must not move.)
 */
export function surveyRoundForPeriod(
  surveys: readonly Survey[],
  period: Period,
  now: Date,
  minGroupSize: number,
): PeriodRound {
  const opensAt = (survey: Survey) => Date.parse(`${survey.opens}T00:00:00Z`);
  const endsAt = (survey: Survey) => Date.parse(`${survey.closes}T00:00:00Z`) + DAY_MS;
  const opened = surveys.filter((survey) => opensAt(survey) <= now.getTime());
  const overlapping = opened
    .filter((survey) => opensAt(survey) < period.to.getTime() && endsAt(survey) > period.from.getTime())
    .sort((a, b) => opensAt(b) - opensAt(a));
  const words = periodWords(period);
  const shown = overlapping[0];
  if (!shown) {
    const earlier = opened
      .filter((survey) => endsAt(survey) <= period.from.getTime())
      .sort((a, b) => opensAt(b) - opensAt(a))[0];
    return {
      surveyId: null,
      status: null,
      reason:
        `No survey round overlaps ${words}` +
        (earlier ? `; the nearest earlier round is ${earlier.id} (${days(earlier)}).` : '.'),
    };
  }
  const status = surveyStatus(shown, now) === 'open' ? 'open' : 'closed';
  const others = overlapping.slice(1).map((survey) => survey.id);
  return {
    surveyId: shown.id,
    status,
    reason:
      `${shown.id} (${days(shown)}) is the round that overlaps ${words}` +
      (others.length > 0 ? `, the newest of ${overlapping.length} (also ${others.join(', ')})` : '') +
      (status === 'open'
        ? `; it is still open, so its figures move only in steps of ${minGroupSize} responses per team.`
        : '.'),
  };
}
