import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Schema v1: teams and their versioned ownership, and the delivery model (pull requests, commits,
// deployments, incidents) plus collector bookkeeping. Frozen: later changes go in new migrations.
// Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18), so it sticks to SQL both understand.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table teams (
      id integer generated always as identity primary key,
      slug text not null unique,
      name text not null,
      retired_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    -- Who owned a repository or service, and when. valid_from null = since the beginning of time,
    -- valid_to null = still in force. Events are attributed to the owner at the event's time.
    create table team_ownerships (
      id integer generated always as identity primary key,
      team_id integer not null references teams (id),
      resource_kind text not null check (resource_kind in ('repository', 'service')),
      pattern text not null,
      like_pattern text not null,
      specificity integer not null,
      valid_from timestamptz,
      valid_to timestamptz,
      check (valid_from is null or valid_to is null or valid_from < valid_to)
    );
    create unique index team_ownerships_one_open_owner on team_ownerships (resource_kind, pattern)
      where valid_to is null;
    create index team_ownerships_by_team on team_ownerships (team_id);
    -- Attribution looks exact names up by equality and scans only the (few) glob claims.
    create index team_ownerships_exact on team_ownerships (resource_kind, pattern);
    create index team_ownerships_globs on team_ownerships (resource_kind) where specificity < 1000000;

    create table team_memberships (
      id integer generated always as identity primary key,
      team_id integer not null references teams (id),
      member_key text not null,
      github_login text,
      jira_account_id text,
      email text,
      valid_from timestamptz,
      valid_to timestamptz,
      check (valid_from is null or valid_to is null or valid_from < valid_to)
    );
    create unique index team_memberships_one_open on team_memberships (team_id, member_key) where valid_to is null;
    create index team_memberships_github on team_memberships (github_login);

    create table repositories (
      id integer generated always as identity primary key,
      full_name text not null unique check (full_name = lower(full_name)),
      default_branch text,
      external_id text,
      created_at timestamptz not null default now()
    );

    create table pull_requests (
      id bigint generated always as identity primary key,
      repository_id integer not null references repositories (id),
      number integer not null,
      external_id text,
      title text,
      state text not null check (state in ('open', 'closed', 'merged')),
      author_login text,
      author_is_bot boolean not null default false,
      base_branch text,
      created_at timestamptz not null,
      first_commit_authored_at timestamptz,
      first_review_at timestamptz,
      merged_at timestamptz,
      closed_at timestamptz,
      merge_commit_sha text,
      additions integer,
      deletions integer,
      changed_files integer,
      commit_count integer,
      team_id integer references teams (id),
      source_updated_at timestamptz,
      unique (repository_id, number)
    );
    create index pull_requests_team_merged on pull_requests (team_id, merged_at);
    create index pull_requests_merge_commit on pull_requests (repository_id, merge_commit_sha);

    create table commits (
      repository_id integer not null references repositories (id),
      sha text not null,
      authored_at timestamptz,
      committed_at timestamptz not null,
      primary key (repository_id, sha)
    );

    create table deployments (
      id bigint generated always as identity primary key,
      source text not null,
      external_id text not null,
      repository_id integer references repositories (id),
      service text,
      environment text not null,
      sha text,
      status text not null check (status in ('success', 'failure', 'in_progress')),
      original_status text,
      kind text not null default 'planned' check (kind in ('planned', 'hotfix', 'rollback')),
      started_at timestamptz,
      finished_at timestamptz,
      team_id integer references teams (id),
      team_attribution text check (team_attribution in ('explicit', 'ownership')),
      commits_truncated boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source, external_id),
      check (repository_id is not null or service is not null)
    );
    create index deployments_team_finished on deployments (team_id, environment, finished_at);
    create index deployments_environment_finished on deployments (environment, finished_at);
    create index deployments_service_finished on deployments (service, finished_at);
    create index deployments_repository_finished on deployments (repository_id, finished_at);

    -- The changes a deployment shipped.
    create table deployment_commits (
      deployment_id bigint not null references deployments (id) on delete cascade,
      repository_id integer not null,
      sha text not null,
      primary key (deployment_id, repository_id, sha),
      foreign key (repository_id, sha) references commits (repository_id, sha)
    );
    create index deployment_commits_commit on deployment_commits (repository_id, sha);

    create table incidents (
      id bigint generated always as identity primary key,
      source text not null,
      external_id text not null,
      title text,
      severity text,
      service text,
      team_id integer references teams (id),
      team_attribution text check (team_attribution in ('explicit', 'ownership')),
      started_at timestamptz not null,
      resolved_at timestamptz,
      deployment_id bigint references deployments (id) on delete set null,
      deployment_link text check (deployment_link in ('explicit', 'inferred')),
      -- the sender's id of the causing deployment, kept so the link can be made when that deployment arrives
      cause_deployment_external_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (source, external_id),
      check (resolved_at is null or resolved_at >= started_at)
    );
    create index incidents_team_started on incidents (team_id, started_at);
    create index incidents_deployment on incidents (deployment_id);
    create index incidents_service_started on incidents (service, started_at);

    create table collector_runs (
      id bigint generated always as identity primary key,
      collector text not null,
      scope text not null default '*',
      status text not null check (status in ('running', 'success', 'partial', 'failed')),
      started_at timestamptz not null,
      finished_at timestamptz,
      item_counts jsonb not null default '{}',
      cost_points integer not null default 0,
      error text
    );
    create index collector_runs_recent on collector_runs (collector, started_at desc);

    create table sync_state (
      collector text not null,
      scope text not null,
      cursor text,
      watermark timestamptz,
      updated_at timestamptz not null default now(),
      primary key (collector, scope)
    );
  `.execute(db);
}
