import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// The GitHub collector's releases, and incidents from labelled GitHub issues, which belong to a repository
// rather than a service and may name the deployment that caused them. Frozen: later changes go in new
// migrations. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- GitHub releases. A repository configured to deploy by release also gets one deployment per published,
    -- non-draft, non-prerelease release.
    create table releases (
      id bigint generated always as identity primary key,
      repository_id integer not null references repositories (id),
      -- GitHub's databaseId
      external_id text not null,
      tag_name text not null,
      name text,
      -- the commit the tag points at
      sha text,
      is_draft boolean not null,
      is_prerelease boolean not null,
      -- GitHub's times: drafts have no published_at
      released_created_at timestamptz not null,
      published_at timestamptz,
      unique (repository_id, external_id)
    );

    -- An incident from a GitHub issue belongs to the issue's repository: it is attributed to the repository's
    -- owner, and inferred causes are looked for among that repository's deployments.
    alter table incidents add column repository_id integer references repositories (id);
    -- What the incident says caused it, as "owner/name@<deployment id or commit sha>"; resolved to
    -- deployment_id (explicit) once that deployment is stored. While unresolved, no cause is inferred.
    alter table incidents add column cause_reference text;
    create index incidents_repository_started on incidents (repository_id, started_at);
  `.execute(db);
}
