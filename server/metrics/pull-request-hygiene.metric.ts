import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/tables.ts';
import { aggregate, hoursBetween, inPeriod, notDemoRepository, teamFilter } from './scope.ts';
import type { Grouped, MetricScope } from './scope.ts';

/**
 * Delivery hygiene from pull requests merged in the period (bots left out): size in changed lines
 * (additions + deletions; small batches are DORA's first lever) and review pickup (opened → first review by
 * someone other than the author).
 */
export function mergedPullRequestSamples(scope: MetricScope): RawBuilder<unknown> {
  return sql`
    select p.id as pull_request_id, p.team_id, p.merged_at as at, r.full_name as repository, p.number, p.title,
      p.created_at, p.first_review_at, p.merged_at, p.additions, p.deletions,
      (p.additions + p.deletions) as size_lines,
      ${hoursBetween(sql`p.created_at`, sql`p.first_review_at`)} as pickup_hours
    from pull_requests p join repositories r on r.id = p.repository_id
    where p.merged_at is not null and not p.author_is_bot
      and ${inPeriod('p.merged_at', scope)} ${teamFilter('p.team_id', scope)} ${notDemoRepository('r', scope)}`;
}

export interface PullRequestHygieneRow extends Grouped {
  merged: number;
  sizeSampleSize: number;
  medianSizeLines: number | null;
  pickupSampleSize: number;
  medianPickupHours: number | null;
  p90PickupHours: number | null;
}

export async function pullRequestHygiene(
  db: Kysely<Database>,
  scope: MetricScope,
): Promise<PullRequestHygieneRow[]> {
  const measures = sql`
    count(*)::integer as merged,
    count(s.size_lines)::integer as size_sample_size,
    percentile_cont(0.5) within group (order by s.size_lines) as median_size_lines,
    (count(s.pickup_hours) filter (where s.pickup_hours >= 0))::integer as pickup_sample_size,
    percentile_cont(0.5) within group (order by s.pickup_hours) filter (where s.pickup_hours >= 0) as median_pickup_hours,
    percentile_cont(0.9) within group (order by s.pickup_hours) filter (where s.pickup_hours >= 0) as p90_pickup_hours`;
  const result = await aggregate<Omit<PullRequestHygieneRow, keyof Grouped>>(
    mergedPullRequestSamples(scope),
    scope,
    measures,
  ).execute(db);
  return result.rows;
}
