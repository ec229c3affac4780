import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/tables.ts';
import { DAY_MS } from '../time.ts';
import { aggregate, hoursBetween, inPeriod, productionOnly, teamFilter } from './scope.ts';
import type { Grouped, MetricScope } from './scope.ts';

/**
 * Lead time for changes (DORA: "the amount of time it takes for a change to go from committed to version
 * control to deployed in production"). One sample per change, shipped by the *first* successful production
 * deployment that included any of its commits (a later redeploy does not count again), and attributed to
 * the period and team of that deployment's finish.
 *
 * A change is a merged pull request when the shipped commit belongs to one, whatever the merge strategy:
 * its merge or squash commit (`merge_commit_sha`), one of its own commits (`pull_request_commits`: a merge
 * commit's branch commits), or a rebase merge's recreation of one (same authored time, committed when the
 * PR merged). It starts at the PR's first authored commit, and the PR counts once however many of its
 * commits shipped. Any other commit (a direct push) is a change of its own, starting at its commit time.
 * `start_kind` says which start was used. Changes from PRs by bots (dependabot, renovate) are left out.
 * Changes with implausible times are shown in the drill-down with `excluded_reason` but not counted (see
 * `leadTimeExclusion`).
 */
export function leadTimeSamples(scope: MetricScope, facts?: FactsQuery | 'all'): RawBuilder<unknown> {
  const startedAt = LEAD_TIME_START;
  // Recreated by a rebase merge: GitHub commits it when it merges the PR (a minute covers clock rounding).
  const rebaseWindow = sql`interval '1 minute'`;
  // Which change a shipped commit belongs to: a function of (repository, sha) alone.
  const changeOf = sql`
    left join lateral (
      select p.id, p.number, p.merge_commit_sha, p.first_commit_authored_at, p.created_at, p.first_review_at,
        p.merged_at, p.author_is_bot
      from pull_requests p
      where p.merged_at is not null and p.id in (
        select p1.id from pull_requests p1
        where p1.repository_id = dc.repository_id and p1.merge_commit_sha = dc.sha
        union all
        select pc.pull_request_id from pull_request_commits pc
        where pc.repository_id = dc.repository_id and pc.sha = dc.sha
        union all
        select pc.pull_request_id from pull_request_commits pc
        join pull_requests p2 on p2.id = pc.pull_request_id
        where pc.repository_id = dc.repository_id and pc.authored_at = c.authored_at
          and c.committed_at between p2.merged_at - ${rebaseWindow} and p2.merged_at + ${rebaseWindow})
      order by p.merged_at, p.id
      limit 1
    ) pr on true`;
  const changeKey = sql`coalesce('pr ' || s.pr_id::text, 'commit ' || s.sha)`;
  const production = sql`d.status = 'success' and d.finished_at is not null and ${productionOnly('d', scope)}`;
  // Performance (docs/performance.md): only a change shipped in the period can have its first deployment
  // there, so history is read only for the commits of those changes — every commit that maps to the same
  // pull request, or the commit itself — rather than every deployment ever made (which grew with history).
  return sql`
    with candidates as (${
      facts === 'all'
        ? sql`select null::integer as repository_id, null::text as sha, null::bigint as pr_id`
        : facts
          ? sql`
      select distinct dc.repository_id, dc.sha, pr.id as pr_id
      from (${facts.commits}) dc
      join commits c on c.repository_id = dc.repository_id and c.sha = dc.sha
      ${changeOf}
      union
      select p.repository_id, null, p.id from pull_requests p where p.id in (${facts.pullRequests})`
          : sql`
      select distinct dc.repository_id, dc.sha, pr.id as pr_id
      from deployments d
      join deployment_commits dc on dc.deployment_id = d.id
      join commits c on c.repository_id = dc.repository_id and c.sha = dc.sha
      ${changeOf}
      where ${production} and ${inPeriod('d.finished_at', scope)} ${teamFilter('d.team_id', scope)}`
    }
    ), related as (
      select repository_id, sha from candidates where sha is not null
      union
      select p.repository_id, p.merge_commit_sha from candidates k join pull_requests p on p.id = k.pr_id
      where p.merge_commit_sha is not null
      union
      select pc.repository_id, pc.sha from candidates k join pull_request_commits pc on pc.pull_request_id = k.pr_id
      union
      select c.repository_id, c.sha from candidates k
      join pull_requests p on p.id = k.pr_id
      join pull_request_commits pc on pc.pull_request_id = p.id
      join commits c on c.repository_id = pc.repository_id and c.authored_at = pc.authored_at
        and c.committed_at between p.merged_at - ${rebaseWindow} and p.merged_at + ${rebaseWindow}
    ), shipped as (
      select d.team_id, d.finished_at, d.id as deployment_id, d.source as deployment_source,
        d.external_id as deployment_external_id, dc.repository_id, dc.sha, c.committed_at,
        c.authored_at as commit_authored_at, pr.id as pr_id, pr.number as pull_request_number, pr.merge_commit_sha as pr_merge_commit_sha,
        pr.first_commit_authored_at as pr_first_commit_authored_at, pr.created_at as pr_created_at,
        pr.first_review_at as pr_first_review_at, pr.merged_at as pr_merged_at, pr.author_is_bot as pr_is_bot
      from ${
        facts === 'all'
          ? sql`deployment_commits dc
      join deployments d on d.id = dc.deployment_id
      join commits c on c.repository_id = dc.repository_id and c.sha = dc.sha`
          : // A few hundred related commits, estimated at thousands: plain joins hashed them against scans of
            // every shipment and commit (one team's lead time 70 ms at 200 teams, 6 ms so). Fenced laterals
            // (offset 0 keeps them from being flattened back into joins) look each one up by its key.
            sql`related k
      cross join lateral (select * from deployment_commits dc
        where dc.repository_id = k.repository_id and dc.sha = k.sha offset 0) dc
      cross join lateral (select * from deployments d where d.id = dc.deployment_id offset 0) d
      cross join lateral (select * from commits c
        where c.repository_id = dc.repository_id and c.sha = dc.sha offset 0) c`
      }
      ${changeOf}
      -- a change's first deployment can only be earlier than the period's end
      where ${production} ${facts ? sql`` : sql`and d.finished_at < ${scope.period.to}`}
    ), changes as (
      select s.*, row_number() over (
          partition by s.repository_id, ${changeKey}
          order by s.finished_at, s.deployment_id, coalesce(s.sha = s.pr_merge_commit_sha, false) desc, s.sha
        ) as nth
      from shipped s
    )
    select s.team_id, s.finished_at as at, s.deployment_id, s.deployment_source, s.deployment_external_id,
      r.full_name as repository, s.sha, s.committed_at, s.pull_request_number,
      case when s.pr_first_commit_authored_at is not null then 'pull_request_first_commit' else 'commit' end
        as start_kind,
      ${startedAt} as change_started_at, s.finished_at as deployed_at,
      ${hoursBetween(startedAt, sql`s.finished_at`)} as lead_time_hours,
      s.pr_created_at as pull_request_opened_at, s.pr_first_review_at as first_review_at,
      s.pr_merged_at as merged_at,
      ${hoursBetween(sql`s.pr_first_commit_authored_at`, sql`s.pr_created_at`)} as coding_hours,
      ${hoursBetween(sql`s.pr_created_at`, sql`s.pr_first_review_at`)} as pickup_hours,
      ${hoursBetween(sql`s.pr_first_review_at`, sql`s.pr_merged_at`)} as review_hours,
      ${hoursBetween(sql`s.pr_merged_at`, sql`s.finished_at`)} as deploy_wait_hours
    ${
      facts
        ? sql`, s.commit_authored_at, s.repository_id, s.pr_is_bot, ${changeKey} as change_key
    from changes s
    join repositories r on r.id = s.repository_id
    where s.nth = 1 ${
      facts === 'all'
        ? sql``
        : sql`and (s.repository_id, ${changeKey}) in (
      select k.repository_id, coalesce('pr ' || k.pr_id::text, 'commit ' || k.sha) from candidates k)`
    }`
        : sql`, ${leadTimeExclusion(scope)} as excluded_reason
    from changes s
    join repositories r on r.id = s.repository_id
    where s.nth = 1 and s.pr_is_bot is not true
      and ${inPeriod('s.finished_at', scope)} ${teamFilter('s.team_id', scope)}`
    }`;
}

