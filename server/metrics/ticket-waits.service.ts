import type { Kysely } from 'kysely';
import type { TicketsConfig } from '../config/config.ts';
import type { Database } from '../db/tables.ts';
import { weeksOf } from './trend-window.ts';
import { resolvePeriod } from './period.ts';
import type { Period, PeriodQuery } from './period.ts';
import { ticketDrillDown, ticketWaitSeries, ticketWaitTimes } from './ticket-waits.metric.ts';
import type {
  DrillMeasure,
  TicketGroupBy,
  TicketSample,
  TicketScope,
  TicketWaitRow,
} from './ticket-waits.metric.ts';

export interface TicketWaitsContext {
  db: Kysely<Database>;
  tickets: TicketsConfig;
  now: () => Date;
  /** Leave out tickets `groundwork demo` wrote: true once an own configuration is loaded. */
  excludeDemo?: boolean;
}

export interface DurationFigure {
  sampleSize: number;
  medianHours: number | null;
  p90Hours: number | null;
  reason?: string;
}

export interface TicketWaitFigures {
  counts: { created: number; started: number; resolved: number };
  waitBeforeStart: DurationFigure;
  totalWait: DurationFigure & { totalHours: number | null };
  flowEfficiency: { sampleSize: number; median: number | null; pooled: number | null; reason?: string };
  timeToFirstResponse: DurationFigure;
  timeToResolution: DurationFigure;
  stillWaiting: { count: number; medianAgeHours: number | null; oldestAgeHours: number | null };
}

export interface TicketWaitGroup extends TicketWaitFigures {
  /** The category, serving team or requesting team slug; null for tickets with none. */
  key: string | null;
  label: string;
}

export interface TicketWaitTimesReport {
  period: string;
  from: string;
  to: string;
  asOf: string;
  groupBy: TicketGroupBy;
  overall: TicketWaitFigures;
  /** Slowest first: by median wait before start, then median total wait. */
  groups: TicketWaitGroup[];
}

/** `group=(none)` in a drill-down names the tickets with no category, serving or requesting team. */
export const NO_GROUP = '(none)';

function scopeOf(ctx: TicketWaitsContext, period: Period, groupBy: TicketGroupBy | null): TicketScope {
  const now = ctx.now();
  return {
    period,
    asOf: now < period.to ? now : period.to,
    waiting: { categories: ctx.tickets.waitingStatusCategories, names: ctx.tickets.waitingStatuses },
    groupBy,
    excludeDemo: ctx.excludeDemo ?? false,
  };
}

const duration = (
  sampleSize: number,
  medianHours: number | null,
  p90Hours: number | null,
  none: string,
): DurationFigure =>
  sampleSize > 0
    ? { sampleSize, medianHours, p90Hours }
    : { sampleSize, medianHours: null, p90Hours: null, reason: none };

function figures(row: TicketWaitRow): TicketWaitFigures {
  const totalWait = duration(
    row.resolved,
    row.totalWaitMedianHours,
    row.totalWaitP90Hours,
    'no ticket resolved in the period',
  );
  return {
    counts: { created: row.created, started: row.started, resolved: row.resolved },
    waitBeforeStart: duration(
      row.started,
      row.waitBeforeStartMedianHours,
      row.waitBeforeStartP90Hours,
      'no ticket started in the period',
    ),
    totalWait: { ...totalWait, totalHours: row.resolved > 0 ? row.totalWaitSumHours : null },
    flowEfficiency:
      row.flowEfficiencySampleSize > 0
        ? {
            sampleSize: row.flowEfficiencySampleSize,
            median: row.flowEfficiencyMedian,
            pooled: row.flowEfficiencyPooled,
          }
        : {
            sampleSize: 0,
            median: null,
            pooled: null,
            reason: 'no resolved ticket with waiting or working time',
          },
    timeToFirstResponse: duration(
      row.responded,
      row.timeToFirstResponseMedianHours,
      row.timeToFirstResponseP90Hours,
      'no first response in the period',
    ),
    timeToResolution: duration(
      row.resolved,
      row.timeToResolutionMedianHours,
      row.timeToResolutionP90Hours,
      'no ticket resolved in the period',
    ),
    stillWaiting: {
      count: row.stillWaiting,
      medianAgeHours: row.stillWaitingMedianAgeHours,
      oldestAgeHours: row.stillWaitingOldestAgeHours,
    },
  };
}

const EMPTY_ROW: TicketWaitRow = {
  groupKey: null,
  overall: true,
  created: 0,
  started: 0,
  resolved: 0,
  waitBeforeStartMedianHours: null,
  waitBeforeStartP90Hours: null,
  totalWaitMedianHours: null,
  totalWaitP90Hours: null,
  totalWaitSumHours: null,
  flowEfficiencySampleSize: 0,
  flowEfficiencyMedian: null,
  flowEfficiencyPooled: null,
  responded: 0,
  timeToFirstResponseMedianHours: null,
  timeToFirstResponseP90Hours: null,
  timeToResolutionMedianHours: null,
  timeToResolutionP90Hours: null,
  stillWaiting: 0,
  stillWaitingMedianAgeHours: null,
  stillWaitingOldestAgeHours: null,
};

/** Display names: a requesting team's name, a serving team's name when it is a configured team. */
async function groupLabels(db: Kysely<Database>, groupBy: TicketGroupBy) {
  const teams = groupBy === 'category' ? [] : await db.selectFrom('teams').select(['slug', 'name']).execute();
  const names = new Map(teams.map((team) => [team.slug, team.name]));
  return (key: string | null): string => {
    if (key === null) {
      return groupBy === 'category'
        ? 'uncategorised'
        : groupBy === 'servingTeam'
          ? 'no serving team configured for the queue'
          : 'requester not in any team';
    }
    return names.get(key) ?? key;
  };
}

