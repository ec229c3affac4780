import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Collector jobs: one row per collector, claimed with an atomic UPDATE that takes an expiring lease, so a
// scheduled run and a manual one (or two server instances) never sync the same source at once. Advisory
// locks would not do: PGlite has a single session, where every lock is already held by "us".
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table collector_jobs (
      collector text primary key,
      -- who holds the lease (a random id per run), null when free
      lease_owner text,
      -- a crashed holder's lease runs out here; anyone may then claim the job
      lease_expires_at timestamptz,
      -- the run the holder recorded in collector_runs
      run_id bigint references collector_runs (id),
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
