import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Indexes for organisation-wide reads and scoped ingest (issue #17, docs/performance.md):
// - pull requests merged in a period across every team (the existing index leads with team_id, so the
//   organisation's figures scanned every pull request);
// - incidents started in a period across every team;
// - incidents naming a deployment by its sender's id, so an ingested batch of deployments finds the
//   incidents waiting for them without re-linking every incident.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index pull_requests_merged on pull_requests (merged_at) where merged_at is not null;
    create index incidents_started on incidents (started_at);
    create index incidents_cause_external on incidents (source, cause_deployment_external_id)
      where cause_deployment_external_id is not null;
  `.execute(db);
}
