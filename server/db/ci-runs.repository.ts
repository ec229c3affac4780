import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { CiStatus, NewCiJob, NewCiRun } from './ci-tables.ts';
import { attributeEvents } from './ownership.repository.ts';
import type { Database } from './tables.ts';
import { anyChanged, batches, fromExcluded, teamColumnsFromExcluded } from './upsert.ts';

const team = teamColumnsFromExcluded('ci_runs');

const RUN_COLUMNS = [
  'repository_id',
  'pipeline',
  'event',
  'branch',
  'branch_kind',
  'sha',
  'status',
  'conclusion',
  'original_conclusion',
  'run_created_at',
  'queued_at',
  'started_at',
  'finished_at',
  'url',
] as const;

const JOB_COLUMNS = ['name', 'status', 'conclusion', 'queued_at', 'started_at', 'finished_at'] as const;

/** (source, external id, attempt) → the key `upsertCiRuns` answers ids by. */
export const ciRunKey = (source: string, externalId: string, attempt: number) =>
  `${source}\u0000${externalId}\u0000${attempt}`;

/**
 * Upserts run attempts on (source, external id, attempt): a re-delivered or re-read attempt updates in place,
 * an unchanged one is not rewritten. Attempts without an explicit team are attributed from ownership when
 * their run was created. Returns key → id for every attempt given.
 */
export async function upsertCiRuns(
  db: Kysely<Database>,
  runs: readonly NewCiRun[],
  now: Date,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const unique = [...new Map(runs.map((r) => [ciRunKey(r.source, r.externalId, r.attempt), r])).values()];
  for (const batch of batches(unique)) {
    const written = await db
      .insertInto('ciRuns')
      .values(batch.map((run) => ({ ...run, createdAt: now, updatedAt: now })))
      .onConflict((oc) =>
        oc
          .columns(['source', 'externalId', 'attempt'])
          .doUpdateSet({ ...fromExcluded(RUN_COLUMNS), ...team.set, updatedAt: now })
          .where(sql<boolean>`${anyChanged('ci_runs', RUN_COLUMNS)} or ${team.changed}`),
      )
      .returning('id')
      .execute();
    if (written.length > 0) await attributeEvents(db, { ciRuns: written.map((row) => row.id) });
    for (const source of new Set(batch.map((r) => r.source))) {
      const rows = await db
        .selectFrom('ciRuns')
        .select(['id', 'source', 'externalId', 'attempt'])
        .where('source', '=', source)
        .where('externalId', 'in', [
          ...new Set(batch.filter((r) => r.source === source).map((r) => r.externalId)),
        ])
        .execute();
      for (const row of rows) ids.set(ciRunKey(row.source, row.externalId, row.attempt), row.id);
    }
  }
  return ids;
}

/** Upserts a run attempt's jobs on (run attempt, job id); unchanged jobs are not rewritten. */
export async function upsertCiJobs(
  db: Kysely<Database>,
  jobs: readonly (NewCiJob & { ciRunId: number })[],
): Promise<void> {
  const unique = [...new Map(jobs.map((job) => [`${job.ciRunId}\u0000${job.externalId}`, job])).values()];
  for (const batch of batches(unique)) {
    await db
      .insertInto('ciJobs')
      .values(batch)
      .onConflict((oc) =>
        oc
          .columns(['ciRunId', 'externalId'])
          .doUpdateSet(fromExcluded(JOB_COLUMNS))
          .where(anyChanged('ci_jobs', JOB_COLUMNS)),
      )
      .execute();
  }
}

/** What is stored of some runs of a source: run id → attempt → status (a collector skips what it has). */
export async function storedCiAttempts(
  db: Kysely<Database>,
  source: string,
  externalIds: readonly string[],
): Promise<Map<string, Map<number, CiStatus>>> {
  const stored = new Map<string, Map<number, CiStatus>>();
  for (const batch of batches([...new Set(externalIds)])) {
    const rows = await db
      .selectFrom('ciRuns')
      .select(['externalId', 'attempt', 'status'])
      .where('source', '=', source)
      .where('externalId', 'in', batch)
      .execute();
    for (const row of rows) {
      const attempts = stored.get(row.externalId) ?? new Map<number, CiStatus>();
      attempts.set(row.attempt, row.status);
      stored.set(row.externalId, attempts);
    }
  }
  return stored;
}
