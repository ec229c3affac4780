import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Lead time finds the commits a rebase merge recreated from a pull request's commits by their authored time
// (server/metrics/lead-time.metric.ts); without this index each lookup scanned the repository's commits.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index commits_authored on commits (repository_id, authored_at)`.execute(db);
}
