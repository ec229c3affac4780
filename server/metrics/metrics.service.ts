import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import type { OrganizationConfig } from '../config/config.ts';
import { AppError } from '../errors.ts';
import { computeDeliveryMetrics, metricsKey } from './delivery-metrics.ts';
import type { DeliveryMetrics, MetricsOptions } from './delivery-metrics.ts';
import { isRolling, resolvePeriod } from './period.ts';
import type { Period, PeriodQuery } from './period.ts';
import { tierBands } from './tiers.ts';
import type { Benchmark } from './tiers.ts';
import { seriesWindow, teamDataStart, weeksOf } from './trend-window.ts';
import { periodChanges, previousPeriod } from './period-change.ts';
import type { Changes } from './period-change.ts';
import { shared } from '../cache/shared-figures.ts';
import { storedFigures } from '../cache/closed-periods.ts';
import { refreshedLeadTimeFacts } from './lead-time-facts.ts';
import type { SharedFigures } from '../cache/shared-figures.ts';

export interface MetricsContext {
  /** Where the figures are read: the server gives the read replica when one is configured. */
  db: Kysely<Database>;
  /** Where the figures' own stored caches are written (the primary); `db` when absent. */
  primary?: Kysely<Database> | undefined;
  org: OrganizationConfig;
  benchmarks: ReadonlyMap<string, Benchmark>;
  now: () => Date;
  /** Shares organisation-wide figures between requests until data changes; absent, each call computes. */
  figures?: SharedFigures | undefined;
  /** Leave out rows `groundwork demo` wrote: true once an own configuration is loaded. */
  excludeDemo?: boolean;
  /** GitHub's web address (from GITHUB_API_URL), for drill-down rows' pull request and commit links. */
  githubWebUrl?: string | null;
}

export interface TeamRef {
  id: number;
  slug: string;
  name: string;
}

export interface BenchmarkRef {
  id: string;
  title: string;
  citation: string;
}

