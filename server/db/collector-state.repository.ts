import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface SyncPosition {
  cursor: string | null;
  watermark: Date | null;
}

/** A collector's saved position for one scope (e.g. `owner/name:pull-requests`); nulls when never synced. */
export async function readSyncState(
  db: Kysely<Database>,
  collector: string,
  scope: string,
): Promise<SyncPosition> {
  const row = await db
    .selectFrom('syncState')
    .select(['cursor', 'watermark'])
    .where('collector', '=', collector)
    .where('scope', '=', scope)
    .executeTakeFirst();
  return { cursor: row?.cursor ?? null, watermark: row?.watermark ?? null };
}

/**
 * Saves a position. Call it with the transaction that wrote the rows the position covers, so a crash either
 * keeps both or neither. An unchanged position is not rewritten.
 */
export async function saveSyncState(
  db: Kysely<Database>,
  collector: string,
  scope: string,
  position: SyncPosition,
  now: Date,
): Promise<void> {
  await db
    .insertInto('syncState')
    .values({ collector, scope, cursor: position.cursor, watermark: position.watermark, updatedAt: now })
    .onConflict((oc) =>
      oc
        .columns(['collector', 'scope'])
        .doUpdateSet({
          cursor: sql.ref('excluded.cursor'),
          watermark: sql.ref('excluded.watermark'),
          updatedAt: now,
        })
        .where(
          sql<boolean>`(sync_state.cursor, sync_state.watermark) is distinct from (excluded.cursor, excluded.watermark)`,
        ),
    )
    .execute();
}

export async function startCollectorRun(
  db: Kysely<Database>,
  collector: string,
  scope: string,
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('collectorRuns')
    .values({ collector, scope, status: 'running', startedAt: now, itemCounts: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface CollectorRunOutcome {
  status: 'success' | 'partial' | 'failed';
  itemCounts: Record<string, number>;
  costPoints: number;
  error: string | null;
}

export async function finishCollectorRun(
  db: Kysely<Database>,
  runId: number,
  outcome: CollectorRunOutcome,
  now: Date,
): Promise<void> {
  await db
    .updateTable('collectorRuns')
    .set({
      status: outcome.status,
      finishedAt: now,
      itemCounts: JSON.stringify(outcome.itemCounts),
      costPoints: outcome.costPoints,
      error: outcome.error,
    })
    .where('id', '=', runId)
    .execute();
}

export interface CollectorStatusRow {
  collector: string;
  running: boolean;
  lastRun: {
    id: number;
    status: string;
    startedAt: Date;
    finishedAt: Date | null;
    error: string | null;
  } | null;
  lastSuccessAt: Date | null;
  lastError: { at: Date; message: string } | null;
}

/** Per collector that ever ran: its latest run, latest success and latest error. */
export async function collectorStatuses(db: Kysely<Database>, now: Date): Promise<CollectorStatusRow[]> {
  const names = await db
    .selectFrom('collectorRuns')
    .select('collector')
    .distinct()
    .orderBy('collector')
    .execute();
  const statuses: CollectorStatusRow[] = [];
  for (const { collector } of names) {
    const runs = db.selectFrom('collectorRuns').where('collector', '=', collector);
    const last = await runs
      .select(['id', 'status', 'startedAt', 'finishedAt', 'error'])
      .orderBy('startedAt', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const success = await runs
      .select('finishedAt')
      .where('status', '=', 'success')
      .orderBy('finishedAt', 'desc')
      .executeTakeFirst();
    const failure = await runs
      .select(['finishedAt', 'error'])
      .where('error', 'is not', null)
      .orderBy('finishedAt', 'desc')
      .executeTakeFirst();
    const job = await db
      .selectFrom('collectorJobs')
      .select('leaseExpiresAt')
      .where('collector', '=', collector)
      .where('leaseOwner', 'is not', null)
      .executeTakeFirst();
    statuses.push({
      collector,
      running: job?.leaseExpiresAt != null && job.leaseExpiresAt > now,
      lastRun: last ?? null,
      lastSuccessAt: success?.finishedAt ?? null,
      lastError:
        failure?.error != null && failure.finishedAt
          ? { at: failure.finishedAt, message: failure.error }
          : null,
    });
  }
  return statuses;
}

/**
 * Claims a collector's job with one atomic statement: it succeeds only when the job is free or its lease has
 * expired (a crashed holder). Returns false when another run holds it.
 */
export async function claimCollectorJob(
  db: Kysely<Database>,
  collector: string,
  owner: string,
  leaseMs: number,
  now: Date,
): Promise<boolean> {
  const expires = new Date(now.getTime() + leaseMs);
  const claimed = await sql<{ collector: string }>`
    insert into collector_jobs (collector, lease_owner, lease_expires_at, updated_at)
    values (${collector}, ${owner}, ${expires}, ${now})
    on conflict (collector) do update set lease_owner = excluded.lease_owner,
      lease_expires_at = excluded.lease_expires_at, run_id = null, updated_at = excluded.updated_at
    where collector_jobs.lease_owner is null or collector_jobs.lease_expires_at <= ${now}
    returning collector`.execute(db);
  return claimed.rows.length === 1;
}

/** Extends a held lease (a long run renews it after every page); false when it was lost. */
export async function renewCollectorJob(
  db: Kysely<Database>,
  collector: string,
  owner: string,
  leaseMs: number,
  now: Date,
  runId: number | null,
): Promise<boolean> {
  const result = await db
    .updateTable('collectorJobs')
    .set({ leaseExpiresAt: new Date(now.getTime() + leaseMs), runId, updatedAt: now })
    .where('collector', '=', collector)
    .where('leaseOwner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseCollectorJob(
  db: Kysely<Database>,
  collector: string,
  owner: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('collectorJobs')
    .set({ leaseOwner: null, leaseExpiresAt: null, updatedAt: now })
    .where('collector', '=', collector)
    .where('leaseOwner', '=', owner)
    .execute();
}

/** Marks a deployment whose shipped commits were cut off at the walk's cap. */
export async function markDeploymentCommitsTruncated(
  db: Kysely<Database>,
  deploymentId: number,
): Promise<void> {
  await db
    .updateTable('deployments')
    .set({ commitsTruncated: true })
    .where('id', '=', deploymentId)
    .where('commitsTruncated', '=', false)
    .execute();
}

/**
 * Closes runs a crashed process left `running`. Call it holding the collector's job: no other run of it can be
 * alive then.
 */
export async function abandonRunningRuns(
  db: Kysely<Database>,
  collector: string,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('collectorRuns')
    .set({ status: 'failed', finishedAt: now, error: 'abandoned: the process running it stopped' })
    .where('collector', '=', collector)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Who holds a collector's job now (the lease owner), or null when it is free or its lease ran out. */
export async function collectorJobHolder(
  db: Kysely<Database>,
  collector: string,
  now: Date,
): Promise<string | null> {
  const row = await db
    .selectFrom('collectorJobs')
    .select('leaseOwner')
    .where('collector', '=', collector)
    .where('leaseExpiresAt', '>', now)
    .executeTakeFirst();
  return row?.leaseOwner ?? null;
}

/** Takes a lease over from `staleOwner` (a holder known to be dead); false when someone else got there first. */
export async function takeOverCollectorJob(
  db: Kysely<Database>,
  collector: string,
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
    .where('collector', '=', collector)
    .where('leaseOwner', '=', staleOwner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
