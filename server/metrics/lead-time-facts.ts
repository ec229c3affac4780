import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/tables.ts';
import { leadTimeExclusion, leadTimeSamples } from './lead-time.metric.ts';
import { inPeriod, teamFilter } from './scope.ts';
import type { MetricScope } from './scope.ts';

/**
 * First-deployment facts (issue #17, docs/performance.md): every change's lead-time sample — its first
 * successful production deployment and the times behind it — stored once, so the organisation's lead time
 * reads the period's facts instead of ranking every shipment ever. Percentiles are computed over the stored
 * per-change samples (medians cannot be summed from daily rollups).
 *
 * The facts are refreshed on read, incrementally: triggers (migration 2026-12-08-70) mark in the writing
 * transaction every shipped commit whose change or first deployment may have moved — late and out-of-order
 * deployments, re-attribution, pull-request data arriving after the deployment — and a refresh recomputes
 * exactly the changes those commits belong to, before and after the write. `lead-time-facts.db.test.ts`
 * proves the figures equal the raw computation on both engines.
 *
 * Bump the version when lead time's definition changes: facts built by another version are dropped and
 * rebuilt rather than mixed with new ones.
 */
export const LEAD_TIME_DEFINITION = 'lead-time-v1';

/** One reading of the definition: its version, the production environments and whether demo rows count. */
export function factsVariant(scope: FactsScope): string {
  const environments = [...scope.productionEnvironments].sort().join(',');
  return `${LEAD_TIME_DEFINITION}|${environments}|${scope.excludeDemo ? 'without-demo' : 'with-demo'}`;
}

type FactsScope = Pick<MetricScope, 'productionEnvironments' | 'excludeDemo'>;
/** Facts are kept for every period: the samples query reads no period in facts mode. */
const allTime = (scope: FactsScope): MetricScope => ({
  ...scope,
  period: { from: new Date(0), to: new Date(8.64e15), label: 'all time' },
  // unread: the facts keep the times, and which changes count is decided on reading (leadTimeExclusion)
  now: new Date(0),
});

/** SQLSTATE of a write on a read-only connection (a read replica). */
const READ_ONLY_TRANSACTION = '25006';

/**
 * The sample rows lead time aggregates for a scope: from the facts for organisation-wide scopes (where the
 * raw computation is costly), refreshed first — on a read replica, which cannot refresh them, as the primary
 * last refreshed them (they lag like every replica read); from the raw rows for one team (fast, and exact
 * by construction), or on a replica where the facts were never built.
 */
export async function leadTimeSampleSource(
  db: Kysely<Database>,
  scope: MetricScope,
): Promise<RawBuilder<unknown>> {
  if (scope.teamId !== undefined) return leadTimeSamples(scope);
  if (await refreshedLeadTimeFacts(db, scope)) return leadTimeFactSamples(scope);
  // A read replica: the facts the primary refreshed (organizationFigures does, first), as replayed here.
  const built =
    await sql`select 1 from lead_time_fact_variants where variant = ${factsVariant(scope)}`.execute(db);
  return built.rows.length > 0 ? leadTimeFactSamples(scope) : leadTimeSamples(scope);
}

/**
 * Refreshes the scope's facts; false where they cannot be written (a read-only replica). Callers that key
 * results on the data version (SharedFigures) refresh first, so the refresh's own write does not move the
 * version under the result.
 */
export async function refreshedLeadTimeFacts(db: Kysely<Database>, scope: FactsScope): Promise<boolean> {
  try {
    await refreshLeadTimeFacts(db, scope);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === READ_ONLY_TRANSACTION) return false;
    throw error;
  }
}

/** The stored samples behind a scope, with the columns lead time's measures read. */
export function leadTimeFactSamples(scope: MetricScope): RawBuilder<unknown> {
  // Which changes count reads the clock (a deployment dated ahead of it): decided here, as the raw samples do.
  return sql`
    select s.*, ${leadTimeExclusion(scope)} as excluded_reason
    from (
      select f.*, f.at as finished_at,
        case when f.start_kind = 'pull_request_first_commit' then f.change_started_at end
          as pr_first_commit_authored_at
      from lead_time_facts f
      where f.variant = ${factsVariant(scope)} and f.pr_is_bot is not true
        and ${inPeriod('f.at', scope)} ${teamFilter('f.team_id', scope)}
    ) s`;
}

