import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import { DAY_MS } from '../time.ts';
import { MAX_PERIOD_DAYS } from './period.ts';
import type { Period } from './period.ts';
import { notDemo } from './scope.ts';
import type { MetricScope } from './scope.ts';

const WEEK_MS = 7 * DAY_MS;

/** The most weeks a series may ask for: the longest period allowed, in whole weeks (157). */
export const MAX_SERIES_WEEKS = Math.floor(MAX_PERIOD_DAYS / 7);

/** Monday 00:00 UTC of the week `ms` falls in (1970-01-01 was a Thursday, hence the 4 days). */
function mondayOf(ms: number): number {
  return Math.floor((ms - 4 * DAY_MS) / WEEK_MS) * WEEK_MS + 4 * DAY_MS;
}

/** A week of a series: Monday-aligned, clipped to the series' window; `label` is its Monday. */
export interface SeriesWeek extends Period {
  /** Clipped by the window (the period, the data's start or now): it covers fewer than 7 days. */
  partial: boolean;
}

/** Monday-aligned weeks covering a period, each clipped to it. */
export function weeksOf(period: Period): SeriesWeek[] {
  const weeks: SeriesWeek[] = [];
  for (let start = mondayOf(period.from.getTime()); start < period.to.getTime(); start += WEEK_MS) {
    const from = new Date(Math.max(start, period.from.getTime()));
    const to = new Date(Math.min(start + WEEK_MS, period.to.getTime()));
    const partial = to.getTime() - from.getTime() < WEEK_MS;
    if (to <= from) break; // an empty window
    weeks.push({ from, to, label: new Date(start).toISOString().slice(0, 10), partial });
  }
  return weeks;
}

/**
 * What a weekly series covers. With `weeks`, the `weeks` Monday-aligned weeks ending with the period's
 * last (a 26-week trend up to the period's end); without, the period itself. Then clipped to the data:
 * nothing after `now` (a week still running is partial) and nothing before the day the team's data begins
 * — the weeks before it are left out rather than drawn as weeks without a deployment, and the week it
 * begins in is partial. The window may be empty (the period ends before the team's data begins).
 */
export function seriesWindow(
  period: Period,
  weeks: number | undefined,
  now: Date,
  dataFrom: Date | null,
): Period {
  const end = Math.max(period.from.getTime(), Math.min(period.to.getTime(), now.getTime()));
  let start = weeks === undefined ? period.from.getTime() : mondayOf(end - 1) - (weeks - 1) * WEEK_MS;
  if (dataFrom) start = Math.max(start, Math.floor(dataFrom.getTime() / DAY_MS) * DAY_MS);
  return { from: new Date(start), to: new Date(Math.max(start, end)), label: period.label };
}

/**
 * When a team's data begins: the day of its first successful production deployment or CI run, ever.
 * Null when it has neither.
 */
export async function teamDataStart(
  db: Kysely<Database>,
  scope: Pick<MetricScope, 'productionEnvironments' | 'excludeDemo'> & { teamId: number },
): Promise<Date | null> {
  const result = await sql<{ first: Date | null }>`
    select least(
      (select min(d.finished_at) from deployments d
        where d.team_id = ${scope.teamId} and d.status = 'success'
          and d.environment = any(${[...scope.productionEnvironments]}::text[]) ${notDemo('d', scope)}),
      (select min(c.run_created_at) from ci_runs c where c.team_id = ${scope.teamId} ${notDemo('c', scope)})
    ) as first`.execute(db);
  const first = result.rows[0]?.first ?? null;
  return first === null ? null : new Date(first);
}
