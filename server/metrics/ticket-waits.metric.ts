import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/tables.ts';
import type { Period } from './period.ts';
import { hoursBetween, notDemo, weekStart } from './scope.ts';
import type { DrillMeasure } from './ticket-measures.ts';

export type { DrillMeasure } from './ticket-measures.ts';

/**
 * Ticket wait times: how long people wait on another team's queue (ops, platform, security, DBAs) for
 * routine requests. Every figure is in calendar hours (elapsed UTC time: a DST change neither adds nor
 * removes an hour), computed here from each ticket's status intervals:
 *
 * - **wait before start**: from creation until work first starts (the first transition into a status of
 *   category In Progress), counting only time in waiting statuses; attributed to the period work started in.
 *   Tickets not yet started (nor resolved) are "still waiting", with their age at the period's end (or now).
 * - **total wait**: all time in waiting statuses from creation until resolution — a reopen or a bounce back to
 *   waiting adds to it; attributed to the period of resolution.
 * - **flow efficiency**: time in progress ÷ (time in progress + total wait), per resolved ticket (`median`)
 *   and pooled over them (`pooled`: total in progress ÷ total in progress and waiting).
 * - **time to first response**: creation → the first comment or transition by someone other than the
 *   reporter; attributed to the period of the response.
 * - **time to resolution**: creation → resolution; attributed to the period of resolution.
 *
 * Waiting statuses are those of the configured categories (`new`, To Do, by default) or names; "in progress"
 * time is time in statuses of category In Progress that are not waiting ones. Medians and p90s are continuous
 * percentiles, like the delivery metrics'.
 */

export type TicketGroupBy = 'category' | 'servingTeam' | 'requestingTeam';

export interface WaitingStatuses {
  /** Status categories whose time counts as waiting (`new` by default). */
  categories: readonly string[];
  /** Status names (lower-case) whose time counts as waiting, whatever their category. */
  names: readonly string[];
}

export interface TicketScope {
  period: Period;
  /** The end of the period, or now when that is earlier: open intervals end here, ages are taken here. */
  asOf: Date;
  waiting: WaitingStatuses;
  groupBy: TicketGroupBy | null;
  /** Leave out tickets `groundwork demo` wrote. */
  excludeDemo?: boolean | undefined;
}

/** The group a ticket falls in; null: no serving team mapped, or no requesting team found. */
function groupKey(groupBy: TicketGroupBy | null): RawBuilder<string | null> {
  if (groupBy === 'category') return sql`t.category`;
  if (groupBy === 'servingTeam') return sql`t.serving_team`;
  if (groupBy === 'requestingTeam') return sql`rt.slug`;
  return sql`null::text`;
}

const inPeriod = (column: RawBuilder<unknown>, scope: TicketScope) =>
  sql<boolean>`coalesce(${column} >= ${scope.period.from} and ${column} < ${scope.period.to}, false)`;

/**
 * One row per ticket that counts in the period — created, started, responded to or resolved in it, or still
 * waiting at its end — with every per-ticket figure and which aggregates it belongs to.
 */
export function ticketSamples(scope: TicketScope): RawBuilder<TicketSample> {
  const asOf = scope.asOf;
  const isWaiting = sql<boolean>`(i.status_category = any(${[...scope.waiting.categories]}::text[])
    or lower(i.status) = any(${[...scope.waiting.names]}::text[]))`;
  // The interval's stretch inside [created, window end), in hours; open intervals run to `asOf`.
  const overlap = (windowEnd: RawBuilder<unknown>) =>
    sql<number>`greatest(0, extract(epoch from (least(coalesce(i.ended_at, ${asOf}::timestamptz), ${windowEnd})
      - greatest(i.started_at, t.created_at))) / 3600.0)`;
  const untilResolved = sql`least(coalesce(t.resolved_at, ${asOf}::timestamptz), ${asOf}::timestamptz)`;
  const stillWaiting = sql<boolean>`(t.created_at < ${asOf}
    and (t.work_started_at is null or t.work_started_at >= ${asOf})
    and (t.resolved_at is null or t.resolved_at >= ${asOf}))`;
  return sql<TicketSample>`
    with relevant as (
      select t.*, ${inPeriod(sql`t.created_at`, scope)} as created_in_period,
        ${inPeriod(sql`t.work_started_at`, scope)} as started_in_period,
        ${inPeriod(sql`t.first_response_at`, scope)} as responded_in_period,
        ${inPeriod(sql`t.resolved_at`, scope)} as resolved_in_period,
        ${stillWaiting} as still_waiting
      from tickets t
      where (${inPeriod(sql`t.created_at`, scope)} or ${inPeriod(sql`t.work_started_at`, scope)}
        or ${inPeriod(sql`t.first_response_at`, scope)} or ${inPeriod(sql`t.resolved_at`, scope)} or ${stillWaiting})
        ${notDemo('t', scope)}
    ),
    durations as (
      select t.id,
        sum(${overlap(sql`t.work_started_at`)}) filter (where ${isWaiting} and t.work_started_at is not null)
          as wait_before_start_hours,
        coalesce(sum(${overlap(untilResolved)}) filter (where ${isWaiting}), 0) as total_wait_hours,
        coalesce(sum(${overlap(untilResolved)}) filter (where i.status_category = 'indeterminate' and not ${isWaiting}), 0)
          as in_progress_hours
      from relevant t join ticket_status_intervals i on i.ticket_id = t.id
      group by t.id
    )
    select t.id, t.source, t.key, t.url, t.title, t.queue, t.category, t.serving_team, rt.slug as requesting_team,
      t.status, t.status_category, t.created_at, t.first_response_at, t.work_started_at, t.resolved_at,
      ${groupKey(scope.groupBy)} as group_key,
      t.created_in_period, t.started_in_period, t.responded_in_period, t.resolved_in_period, t.still_waiting,
      case when t.work_started_at is not null then coalesce(d.wait_before_start_hours, 0) end as wait_before_start_hours,
      coalesce(d.total_wait_hours, 0)::double precision as total_wait_hours,
      coalesce(d.in_progress_hours, 0)::double precision as in_progress_hours,
      case when coalesce(d.in_progress_hours, 0) + coalesce(d.total_wait_hours, 0) > 0
        then d.in_progress_hours / (d.in_progress_hours + d.total_wait_hours) end as flow_efficiency,
      case when t.first_response_at is not null then ${hoursBetween(sql`t.created_at`, sql`t.first_response_at`)} end
        as time_to_first_response_hours,
      case when t.resolved_at is not null then ${hoursBetween(sql`t.created_at`, sql`t.resolved_at`)} end
        as time_to_resolution_hours,
      case when t.still_waiting then ${hoursBetween(sql`t.created_at`, sql`${asOf}::timestamptz`)} end as age_hours
    from relevant t
    left join durations d on d.id = t.id
    left join teams rt on rt.id = t.requesting_team_id`;
}

