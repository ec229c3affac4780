import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import { weekStart } from './scope.ts';
import { ticketSamples } from './ticket-waits.metric.ts';
import type { TicketScope } from './ticket-waits.metric.ts';

/**
 * Ticket evidence for the friction ranking: per requesting team and category, the tickets whose work started
 * in the period and the sum of their waits before start (calendar hours, as the wait-time metric defines
 * them), optionally week by week (Monday 00:00 UTC of the start). Tickets from no known team are left out:
 * friction is counted per team, and the organisation is the sum of its teams.
 */
export interface TicketWaitSumRow {
  requestingTeam: string;
  category: string;
  /** Monday of the week work started; null unless asked by week. */
  week: Date | null;
  started: number;
  waitBeforeStartSumHours: number;
  waitBeforeStartMedianHours: number | null;
}

export async function ticketWaitSums(
  db: Kysely<Database>,
  scope: TicketScope,
  options: { byWeek?: boolean } = {},
): Promise<TicketWaitSumRow[]> {
  const week = options.byWeek ? weekStart(sql`s.work_started_at`) : sql`null::timestamptz`;
  const result = await sql<TicketWaitSumRow>`
    select s.requesting_team, s.category, ${week} as week,
      count(*)::integer as started,
      coalesce(sum(s.wait_before_start_hours), 0)::double precision as wait_before_start_sum_hours,
      percentile_cont(0.5) within group (order by s.wait_before_start_hours) as wait_before_start_median_hours
    from (${ticketSamples({ ...scope, groupBy: null })}) s
    where s.started_in_period and s.requesting_team is not null
    group by 1, 2, 3
    order by 1, 2, 3`.execute(db);
  return result.rows;
}
