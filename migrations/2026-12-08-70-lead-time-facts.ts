import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// First-deployment facts for lead time (issue #17, docs/performance.md): one row per change (a merged pull
// request, or a commit of its own) with its first successful production deployment and its lead-time
// sample, so the organisation's lead time reads stored samples instead of ranking every shipment ever.
// A variant is one reading of the definition: the definition's version, the production environments and
// whether demo rows are left out. Facts are refreshed incrementally on read from `lead_time_dirty`: the
// shipped commits whose change or first deployment may have moved, marked by the statement-level triggers
// below in the same transaction as the write — whichever path wrote it (events API, collectors, demo
// loader, re-attribution, purge). Nothing is marked until a variant exists (no cost before the first read).
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite.

/**
 * Marks the commits among `rows` (a query yielding repository_id, sha) dirty for every variant, as one row of
 * arrays per statement (a pushed batch of a thousand deployments writes one row, not thousands): only those
 * shipped (a commit no deployment shipped has no fact), except when the shipment itself was just written or
 * removed.
 */
const mark = (rows: string, shippedOnly: boolean) => `
  if exists (select 1 from lead_time_fact_variants) then
    insert into lead_time_dirty (variant, repository_ids, shas)
    select v.variant, x.repository_ids, x.shas
    from lead_time_fact_variants v
    cross join (select array_agg(m.repository_id) as repository_ids, array_agg(m.sha) as shas from (${rows}) m
      ${shippedOnly ? 'where exists (select 1 from deployment_commits dc where dc.repository_id = m.repository_id and dc.sha = m.sha)' : ''}) x
    where x.shas is not null;
  end if;
  return null;`;

/** A pull request's commits as a change sees them: its merge commit, its own commits, their rebase recreations. */
const pullRequestCommits = (prs: string) => `
  select p.repository_id, p.merge_commit_sha as sha from ${prs} p where p.merge_commit_sha is not null
  union all
  select pc.repository_id, pc.sha from ${prs} p join pull_request_commits pc on pc.pull_request_id = p.id
  union all
  select c.repository_id, c.sha from ${prs} p
  join pull_request_commits pc on pc.pull_request_id = p.id
  join commits c on c.repository_id = pc.repository_id and c.authored_at = pc.authored_at`;

/** A pull request commit row's shipped commit and its rebase recreations. */
const ownCommits = (rows: string) => `
  select r.repository_id, r.sha from ${rows} r
  union all
  select c.repository_id, c.sha from ${rows} r
  join commits c on c.repository_id = r.repository_id and c.authored_at = r.authored_at`;

const triggers: { name: string; table: string; event: string; referencing: string; rows: string }[] = [
  {
    name: 'shipped_added',
    table: 'deployment_commits',
    event: 'insert',
    referencing: 'new table as new_rows',
    rows: 'select repository_id, sha from new_rows',
  },
  {
    name: 'shipped_removed',
    table: 'deployment_commits',
    event: 'delete',
    referencing: 'old table as old_rows',
    rows: 'select repository_id, sha from old_rows',
  },
  {
    // status, finish, environment, source or team: where and whether it counts as a first deployment
    name: 'deployment_changed',
    table: 'deployments',
    event: 'update',
    referencing: 'old table as old_rows new table as new_rows',
    rows: `select dc.repository_id, dc.sha from new_rows n join old_rows o on o.id = n.id
      join deployment_commits dc on dc.deployment_id = n.id
      where (o.status, o.finished_at, o.environment, o.source, o.team_id, o.external_id)
        is distinct from (n.status, n.finished_at, n.environment, n.source, n.team_id, n.external_id)`,
  },
  {
    name: 'commit_changed',
    table: 'commits',
    event: 'update',
    referencing: 'new table as new_rows',
    rows: 'select repository_id, sha from new_rows',
  },
  {
    name: 'pull_request_added',
    table: 'pull_requests',
    event: 'insert',
    referencing: 'new table as new_rows',
    rows: pullRequestCommits('new_rows'),
  },
  {
    name: 'pull_request_changed',
    table: 'pull_requests',
    event: 'update',
    referencing: 'old table as old_rows new table as new_rows',
    rows: `${pullRequestCommits('new_rows')} union all ${pullRequestCommits('old_rows')}`,
  },
  {
    name: 'pull_request_removed',
    table: 'pull_requests',
    event: 'delete',
    referencing: 'old table as old_rows',
    rows: pullRequestCommits('old_rows'),
  },
  {
    name: 'pull_request_commit_added',
    table: 'pull_request_commits',
    event: 'insert',
    referencing: 'new table as new_rows',
    rows: ownCommits('new_rows'),
  },
  {
    name: 'pull_request_commit_changed',
    table: 'pull_request_commits',
    event: 'update',
    referencing: 'old table as old_rows new table as new_rows',
    rows: `${ownCommits('new_rows')} union all ${ownCommits('old_rows')}`,
  },
  {
    name: 'pull_request_commit_removed',
    table: 'pull_request_commits',
    event: 'delete',
    referencing: 'old table as old_rows',
    rows: ownCommits('old_rows'),
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table lead_time_fact_variants (
      variant text primary key,
      built_at timestamptz not null default now()
    );
    create table lead_time_dirty (
      variant text not null references lead_time_fact_variants (variant) on delete cascade,
      repository_ids integer[] not null,
      shas text[] not null
    );
    create index lead_time_dirty_variant on lead_time_dirty (variant);
    create table lead_time_facts (
      variant text not null references lead_time_fact_variants (variant) on delete cascade,
      change_key text not null,
      repository_id integer not null,
      sha text not null,
      team_id integer,
      at timestamptz not null,
      deployment_id bigint not null,
      deployment_source text not null,
      deployment_external_id text not null,
      committed_at timestamptz not null,
      commit_authored_at timestamptz,
      pull_request_number integer,
      start_kind text not null,
      change_started_at timestamptz not null,
      deployed_at timestamptz not null,
      lead_time_hours double precision not null,
      pull_request_opened_at timestamptz,
      first_review_at timestamptz,
      merged_at timestamptz,
      coding_hours double precision,
      pickup_hours double precision,
      review_hours double precision,
      deploy_wait_hours double precision,
      pr_is_bot boolean,
      primary key (variant, repository_id, change_key)
    );
    create index lead_time_facts_at on lead_time_facts (variant, at);
    create index lead_time_facts_commit on lead_time_facts (variant, repository_id, sha);
  `.execute(db);
  for (const trigger of triggers) {
    await sql
      .raw(
        `create function lead_time_mark_${trigger.name}() returns trigger language plpgsql as $$
        begin ${mark(trigger.rows, !trigger.table.startsWith('deployment_commits'))}
        end $$;
        create trigger lead_time_mark_${trigger.name} after ${trigger.event} on ${trigger.table}
          referencing ${trigger.referencing} for each statement
          execute function lead_time_mark_${trigger.name}();`,
      )
      .execute(db);
  }
}