/**
 * The lead-time facts' input (lead-time-facts.ts): the changes of these shipped commits (`repository_id`,
 * `sha` rows) and of these pull requests (ids), over all history, each with its `change_key`, whatever its
 * period, team or author. Other changes the history lookup meets are left out: their history is partial.
 * `'all'` instead: every change ever shipped, from every shipment (the first build).
 */
export interface FactsQuery {
  commits: RawBuilder<unknown>;
  pullRequests: RawBuilder<unknown>;
}

/** Where a change starts: its pull request's first authored commit, else the shipped commit's time. */
const LEAD_TIME_START = sql`coalesce(s.pr_first_commit_authored_at, s.committed_at)`;

/** Earlier times are a reset clock (1970) or a typo, not a change: git and CI/CD as used here are younger. */
export const EARLIEST_PLAUSIBLE_TIME = new Date('2000-01-01T00:00:00Z');
/** How far ahead of the server's clock a time may be (skewed clocks, a mislabelled zone) and still count. */
export const FUTURE_TOLERANCE_MS = DAY_MS;

/**
 * Why a change (a `changes` row `s`: its first deployment's finish, its start and its shipped commit's times)
 * is left out of lead time, or null when it counts. Implausible times are accepted and stored as sent, but
 * subtracting them gives nonsense (a 1970 commit: 56 years), so, first reason first:
 * - `deployment_out_of_range`: the first deployment finished before 2000 or more than a day after the
 *   server's clock (when it really shipped is unknown, so is the change's lead time);
 * - `start_out_of_range`: the change started before 2000;
 * - `started_after_deployment`: it started, or its shipped commit was authored or committed, after the
 *   deployment that shipped it (clock skew, a backdated event) — a commit dated more than a day ahead of
 *   the clock is one of these, as its deployment (if plausible) is not.
 * Only the first rule reads the clock, and only for deployments after it: a closed period's reasons never
 * change. Deployment-based figures (frequency, failure rate) take the sender's times as given.
 */
