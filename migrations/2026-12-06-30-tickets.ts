import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Tickets from request queues (Jira projects, GitHub repositories used as queues) and the statuses each sat
// in, for ticket wait times. Durations are not stored: they are computed from the intervals, in
// server/metrics/ticket-waits.metric.ts, so which statuses count as waiting stays configuration.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tickets (
      id bigint generated always as identity primary key,
      -- jira, github-issues or demo
      source text not null,
      -- the source's human key: OPS-123, or acme/platform-requests#42
      key text not null,
      -- the source's own id (Jira issue id, GitHub node id)
      external_id text,
      -- the queue it was filed in: a Jira project key or a repository owner/name
      queue text not null,
      title text,
      url text,
      issue_type text,
      labels text[] not null default '{}',
      components text[] not null default '{}',
      -- request category from the configured mapping (environment, access, database, …)
      category text not null,
      -- who files it: the requester's identities, resolved to a team through team_memberships
      requester_jira_account_id text,
      requester_github_login text,
      requester_email text,
      -- a team named by a ticket field (Jira requestingTeamField), which beats membership
      requesting_team_hint text,
      requesting_team_id integer references teams (id),
      -- the team that works the queue (configuration: tickets.servingTeams)
      serving_team text,
      status text not null,
      -- Jira status category key: new (To Do), indeterminate (In Progress), done, undefined
      status_category text not null check (status_category in ('new', 'indeterminate', 'done', 'undefined')),
      created_at timestamptz not null,
      -- first comment or status transition by someone other than the reporter
      first_response_at timestamptz,
      -- first transition into a status of category In Progress
      work_started_at timestamptz,
      resolved_at timestamptz,
      source_updated_at timestamptz,
      updated_at timestamptz not null default now(),
      unique (source, key),
      check (resolved_at is null or resolved_at >= created_at)
    );
    create index tickets_work_started on tickets (work_started_at);
    create index tickets_resolved on tickets (resolved_at);
    create index tickets_created on tickets (created_at);
    create index tickets_requester_jira on tickets (requester_jira_account_id);
    create index tickets_requester_github on tickets (requester_github_login);

    -- Each status a ticket sat in, from entering it until leaving it (ended_at null: it is still there).
    create table ticket_status_intervals (
      ticket_id bigint not null references tickets (id) on delete cascade,
      seq integer not null,
      status text not null,
      status_category text not null check (status_category in ('new', 'indeterminate', 'done', 'undefined')),
      started_at timestamptz not null,
      ended_at timestamptz,
      primary key (ticket_id, seq),
      check (ended_at is null or ended_at >= started_at)
    );
    create index team_memberships_jira on team_memberships (jira_account_id);
    create index team_memberships_email on team_memberships (email);
  `.execute(db);
}
