import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/tables.ts';
import { aggregate, hoursBetween, inPeriod, productionOnly, teamFilter } from './scope.ts';
import type { Grouped, MetricScope } from './scope.ts';

/**
 * Lead time for changes (DORA: "the amount of time it takes for a change to go from committed to version
 * control to deployed in production"). One sample per change: a commit, shipped by the *first* successful
 * production deployment that included it (a later redeploy of the same commit does not count again), and
 * attributed to the period and team of that deployment's finish.
 *
 * A change starts at its commit time — except when the shipped commit is a pull request's merge or squash
 * commit, where it starts at that PR's first commit's authored time, so squash and rebase merges do not
 * collapse lead time to deploy wait. `start_kind` says which start was used. PRs by bots (dependabot,
 * renovate) are left out. A start after the deployment (clock skew, a backdated event) is shown in the
 * drill-down but not counted.
 */
export function leadTimeSamples(scope: MetricScope): RawBuilder<unknown> {
  const startedAt = sql`coalesce(pr.first_commit_authored_at, c.committed_at)`;
  return sql`
    select d.team_id, d.finished_at as at, d.id as deployment_id, d.source as deployment_source,
      d.external_id as deployment_external_id, r.full_name as repository, dc.sha,
      c.committed_at, pr.number as pull_request_number,
      case when pr.first_commit_authored_at is not null then 'pull_request_first_commit' else 'commit' end
        as start_kind,
      ${startedAt} as change_started_at, d.finished_at as deployed_at,
      ${hoursBetween(startedAt, sql`d.finished_at`)} as lead_time_hours,
      pr.created_at as pull_request_opened_at, pr.first_review_at, pr.merged_at,
      ${hoursBetween(sql`pr.first_commit_authored_at`, sql`pr.created_at`)} as coding_hours,
      ${hoursBetween(sql`pr.created_at`, sql`pr.first_review_at`)} as pickup_hours,
      ${hoursBetween(sql`pr.first_review_at`, sql`pr.merged_at`)} as review_hours,
      ${hoursBetween(sql`pr.merged_at`, sql`d.finished_at`)} as deploy_wait_hours
    from deployments d
    join deployment_commits dc on dc.deployment_id = d.id
    join commits c on c.repository_id = dc.repository_id and c.sha = dc.sha
    join repositories r on r.id = dc.repository_id
    left join lateral (
      select p.number, p.created_at, p.first_commit_authored_at, p.first_review_at, p.merged_at, p.author_is_bot
      from pull_requests p
      where p.repository_id = dc.repository_id and p.merge_commit_sha = dc.sha and p.merged_at is not null
      order by p.merged_at limit 1
    ) pr on true
    where d.status = 'success' and d.finished_at is not null
      and ${productionOnly('d', scope)} and ${inPeriod('d.finished_at', scope)} ${teamFilter('d.team_id', scope)}
      and pr.author_is_bot is not true
      and not exists (
        select 1 from deployment_commits dc2 join deployments d2 on d2.id = dc2.deployment_id
        where dc2.repository_id = dc.repository_id and dc2.sha = dc.sha
          and d2.status = 'success' and ${productionOnly('d2', scope)} and d2.finished_at is not null
          and (d2.finished_at < d.finished_at or (d2.finished_at = d.finished_at and d2.id < d.id)))`;
}

export interface LeadTimeRow extends Grouped {
  sampleSize: number;
  medianHours: number | null;
  p90Hours: number | null;
  fromPullRequests: number;
  negativeExcluded: number;
  codingMedianHours: number | null;
  codingSampleSize: number;
  pickupMedianHours: number | null;
  pickupSampleSize: number;
  reviewMedianHours: number | null;
  reviewSampleSize: number;
  deployWaitMedianHours: number | null;
  deployWaitSampleSize: number;
}

const median = (column: string) =>
  sql`percentile_cont(0.5) within group (order by ${sql.ref(column)}) filter (where ${sql.ref(column)} >= 0)`;
const counted = (column: string) =>
  sql`(count(${sql.ref(column)}) filter (where ${sql.ref(column)} >= 0))::integer`;

/** Lead time's median and p90 (continuous percentiles) and, from pull-request data, the cycle-time breakdown. */
export async function leadTime(db: Kysely<Database>, scope: MetricScope): Promise<LeadTimeRow[]> {
  const measures = sql`
    ${counted('s.lead_time_hours')} as sample_size,
    ${median('s.lead_time_hours')} as median_hours,
    percentile_cont(0.9) within group (order by s.lead_time_hours) filter (where s.lead_time_hours >= 0) as p90_hours,
    (count(*) filter (where s.start_kind = 'pull_request_first_commit' and s.lead_time_hours >= 0))::integer
      as from_pull_requests,
    (count(*) filter (where s.lead_time_hours < 0))::integer as negative_excluded,
    ${median('s.coding_hours')} as coding_median_hours, ${counted('s.coding_hours')} as coding_sample_size,
    ${median('s.pickup_hours')} as pickup_median_hours, ${counted('s.pickup_hours')} as pickup_sample_size,
    ${median('s.review_hours')} as review_median_hours, ${counted('s.review_hours')} as review_sample_size,
    ${median('s.deploy_wait_hours')} as deploy_wait_median_hours,
    ${counted('s.deploy_wait_hours')} as deploy_wait_sample_size`;
  const result = await aggregate<Omit<LeadTimeRow, keyof Grouped>>(
    leadTimeSamples(scope),
    scope,
    measures,
  ).execute(db);
  return result.rows;
}
