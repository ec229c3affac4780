import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import { productionDeploymentSamples } from './production-deployments.samples.ts';
import { aggregate, weekStart } from './scope.ts';
import type { Grouped, MetricScope } from './scope.ts';

export interface DeploymentCountsRow extends Grouped {
  count: number;
  /** ISO weeks wholly inside the period with at least one deployment. */
  activeWholeWeeks: number;
  withCommits: number;
  failed: number;
  failedInferredOnly: number;
  rework: number;
}

/**
 * Deployment frequency (DORA): successful production deployments finishing in the period. `perDay` =
 * count ÷ days, `perWeek` = count ÷ days × 7, `activeWeeksShare` = share of the ISO weeks wholly inside
 * the period with at least one. Counts deployments, not deploy-days (DevLake and Four Keys count days).
 * The same rows also give change failure rate and rework rate (see those modules), so they are counted
 * in one pass.
 */
export async function productionDeploymentCounts(
  db: Kysely<Database>,
  scope: MetricScope,
): Promise<DeploymentCountsRow[]> {
  const week = weekStart(sql`s.at`);
  const measures = sql`
    count(*)::integer as count,
    (count(distinct ${week}) filter (
      where ${week} >= ${scope.period.from} and ${week} + interval '7 days' <= ${scope.period.to}))::integer
      as active_whole_weeks,
    (count(*) filter (where s.has_commits))::integer as with_commits,
    (count(*) filter (where s.caused_incident))::integer as failed,
    (count(*) filter (where s.only_inferred_links))::integer as failed_inferred_only,
    (count(*) filter (where s.kind in ('hotfix', 'rollback')))::integer as rework`;
  const result = await aggregate<Omit<DeploymentCountsRow, keyof Grouped>>(
    productionDeploymentSamples(scope),
    scope,
    measures,
  ).execute(db);
  return result.rows;
}

/** The number of ISO weeks (Monday 00:00 UTC) lying wholly inside [from, to). */
export function wholeWeeksIn(from: Date, to: Date): number {
  const day = 86_400_000;
  const firstMonday = new Date(Math.ceil((from.getTime() - 4 * day) / (7 * day)) * 7 * day + 4 * day);
  const weeks = Math.floor((to.getTime() - firstMonday.getTime()) / (7 * day));
  return Math.max(0, weeks);
}
