import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// A deployment's page at its source (the CI/CD run or the deploy log), so a drill-down row can link out to
// it. Senders give it on the events API (`url`, http(s) only); GitHub's deployments carry none.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table deployments add column url text`.execute(db);
}
