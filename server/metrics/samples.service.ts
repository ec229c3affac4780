import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { findTeam, metricsOptions } from './metrics.service.ts';
import type { MetricsContext } from './metrics.service.ts';
import { ciAttemptSamples, ciTimeToGreenSamples } from './ci.metric.ts';
import { leadTimeSamples } from './lead-time.metric.ts';
import { resolvePeriod } from './period.ts';
import type { PeriodQuery } from './period.ts';
import { productionDeploymentSamples } from './production-deployments.samples.ts';
import { mergedPullRequestSamples } from './pull-request-hygiene.metric.ts';
import { incidentSamples } from './recovery-time.metric.ts';
import type { MetricScope } from './scope.ts';
import { withSourceLinks } from './source-links.ts';

/** Each figure's drill-down: the very sample query its aggregate is computed from. */
const SAMPLE_QUERIES: Record<string, (scope: MetricScope) => RawBuilder<unknown>> = {
  deploymentFrequency: productionDeploymentSamples,
  changeFailureRate: productionDeploymentSamples,
  reworkRate: productionDeploymentSamples,
  leadTime: leadTimeSamples,
  recoveryTime: incidentSamples,
  pullRequests: mergedPullRequestSamples,
  ci: ciAttemptSamples,
  ciTimeToGreen: ciTimeToGreenSamples,
};

export const SAMPLE_METRICS = Object.keys(SAMPLE_QUERIES);

/**
 * Sorting by any field of the rows: read through jsonb with the field name as a parameter, so a name is
 * never spliced into SQL and an unknown one sorts as missing. Numbers compare as numbers and timestamps
 * as ISO text (one offset, so in time order). Missing values go last either way; ties in time order.
 */
function orderBy(field: string | undefined, order: 'asc' | 'desc' | undefined): RawBuilder<unknown> {
  if (field === undefined) return sql`s.at, 1`;
  const direction = order === 'desc' ? sql`desc` : sql`asc`;
  // The organisation's rows name their team by slug, added after the query: sort by that slug.
  if (field === 'team') {
    return sql`(select t.slug from teams t where t.id = s.team_id) ${direction} nulls last, s.at, 1`;
  }
  const column = field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return sql`to_jsonb(s) -> ${column} ${direction} nulls last, s.at, 1`;
}

export interface SamplesPage {
  /** The team's slug; null for the organisation (whose rows each name their team). */
  team: string | null;
  metric: string;
  from: string;
  to: string;
  total: number;
  samples: Record<string, unknown>[];
}

/**
 * The rows behind one of a team's figures (or, with no team, the organisation's, each row naming its team),
 * oldest first, paged, with links to each row's pull request, commit or deployment at its source.
 */
export async function metricSamples(
  ctx: MetricsContext,
  slug: string | null,
  metric: string,
  query: PeriodQuery & {
    limit?: number | undefined;
    offset?: number | undefined;
    /** A row field (camelCase, as returned); unknown fields sort as missing. */
    sort?: string | undefined;
    order?: 'asc' | 'desc' | undefined;
  },
): Promise<SamplesPage> {
  const team = slug === null ? null : await findTeam(ctx.db, slug);
  const period = resolvePeriod(query, ctx.now());
  const sampleQuery = SAMPLE_QUERIES[metric];
  if (!sampleQuery) throw new Error(`no samples for ${metric}`); // the route schema only lets known metrics through
  const scope = {
    period,
    now: ctx.now(),
    productionEnvironments: metricsOptions(ctx, undefined).productionEnvironments,
    teamId: team?.id,
    excludeDemo: ctx.excludeDemo ?? false,
  };
  const limit = query.limit ?? 500;
  const offset = query.offset ?? 0;
  const [rows, total] = await Promise.all([
    sql<
      Record<string, unknown>
    >`select * from (${sampleQuery(scope)}) s order by ${orderBy(query.sort, query.order)} limit ${limit} offset ${offset}`.execute(
      ctx.db,
    ),
    sql<{ total: number }>`select count(*)::integer as total from (${sampleQuery(scope)}) s`.execute(ctx.db),
  ]);
  const slugs =
    team === null
      ? new Map(
          (await ctx.db.selectFrom('teams').select(['id', 'slug']).execute()).map((t) => [t.id, t.slug]),
        )
      : null;
  const samples = rows.rows.map(({ teamId, at: _at, ...row }) =>
    slugs ? { team: slugs.get(Number(teamId)) ?? null, ...row } : row,
  );
  return {
    team: team?.slug ?? null,
    metric,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    total: total.rows[0]?.total ?? 0,
    samples: await withSourceLinks(ctx.db, ctx.githubWebUrl ?? null, samples),
  };
}