/** The facts' columns, as the samples query (facts mode) names them. */
const COLUMNS =
  sql.raw(`team_id, at, deployment_id, deployment_source, deployment_external_id, sha, committed_at,
  commit_authored_at, pull_request_number, start_kind, change_started_at, deployed_at, lead_time_hours, pull_request_opened_at,
  first_review_at, merged_at, coding_hours, pickup_hours, review_hours, deploy_wait_hours, repository_id,
  pr_is_bot, change_key`);

/**
 * Brings the scope's variant up to date: built whole the first time (with writers held off, so no write
 * falls between the build and the triggers' first marks), then only the marked changes. One refresh per
 * variant at a time.
 */
export async function refreshLeadTimeFacts(db: Kysely<Database>, scope: FactsScope): Promise<void> {
  const variant = factsVariant(scope);
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`lead-time-facts ${variant}`}))`.execute(trx);
    const known = await sql`select 1 from lead_time_fact_variants where variant = ${variant}`.execute(trx);
    if (known.rows.length === 0) await build(trx, scope, variant);
    else await applyMarks(trx, scope, variant);
  });
}

async function build(trx: Kysely<Database>, scope: FactsScope, variant: string): Promise<void> {
  await sql`lock table deployments, deployment_commits, commits, pull_requests, pull_request_commits
    in share mode`.execute(trx);
  // Facts of an older (or newer) definition would be mixed with these: drop them.
  await sql`delete from lead_time_fact_variants
    where variant not like ${`${LEAD_TIME_DEFINITION}|%`}`.execute(trx);
  await sql`insert into lead_time_fact_variants (variant) values (${variant})`.execute(trx);
  await sql`
    insert into lead_time_facts (variant, ${COLUMNS})
    select ${variant}, ${COLUMNS} from (${leadTimeSamples(allTime(scope), 'all')}) s`.execute(trx);
}

async function applyMarks(trx: Kysely<Database>, scope: FactsScope, variant: string): Promise<void> {
  const marked = await sql<{ repositoryIds: number[]; shas: string[] }>`
    delete from lead_time_dirty where variant = ${variant} returning repository_ids, shas`.execute(trx);
  if (marked.rows.length === 0) return;
  const unique = new Map<string, { repositoryId: number; sha: string }>();
  for (const row of marked.rows)
    row.shas.forEach((sha, index) => {
      const repositoryId = row.repositoryIds[index] as number;
      unique.set(`${repositoryId} ${sha}`, { repositoryId, sha });
    });
  const repositoryIds = [...unique.values()].map((row) => row.repositoryId);
  const shas = [...unique.values()].map((row) => row.sha);
  const commits = sql`select * from unnest(${repositoryIds}::integer[], ${shas}::text[]) as m(repository_id, sha)`;
  // The changes these commits gave their first deployment to: their change may have moved (a pull request
  // now claims the commit), so those are recomputed too, from the pull request when there is one.
  const before = await sql<{ repositoryId: number; changeKey: string }>`
    select f.repository_id, f.change_key from lead_time_facts f
    where f.variant = ${variant} and (f.repository_id, f.sha) in (${commits})`.execute(trx);
  const pullRequests = before.rows
    .filter((row) => row.changeKey.startsWith('pr '))
    .map((row) => Number(row.changeKey.slice(3)));
  await sql`create temporary table lead_time_recomputed on commit drop as
    select ${COLUMNS} from (${leadTimeSamples(allTime(scope), {
      commits,
      pullRequests: sql`select unnest(${pullRequests}::bigint[])`,
    })}) s`.execute(trx);
  await sql`
    delete from lead_time_facts f
    where f.variant = ${variant} and (
      (f.repository_id, f.change_key) in (select repository_id, change_key from lead_time_recomputed)
      or (f.repository_id, f.change_key) in (
        select * from unnest(${before.rows.map((row) => row.repositoryId)}::integer[],
          ${before.rows.map((row) => row.changeKey)}::text[])))`.execute(trx);
  await sql`
    insert into lead_time_facts (variant, ${COLUMNS})
    select ${variant}, ${COLUMNS} from lead_time_recomputed`.execute(trx);
}
