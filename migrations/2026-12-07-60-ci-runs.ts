import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// CI pipeline telemetry: every attempt of every CI run (GitHub Actions workflow runs, or pushed by any CI
// system), and optionally their jobs. Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and
// on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per attempt of a run: a re-run keeps the run's external id and adds an attempt, so a run that
    -- failed and passed on re-run (flaky) is two rows of one run.
    create table ci_runs (
      id bigint generated always as identity primary key,
      -- github-actions (the GitHub collector) or api (POST /api/v1/events/ci-runs)
      source text not null,
      -- GitHub's run id, or the sender's pipelineId
      external_id text not null,
      attempt integer not null check (attempt >= 1),
      repository_id integer not null references repositories (id),
      -- the workflow or pipeline name
      pipeline text not null,
      -- what triggered it: push, pull_request, schedule, …
      event text not null,
      branch text,
      -- pull-request runs and default-branch runs are measured apart
      branch_kind text not null check (branch_kind in ('pull_request', 'default_branch', 'other')),
      sha text,
      status text not null check (status in ('queued', 'in_progress', 'completed')),
      conclusion text check (conclusion in ('success', 'failure', 'cancelled', 'skipped', 'neutral')),
      -- what the source said (timed_out, startup_failure, …) before it was normalised
      original_conclusion text,
      -- when the run (its first attempt) was created: the run's time for periods and for ownership
      run_created_at timestamptz not null,
      -- this attempt's times; GitHub does not say when a re-run attempt was queued
      queued_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      url text,
      team_id integer references teams (id),
      team_attribution text check (team_attribution in ('explicit', 'ownership')),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (source, external_id, attempt),
      check ((status = 'completed') = (conclusion is not null)),
      check (started_at is null or finished_at is null or started_at <= finished_at)
    );
    create index ci_runs_team_created on ci_runs (team_id, run_created_at);
    create index ci_runs_repository_created on ci_runs (repository_id, run_created_at);

    -- A run attempt's jobs, where the source gives them (GitHub: off by default, one request per run).
    create table ci_jobs (
      id bigint generated always as identity primary key,
      ci_run_id bigint not null references ci_runs (id) on delete cascade,
      external_id text not null,
      name text not null,
      status text not null check (status in ('queued', 'in_progress', 'completed')),
      conclusion text check (conclusion in ('success', 'failure', 'cancelled', 'skipped', 'neutral')),
      queued_at timestamptz,
      started_at timestamptz,
      finished_at timestamptz,
      unique (ci_run_id, external_id)
    );
  `.execute(db);
}