export interface TicketSample {
  id: number;
  source: string;
  key: string;
  url: string | null;
  title: string | null;
  queue: string;
  category: string;
  servingTeam: string | null;
  requestingTeam: string | null;
  status: string;
  statusCategory: string;
  createdAt: Date;
  firstResponseAt: Date | null;
  workStartedAt: Date | null;
  resolvedAt: Date | null;
  groupKey: string | null;
  createdInPeriod: boolean;
  startedInPeriod: boolean;
  respondedInPeriod: boolean;
  resolvedInPeriod: boolean;
  stillWaiting: boolean;
  waitBeforeStartHours: number | null;
  totalWaitHours: number;
  inProgressHours: number;
  flowEfficiency: number | null;
  timeToFirstResponseHours: number | null;
  timeToResolutionHours: number | null;
  ageHours: number | null;
}

export interface TicketWaitRow {
  /** Null for the row over every ticket (`overall`), and for the group of tickets with no key. */
  groupKey: string | null;
  overall: boolean;
  created: number;
  started: number;
  resolved: number;
  waitBeforeStartMedianHours: number | null;
  waitBeforeStartP90Hours: number | null;
  totalWaitMedianHours: number | null;
  totalWaitP90Hours: number | null;
  totalWaitSumHours: number | null;
  flowEfficiencySampleSize: number;
  flowEfficiencyMedian: number | null;
  flowEfficiencyPooled: number | null;
  responded: number;
  timeToFirstResponseMedianHours: number | null;
  timeToFirstResponseP90Hours: number | null;
  timeToResolutionMedianHours: number | null;
  timeToResolutionP90Hours: number | null;
  stillWaiting: number;
  stillWaitingMedianAgeHours: number | null;
  stillWaitingOldestAgeHours: number | null;
}

const median = (column: string, filter: string) =>
  sql.raw(`percentile_cont(0.5) within group (order by s.${column}) filter (where s.${filter})`);
const p90 = (column: string, filter: string) =>
  sql.raw(`percentile_cont(0.9) within group (order by s.${column}) filter (where s.${filter})`);