const slowerFirst = (a: number | null, b: number | null) =>
  a === null ? (b === null ? 0 : 1) : b === null ? -1 : b - a;

/** Wait times for a period, overall and per category, serving team or requesting team. */
export async function ticketWaitTimesReport(
  ctx: TicketWaitsContext,
  query: PeriodQuery & { groupBy?: TicketGroupBy | undefined },
): Promise<TicketWaitTimesReport> {
  const period = resolvePeriod(query, ctx.now());
  const groupBy = query.groupBy ?? 'category';
  const scope = scopeOf(ctx, period, groupBy);
  const rows = await ticketWaitTimes(ctx.db, scope);
  const label = await groupLabels(ctx.db, groupBy);
  const overall = rows.find((row) => row.overall) ?? EMPTY_ROW;
  const groups = rows
    .filter((row) => !row.overall)
    .map((row) => ({ key: row.groupKey, label: label(row.groupKey), ...figures(row) }))
    .sort(
      (a, b) =>
        slowerFirst(a.waitBeforeStart.medianHours, b.waitBeforeStart.medianHours) ||
        slowerFirst(a.totalWait.medianHours, b.totalWait.medianHours) ||
        (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff'),
    );
  return {
    period: period.label,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    asOf: scope.asOf.toISOString(),
    groupBy,
    overall: figures(overall),
    groups,
  };
}

export interface TicketWaitSeries {
  period: string;
  from: string;
  to: string;
  groupBy: TicketGroupBy;
  interval: 'week';
  series: {
    key: string | null;
    label: string;
    points: {
      week: string;
      from: string;
      to: string;
      /** The week is clipped by the period: its counts cover fewer than 7 days. */
      partial: boolean;
      started: number;
      waitBeforeStartMedianHours: number | null;
      resolved: number;
      totalWaitMedianHours: number | null;
    }[];
  }[];
}

/** Weekly medians per group for charts; every week of the period is present (a quiet week has 0 and null). */
export async function ticketWaitSeriesReport(
  ctx: TicketWaitsContext,
  query: PeriodQuery & { groupBy?: TicketGroupBy | undefined },
): Promise<TicketWaitSeries> {
  const period = resolvePeriod(query, ctx.now());
  const groupBy = query.groupBy ?? 'category';
  const rows = await ticketWaitSeries(ctx.db, scopeOf(ctx, period, groupBy));
  const label = await groupLabels(ctx.db, groupBy);
  const weeks = weeksOf(period);
  const keys = [...new Set(rows.map((row) => row.groupKey))];
  return {
    period: period.label,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    groupBy,
    interval: 'week',
    series: keys.map((key) => ({
      key,
      label: label(key),
      points: weeks.map((week) => {
        const row = rows.find(
          (candidate) =>
            candidate.groupKey === key && candidate.week.toISOString().slice(0, 10) === week.label,
        );
        return {
          week: week.label,
          from: week.from.toISOString(),
          to: week.to.toISOString(),
          partial: week.partial,
          started: row?.started ?? 0,
          waitBeforeStartMedianHours: row?.waitBeforeStartMedianHours ?? null,
          resolved: row?.resolved ?? 0,
          totalWaitMedianHours: row?.totalWaitMedianHours ?? null,
        };
      }),
    })),
  };
}

export interface TicketDrillDownReport {
  period: string;
  from: string;
  to: string;
  groupBy: TicketGroupBy;
  group: string | null;
  measure: DrillMeasure;
  total: number;
  tickets: ReturnType<typeof publicTicket>[];
}

/** What a drill-down shows of a ticket: its facts and figures, never who filed or worked it. */
function publicTicket(sample: TicketSample) {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    source: sample.source,
    key: sample.key,
    url: sample.url,
    title: sample.title,
    queue: sample.queue,
    category: sample.category,
    servingTeam: sample.servingTeam,
    requestingTeam: sample.requestingTeam,
    status: sample.status,
    statusCategory: sample.statusCategory,
    createdAt: sample.createdAt.toISOString(),
    firstResponseAt: iso(sample.firstResponseAt),
    workStartedAt: iso(sample.workStartedAt),
    resolvedAt: iso(sample.resolvedAt),
    waitBeforeStartHours: sample.waitBeforeStartHours,
    totalWaitHours: sample.totalWaitHours,
    inProgressHours: sample.inProgressHours,
    flowEfficiency: sample.flowEfficiency,
    timeToFirstResponseHours: sample.timeToFirstResponseHours,
    timeToResolutionHours: sample.timeToResolutionHours,
    ageHours: sample.ageHours,
  };
}

/** The tickets behind one figure of one group (`group` absent: every ticket; `(none)`: those with no key). */
export async function ticketDrillDownReport(
  ctx: TicketWaitsContext,
  query: PeriodQuery & {
    groupBy?: TicketGroupBy | undefined;
    group?: string | undefined;
    measure: DrillMeasure;
    limit?: number | undefined;
    offset?: number | undefined;
  },
): Promise<TicketDrillDownReport> {
  const period = resolvePeriod(query, ctx.now());
  const groupBy = query.groupBy ?? 'category';
  const group = query.group === undefined ? undefined : query.group === NO_GROUP ? null : query.group;
  const page = await ticketDrillDown(ctx.db, scopeOf(ctx, period, groupBy), query.measure, group, {
    limit: query.limit ?? 100,
    offset: query.offset ?? 0,
  });
  return {
    period: period.label,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    groupBy,
    group: group ?? null,
    measure: query.measure,
    total: page.total,
    tickets: page.samples.map(publicTicket),
  };
}
