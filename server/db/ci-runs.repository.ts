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
          .doUpdateSet({
            ...fromExcluded(RUN_COLUMNS),
            // A run's creation only moves earlier: an attempt sent without it must not move the run.
            runCreatedAt: sql<Date>`least(ci_runs.run_created_at, excluded.run_created_at)`,
            ...team.set,
            updatedAt: now,
          })
          .where(
            sql<boolean>`${anyChanged('ci_runs', RUN_COLUMNS)} or ${team.changed}
              or excluded.run_created_at < ci_runs.run_created_at`,
          ),
      )
      .returning('id')
      .execute();
    const aligned = await alignRunCreation(db, batch, now);
    const changed = [...written.map((row) => row.id), ...aligned];
    if (changed.length > 0) await attributeEvents(db, { ciRuns: changed });
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

/**
 * Every attempt of a run carries the run's creation (its earliest): an attempt that arrived before the first
 * one learns it here. Answers the ids of the attempts moved.
 */
async function alignRunCreation(
  db: Kysely<Database>,
  runs: readonly NewCiRun[],
  now: Date,
): Promise<number[]> {
  const moved: number[] = [];
  for (const source of new Set(runs.map((r) => r.source))) {
    const externalIds = [...new Set(runs.filter((r) => r.source === source).map((r) => r.externalId))];
    const result = await sql<{ id: number }>`
      update ci_runs c set run_created_at = m.first_created, updated_at = ${now}
      from (
        select external_id, min(run_created_at) as first_created from ci_runs
        where source = ${source} and external_id = any(${externalIds}::text[])
        group by external_id
      ) m
      where c.source = ${source} and c.external_id = m.external_id and c.run_created_at > m.first_created
      returning c.id`.execute(db);
    moved.push(...result.rows.map((row) => row.id));
  }
  return moved;
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

/** Of some pushed runs, the external ids whose attempts no team owns. */
export async function unattributedCiRuns(
  db: Kysely<Database>,
  source: string,
  externalIds: readonly string[],
): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('ciRuns')
    .select('externalId')
    .distinct()
    .where('source', '=', source)
    .where('externalId', '=', sql<string>`any(${[...new Set(externalIds)]}::text[])`)
    .where('teamId', 'is', null)
    .execute();
  return new Set(rows.map((row) => row.externalId));
}

/** Repositories' default branches where known (lower-cased name → branch). */
export async function repositoryDefaultBranches(
  db: Kysely<Database>,
  fullNames: readonly string[],
): Promise<Map<string, string>> {
  if (fullNames.length === 0) return new Map();
  const rows = await db
    .selectFrom('repositories')
    .select(['fullName', 'defaultBranch'])
    .where('fullName', '=', sql<string>`any(${[...new Set(fullNames)]}::text[])`)
    .where('defaultBranch', 'is not', null)
    .execute();
  return new Map(rows.map((row) => [row.fullName, row.defaultBranch as string]));
}

/** Records a repository's default branch (as the GitHub collector reads it); unchanged, nothing is written. */
export async function recordDefaultBranch(
  db: Kysely<Database>,
  repositoryId: number,
  branch: string,
): Promise<void> {
  await db
    .updateTable('repositories')
    .set({ defaultBranch: branch })
    .where('id', '=', repositoryId)
    .where(sql<boolean>`default_branch is distinct from ${branch}`)
    .execute();
}
