import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

// Every job's lease is a row of `collector_jobs` (migration 2026-11-25-05, named when only collectors held
// leases): its `collector` column is the job's name (`github`, `jira`, `alerts-evaluate`, `alerts-outbox`).

/**
 * Claims a job with one atomic statement: it succeeds only when the job is free or its lease has expired (a
 * crashed holder). Returns false when another holder has it.
 */
export async function claimJob(
  db: Kysely<Database>,
  job: string,
  owner: string,
  leaseMs: number,
  now: Date,
): Promise<boolean> {
  const expires = new Date(now.getTime() + leaseMs);
  const claimed = await sql<{ collector: string }>`
    insert into collector_jobs (collector, lease_owner, lease_expires_at, updated_at)
    values (${job}, ${owner}, ${expires}, ${now})
    on conflict (collector) do update set lease_owner = excluded.lease_owner,
      lease_expires_at = excluded.lease_expires_at, run_id = null, updated_at = excluded.updated_at
    where collector_jobs.lease_owner is null or collector_jobs.lease_expires_at <= ${now}
    returning collector`.execute(db);
  return claimed.rows.length === 1;
}

/** Extends a held lease (a long job renews it as it goes); false when it was lost. */
export async function renewJob(
  db: Kysely<Database>,
  job: string,
  owner: string,
  leaseMs: number,
  now: Date,
  runId: number | null,
): Promise<boolean> {
  const result = await db
    .updateTable('collectorJobs')
    .set({ leaseExpiresAt: new Date(now.getTime() + leaseMs), runId, updatedAt: now })
    .where('collector', '=', job)
    .where('leaseOwner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseJob(db: Kysely<Database>, job: string, owner: string, now: Date): Promise<void> {
  await db
    .updateTable('collectorJobs')
    .set({ leaseOwner: null, leaseExpiresAt: null, updatedAt: now })
    .where('collector', '=', job)
    .where('leaseOwner', '=', owner)
    .execute();
}

/** Who holds a job now (the lease owner), or null when it is free or its lease ran out. */
export async function jobHolder(db: Kysely<Database>, job: string, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom('collectorJobs')
    .select('leaseOwner')
    .where('collector', '=', job)
    .where('leaseExpiresAt', '>', now)
    .executeTakeFirst();
  return row?.leaseOwner ?? null;
}

/** Takes a lease over from `staleOwner` (a holder known to be dead); false when someone else got there first. */
export async function takeOverJob(
  db: Kysely<Database>,
  job: string,
  staleOwner: string,
  owner: string,
  leaseMs: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('collectorJobs')
    .set({
      leaseOwner: owner,
      leaseExpiresAt: new Date(now.getTime() + leaseMs),
      runId: null,
      updatedAt: now,
    })
    .where('collector', '=', job)
    .where('leaseOwner', '=', staleOwner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