/** The figures for every group and for all tickets together (`overall`), from the same sample rows. */
export async function ticketWaitTimes(db: Kysely<Database>, scope: TicketScope): Promise<TicketWaitRow[]> {
  const efficient = 'resolved_in_period and s.flow_efficiency is not null';
  const result = await sql<TicketWaitRow>`
    select s.group_key, grouping(s.group_key) = 1 as overall,
      (count(*) filter (where s.created_in_period))::integer as created,
      (count(*) filter (where s.started_in_period))::integer as started,
      (count(*) filter (where s.resolved_in_period))::integer as resolved,
      ${median('wait_before_start_hours', 'started_in_period')} as wait_before_start_median_hours,
      ${p90('wait_before_start_hours', 'started_in_period')} as wait_before_start_p90_hours,
      ${median('total_wait_hours', 'resolved_in_period')} as total_wait_median_hours,
      ${p90('total_wait_hours', 'resolved_in_period')} as total_wait_p90_hours,
      sum(s.total_wait_hours) filter (where s.resolved_in_period) as total_wait_sum_hours,
      (count(*) filter (where s.${sql.raw(efficient)}))::integer as flow_efficiency_sample_size,
      ${median('flow_efficiency', efficient)} as flow_efficiency_median,
      sum(s.in_progress_hours) filter (where s.${sql.raw(efficient)})
        / nullif(sum(s.in_progress_hours + s.total_wait_hours) filter (where s.${sql.raw(efficient)}), 0)
        as flow_efficiency_pooled,
      (count(*) filter (where s.responded_in_period))::integer as responded,
      ${median('time_to_first_response_hours', 'responded_in_period')} as time_to_first_response_median_hours,
      ${p90('time_to_first_response_hours', 'responded_in_period')} as time_to_first_response_p90_hours,
      ${median('time_to_resolution_hours', 'resolved_in_period')} as time_to_resolution_median_hours,
      ${p90('time_to_resolution_hours', 'resolved_in_period')} as time_to_resolution_p90_hours,
      (count(*) filter (where s.still_waiting))::integer as still_waiting,
      ${median('age_hours', 'still_waiting')} as still_waiting_median_age_hours,
      max(s.age_hours) filter (where s.still_waiting) as still_waiting_oldest_age_hours
    from (${ticketSamples(scope)}) s
    group by grouping sets ((s.group_key), ())
    order by 2 desc, 1 nulls last`.execute(db);
  return result.rows;
}

export interface TicketWeekRow {
  groupKey: string | null;
  week: Date;
  started: number;
  waitBeforeStartMedianHours: number | null;
  resolved: number;
  totalWaitMedianHours: number | null;
}

/**
 * Week by week (Monday 00:00 UTC): median wait before start of the tickets whose work started that week, and
 * median total wait of those resolved that week, per group.
 */
export async function ticketWaitSeries(db: Kysely<Database>, scope: TicketScope): Promise<TicketWeekRow[]> {
  const result = await sql<TicketWeekRow>`
    with s as (${ticketSamples(scope)}),
    events as (
      select group_key, ${weekStart(sql`work_started_at`)} as week, wait_before_start_hours, null::double precision as total_wait_hours
      from s where started_in_period
      union all
      select group_key, ${weekStart(sql`resolved_at`)}, null, total_wait_hours from s where resolved_in_period
    )
    select group_key, week,
      count(wait_before_start_hours)::integer as started,
      percentile_cont(0.5) within group (order by wait_before_start_hours) as wait_before_start_median_hours,
      count(total_wait_hours)::integer as resolved,
      percentile_cont(0.5) within group (order by total_wait_hours) as total_wait_median_hours
    from events group by group_key, week order by group_key nulls last, week`.execute(db);
  return result.rows;
}

/** Which tickets are behind a figure, and the value each one contributes, for the drill-down. */
export const DRILL_MEASURES: Record<DrillMeasure, { filter: string; value: string }> = {
  waitBeforeStart: { filter: 'started_in_period', value: 'wait_before_start_hours' },
  totalWait: { filter: 'resolved_in_period', value: 'total_wait_hours' },
  flowEfficiency: { filter: 'resolved_in_period and flow_efficiency is not null', value: 'flow_efficiency' },
  timeToFirstResponse: { filter: 'responded_in_period', value: 'time_to_first_response_hours' },
  timeToResolution: { filter: 'resolved_in_period', value: 'time_to_resolution_hours' },
  stillWaiting: { filter: 'still_waiting', value: 'age_hours' },
};

/**
 * The tickets behind one group's figure (`group` undefined: every group; null: the tickets with no key),
 * largest value first. Flow efficiency lists the least efficient first.
 */
export async function ticketDrillDown(
  db: Kysely<Database>,
  scope: TicketScope,
  measure: DrillMeasure,
  group: string | null | undefined,
  page: { limit: number; offset: number },
): Promise<{ total: number; samples: TicketSample[] }> {
  const { filter, value } = DRILL_MEASURES[measure];
  const inGroup =
    group === undefined
      ? sql``
      : group === null
        ? sql`and s.group_key is null`
        : sql`and s.group_key = ${group}`;
  const direction = measure === 'flowEfficiency' ? sql.raw('asc') : sql.raw('desc');
  const result = await sql<TicketSample & { total: number }>`
    select s.*, (count(*) over ())::integer as total
    from (${ticketSamples(scope)}) s
    where s.${sql.raw(filter)} ${inGroup}
    order by s.${sql.raw(value)} ${direction} nulls last, s.created_at, s.key
    limit ${page.limit} offset ${page.offset}`.execute(db);
  const total = result.rows[0]?.total ?? (page.offset > 0 ? await countOnly() : 0);
  return { total, samples: result.rows.map(({ total: _total, ...sample }) => sample) };

  async function countOnly(): Promise<number> {
    const counted = await sql<{ total: number }>`
      select count(*)::integer as total from (${ticketSamples(scope)}) s where s.${sql.raw(filter)} ${inGroup}`.execute(
      db,
    );
    return counted.rows[0]?.total ?? 0;
  }
}
