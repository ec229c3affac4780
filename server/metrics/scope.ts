import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Period } from './period.ts';

/**
 * What a metric is computed over: a period, the production environments, and either one team, every
 * team side by side (`byTeam`), or the whole organisation pooled (neither). The organisation includes
 * events no team owns yet.
 */
export interface MetricScope {
  period: Period;
  /** The server's clock (clock.ts): lead time leaves out times more than a day after it as implausible. */
  now: Date;
  productionEnvironments: readonly string[];
  teamId?: number | undefined;
  byTeam?: boolean | undefined;
  /** With `byTeam`: the organisation pooled as well (team null), from the same scan of the samples. */
  withOrganization?: boolean | undefined;
  /** Bucket results by ISO week (Monday 00:00 UTC) of their attribution time, for trend series. */
  bucket?: 'week' | undefined;
  /** Leave out rows `groundwork demo` wrote (an own configuration is loaded). */
  excludeDemo?: boolean | undefined;
}

/** Production deployments (`alias` is a deployments row), without demo rows when the scope says so. */
export function productionOnly(alias: string, scope: MetricScope): RawBuilder<unknown> {
  return sql`${sql.ref(`${alias}.environment`)} = any(${[...scope.productionEnvironments]}::text[]) ${notDemo(alias, scope)}`;
}

/** `and <alias>.source <> 'demo'` when the scope leaves demo rows out (deployments, incidents, tickets). */
export function notDemo(alias: string, scope: { excludeDemo?: boolean | undefined }): RawBuilder<unknown> {
  return scope.excludeDemo ? sql`and ${sql.ref(`${alias}.source`)} <> 'demo'` : sql``;
}

/** `and not <alias>.demo` for a repositories row (pull requests and commits carry no source). */
export function notDemoRepository(alias: string, scope: MetricScope): RawBuilder<unknown> {
  return scope.excludeDemo ? sql`and not ${sql.ref(`${alias}.demo`)}` : sql``;
}

export function inPeriod(column: string, scope: MetricScope): RawBuilder<unknown> {
  return sql`${sql.ref(column)} >= ${scope.period.from} and ${sql.ref(column)} < ${scope.period.to}`;
}

export function teamFilter(column: string, scope: MetricScope): RawBuilder<unknown> {
  return scope.teamId !== undefined ? sql`and ${sql.ref(column)} = ${scope.teamId}` : sql``;
}

/** Monday 00:00 UTC of the ISO week `at` falls in, whatever the server's TimeZone setting. */
export function weekStart(at: RawBuilder<unknown>): RawBuilder<Date> {
  return sql<Date>`(date_trunc('week', ${at} at time zone 'UTC') at time zone 'UTC')`;
}

export interface Grouped {
  teamId: number | null;
  bucket: Date | null;
}

/**
 * Aggregates a metric's sample rows (each with `team_id` and its attribution time `at`) by team and/or
 * week as the scope asks. Every figure is computed from the same rows the drill-down shows.
 */
export function aggregate<T>(
  samples: RawBuilder<unknown>,
  scope: MetricScope,
  measures: RawBuilder<unknown>,
): RawBuilder<T & Grouped> {
  const bucket = scope.bucket === 'week' ? weekStart(sql`s.at`) : sql`null::timestamptz`;
  if (scope.byTeam && scope.withOrganization) {
    // Every team and the organisation pooled (which includes events no team owns) in one pass: the
    // sample rows, the costly part, are produced once rather than once per grouping.
    return sql<T & Grouped>`
      select case when grouping(s.team_id) = 0 then s.team_id end as team_id, s.bucket, ${measures}
      from (select s.*, ${bucket} as bucket from (${samples}) s) s
      group by grouping sets ((s.team_id, s.bucket), (s.bucket))
      having grouping(s.team_id) = 1 or s.team_id is not null
      order by 1, 2`;
  }
  const team = scope.byTeam ? sql`s.team_id` : sql`null::integer`;
  const where = scope.byTeam ? sql`where s.team_id is not null` : sql``;
  return sql<T & Grouped>`
    select ${team} as team_id, ${bucket} as bucket, ${measures}
    from (${samples}) s ${where}
    group by 1, 2
    order by 1, 2`;
}

/** Hours between two timestamptz expressions, as a double. */
export function hoursBetween(from: RawBuilder<unknown>, to: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(extract(epoch from (${to} - ${from})) / 3600.0)::double precision`;
}