export function leadTimeExclusion(scope: MetricScope): RawBuilder<string | null> {
  const earliest = EARLIEST_PLAUSIBLE_TIME;
  const latest = new Date(scope.now.getTime() + FUTURE_TOLERANCE_MS);
  const start = LEAD_TIME_START;
  return sql<string | null>`case
      when s.finished_at < ${earliest} or s.finished_at > ${latest} then 'deployment_out_of_range'
      when ${start} < ${earliest} then 'start_out_of_range'
      when ${start} > s.finished_at or greatest(s.committed_at, s.commit_authored_at) > s.finished_at
        then 'started_after_deployment'
    end`;
}

export interface LeadTimeRow extends Grouped {
  sampleSize: number;
  medianHours: number | null;
  p90Hours: number | null;
  fromPullRequests: number;
  /** Changes left out because they started after they were deployed (`started_after_deployment`). */
  negativeExcluded: number;
  implausibleStartExcluded: number;
  implausibleDeploymentExcluded: number;
  codingMedianHours: number | null;
  codingSampleSize: number;
  pickupMedianHours: number | null;
  pickupSampleSize: number;
  reviewMedianHours: number | null;
  reviewSampleSize: number;
  deployWaitMedianHours: number | null;
  deployWaitSampleSize: number;
}

// Every figure, the breakdown's stages too, is over the changes that count (no exclusion reason).
const counts = sql`s.excluded_reason is null`;
const median = (column: string) =>
  sql`percentile_cont(0.5) within group (order by ${sql.ref(column)}) filter (where ${sql.ref(column)} >= 0 and ${counts})`;
const counted = (column: string) =>
  sql`(count(${sql.ref(column)}) filter (where ${sql.ref(column)} >= 0 and ${counts}))::integer`;
const excluded = (reason: string) => sql`(count(*) filter (where s.excluded_reason = ${reason}))::integer`;

/** Lead time's median and p90 (continuous percentiles) and, from pull-request data, the cycle-time breakdown. */
export async function leadTime(
  db: Kysely<Database>,
  scope: MetricScope,
  samples: RawBuilder<unknown> = leadTimeSamples(scope),
): Promise<LeadTimeRow[]> {
  const measures = sql`
    ${counted('s.lead_time_hours')} as sample_size,
    ${median('s.lead_time_hours')} as median_hours,
    percentile_cont(0.9) within group (order by s.lead_time_hours) filter (where ${counts}) as p90_hours,
    (count(*) filter (where s.start_kind = 'pull_request_first_commit' and ${counts}))::integer
      as from_pull_requests,
    ${excluded('started_after_deployment')} as negative_excluded,
    ${excluded('start_out_of_range')} as implausible_start_excluded,
    ${excluded('deployment_out_of_range')} as implausible_deployment_excluded,
    ${median('s.coding_hours')} as coding_median_hours, ${counted('s.coding_hours')} as coding_sample_size,
    ${median('s.pickup_hours')} as pickup_median_hours, ${counted('s.pickup_hours')} as pickup_sample_size,
    ${median('s.review_hours')} as review_median_hours, ${counted('s.review_hours')} as review_sample_size,
    ${median('s.deploy_wait_hours')} as deploy_wait_median_hours,
    ${counted('s.deploy_wait_hours')} as deploy_wait_sample_size`;
  const result = await aggregate<Omit<LeadTimeRow, keyof Grouped>>(samples, scope, measures).execute(db);
  return result.rows;
}
