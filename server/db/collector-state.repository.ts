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