export async function findTeam(db: Kysely<Database>, slug: string): Promise<TeamRef> {
  const team = await db
    .selectFrom('teams')
    .select(['id', 'slug', 'name'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!team) throw new AppError(404, 'TEAM_NOT_FOUND', `no team "${slug}"`, 'team');
  return team;
}

export async function activeTeams(db: Kysely<Database>): Promise<TeamRef[]> {
  return db
    .selectFrom('teams')
    .select(['id', 'slug', 'name'])
    .where('retiredAt', 'is', null)
    .orderBy('slug')
    .execute();
}

export function metricsOptions(
  ctx: MetricsContext,
  benchmarkId: string | undefined,
): MetricsOptions & { ref: BenchmarkRef; excludeDemo: boolean } {
  const id = benchmarkId ?? ctx.org.metrics.benchmark;
  const benchmark = ctx.benchmarks.get(id);
  if (!benchmark) {
    throw new AppError(
      400,
      'UNKNOWN_BENCHMARK',
      `no benchmark "${id}"; known: ${[...ctx.benchmarks.keys()].join(', ')}`,
      'benchmark',
    );
  }
  return {
    productionEnvironments: ctx.org.productionEnvironments,
    benchmark,
    minSampleForTier: ctx.org.metrics.minSampleForTier,
    excludeDemo: ctx.excludeDemo ?? false,
    ref: { id: benchmark.id, title: benchmark.title, citation: benchmark.citation },
  };
}

export type TeamMetrics = {
  team: string;
  period: string;
  benchmark: BenchmarkRef;
  /** With `compare=previous`: each headline figure against the period of the same length just before. */
  change?: Changes;
} & DeliveryMetrics;

type MetricsQuery = PeriodQuery & { benchmark?: string | undefined; compare?: 'previous' | undefined };

/** One team's delivery metrics for a period (with `compare=previous`, and their change). */
export async function teamMetrics(
  ctx: MetricsContext,
  slug: string,
  query: MetricsQuery,
): Promise<TeamMetrics> {
  const team = await findTeam(ctx.db, slug);
  const period = resolvePeriod(query, ctx.now());
  const options = metricsOptions(ctx, query.benchmark);
  const compute = async (over: Period) =>
    (
      await sharedForPeriod(ctx, ['team', team.id, options.ref.id], over, () =>
        computeDeliveryMetrics(
          ctx.db,
          {
            period: over,
            now: ctx.now(),
            productionEnvironments: options.productionEnvironments,
            teamId: team.id,
            excludeDemo: options.excludeDemo,
          },
          options,
          [{ teamId: team.id, period: over }],
        ),
      )
    ).get(metricsKey(null, null)) as DeliveryMetrics;
  const current = await compute(period);
  const change =
    query.compare === 'previous'
      ? periodChanges(current, await compute(previousPeriod(period)), options.minSampleForTier)
      : undefined;
  return {
    team: team.slug,
    period: period.label,
    benchmark: options.ref,
    ...current,
    ...(change ? { change } : {}),
  };
}

/**
 * Figures for a period through the shared figures (see SharedFigures): a rolling period (last-30d) by its
 * label, reused for at most ROLLING_PERIOD_REUSE_MS as its window moves; any other by its bounds.
 */
function sharedForPeriod<T>(ctx: MetricsContext, key: unknown[], period: Period, compute: () => Promise<T>) {
  const rolling = isRolling(period);
  const bounds = rolling ? period.label : [period.from.toISOString(), period.to.toISOString()];
  return shared(ctx.figures, [...key, bounds], compute, rolling ? ROLLING_PERIOD_REUSE_MS : undefined);
}

/** The organisation pooled and every active team side by side, for one period. */
export interface OrganizationFigures {
  teams: TeamRef[];
  organization: DeliveryMetrics;
  byTeam: ReadonlyMap<number, DeliveryMetrics>;
}

/**
 * How long a rolling period's figures (last-30d) are reused while data is unchanged: its window moves with
 * the clock, so a result is at most this much behind it.
 */
export const ROLLING_PERIOD_REUSE_MS = 60_000;

/**
 * The organisation's figures and every active team's, from one set-based query per metric (grouped by team
 * with the organisation as a grouping set), computed once per period, benchmark and data version and shared
 * by everything that shows them: the overview's metrics, its previous-period comparison and all teams'
 * scorecards (see SharedFigures).
 */
export async function organizationFigures(
  ctx: MetricsContext,
  period: Period,
  benchmarkId: string | undefined,
): Promise<OrganizationFigures> {
  const options = metricsOptions(ctx, benchmarkId);
  const compute = async (): Promise<OrganizationFigures> => {
    const teams = await activeTeams(ctx.db);
    const scope = {
      period,
      now: ctx.now(),
      productionEnvironments: options.productionEnvironments,
      byTeam: true,
      withOrganization: true,
      excludeDemo: options.excludeDemo,
    };
    const groups = [{ teamId: null, period }, ...teams.map((team) => ({ teamId: team.id, period }))];
    const results = await computeDeliveryMetrics(ctx.db, scope, options, groups);
    return {
      teams,
      organization: results.get(metricsKey(null, null)) as DeliveryMetrics,
      byTeam: new Map(
        teams.map((team) => [team.id, results.get(metricsKey(team.id, null)) as DeliveryMetrics]),
      ),
    };
  };
  // Before the shared figures read the data version: the refresh's write would otherwise move it.
  // On the primary: a read replica replays the refreshed facts (and the stored figures) like any write.
  await refreshedLeadTimeFacts(ctx.primary ?? ctx.db, options);
  const shared = () => sharedForPeriod(ctx, ['organization', options.ref.id], period, compute);
  if (isRolling(period) || period.to > ctx.now()) return shared();
  // A closed period: stored until a late event lands in it (closed-periods.ts).
  return storedFigures(ctx.db, ctx.primary ?? ctx.db, {
    key: ['organization', period.from, period.to, options],
    period,
    compute: shared,
    encode: (figures) => ({ ...figures, byTeam: [...figures.byTeam] }),
    decode: (stored) => {
      const figures = stored as Omit<OrganizationFigures, 'byTeam'> & { byTeam: [number, DeliveryMetrics][] };
      return { ...figures, byTeam: new Map(figures.byTeam) };
    },
  });
}

/**
 * The organisation's metrics from pooled samples (not an average of team medians), including events no
 * team owns yet; with `groupBy=team`, every active team side by side as well; with `compare=previous`,
 * each figure's change against the period of the same length just before.
 */
export async function organizationMetrics(
  ctx: MetricsContext,
  query: MetricsQuery & { groupBy?: 'team' | undefined },
): Promise<{
  organization: { name: string; period: string; benchmark: BenchmarkRef; change?: Changes } & DeliveryMetrics;
  teams?: TeamMetrics[];
}> {
  const period = resolvePeriod(query, ctx.now());
  const { ref, minSampleForTier } = metricsOptions(ctx, query.benchmark);
  const current = await organizationFigures(ctx, period, query.benchmark);
  const previous =
    query.compare === 'previous'
      ? await organizationFigures(ctx, previousPeriod(period), query.benchmark)
      : null;
  const changed = (now: DeliveryMetrics, before: DeliveryMetrics | undefined) =>
    before ? { change: periodChanges(now, before, minSampleForTier) } : {};
  const organization = {
    name: ctx.org.organization,
    period: period.label,
    benchmark: ref,
    ...current.organization,
    ...changed(current.organization, previous?.organization),
  };
  if (query.groupBy !== 'team') return { organization };
  return {
    organization,
    teams: current.teams.map((team) => {
      const figures = current.byTeam.get(team.id) as DeliveryMetrics;
      return {
        team: team.slug,
        period: period.label,
        benchmark: ref,
        ...figures,
        ...changed(figures, previous?.byTeam.get(team.id)),
      };
    }),
  };
}

/** One week of a team's series: its figures computed like the headline ones, over the week. */
export type SeriesPoint = { week: string; partial: boolean } & DeliveryMetrics;

/**
 * A team's metrics week by week: the trend charts' series. Each point is computed like the headline
 * figure; `weeks` asks for that many weeks up to the period's end (see seriesWindow for what is left out
 * and what is partial). Carries the benchmark's tier bands so charts draw them as computed here.
 */
export async function teamSeries(
  ctx: MetricsContext,
  slug: string,
  query: PeriodQuery & { benchmark?: string | undefined; weeks?: number | undefined },
): Promise<{
  team: string;
  period: string;
  interval: 'week';
  from: string;
  to: string;
  /** The day the team's data begins (its first production deployment or CI run); null: it has none. */
  dataFrom: string | null;
  benchmark: BenchmarkRef;
  tiers: ReturnType<typeof tierBands>;
  points: SeriesPoint[];
}> {
  const team = await findTeam(ctx.db, slug);
  const period = resolvePeriod(query, ctx.now());
  const options = metricsOptions(ctx, query.benchmark);
  const key = ['team-series', team.id, options.ref.id, query.weeks ?? null];
  // The weeks are computed inside: a reused rolling period keeps the weeks its figures were computed for.
  // A calendar period still running ends its last week at now, so it is reused no longer than a rolling one.
  const running = !isRolling(period) && period.to > ctx.now();
  const compute = async () => {
    const scope = {
      productionEnvironments: options.productionEnvironments,
      excludeDemo: options.excludeDemo,
    };
    const dataFrom = await teamDataStart(ctx.db, { ...scope, teamId: team.id });
    const window = seriesWindow(period, query.weeks, ctx.now(), dataFrom);
    const weeks = weeksOf(window);
    const bucketOf = (week: Period) => new Date(`${week.label}T00:00:00Z`);
    const results = await computeDeliveryMetrics(
      ctx.db,
      { ...scope, period: window, now: ctx.now(), teamId: team.id, bucket: 'week' },
      options,
      weeks.map((week) => ({ teamId: team.id, period: week, bucket: bucketOf(week) })),
    );
    const points = weeks.map((week) => ({
      week: week.label,
      partial: week.partial,
      ...(results.get(metricsKey(null, bucketOf(week))) as DeliveryMetrics),
    }));
    return { window, dataFrom, points };
  };
  const computed = running
    ? await shared(ctx.figures, [...key, period.label], compute, ROLLING_PERIOD_REUSE_MS)
    : await sharedForPeriod(ctx, key, period, compute);
  return {
    team: team.slug,
    period: period.label,
    interval: 'week',
    from: computed.window.from.toISOString(),
    to: computed.window.to.toISOString(),
    dataFrom: computed.dataFrom?.toISOString() ?? null,
    benchmark: options.ref,
    tiers: tierBands(options.benchmark),
    points: computed.points,
  };
}
