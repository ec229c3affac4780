import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface SuccessfulDeployment {
  id: number;
  source: string;
  sha: string;
  environment: string;
  finishedAt: Date;
  /** Its shipped commits are recorded. */
  linked: boolean;
}

/**
 * Every successful deployment of one repository to `environments` (from any source) with a commit and a
 * finish, oldest finish first (ties by id): what linking shipped commits needs to know about predecessors.
 */
export async function successfulDeployments(
  db: Kysely<Database>,
  repositoryId: number,
  environments: readonly string[],
): Promise<SuccessfulDeployment[]> {
  if (environments.length === 0) return [];
  const rows = await sql<SuccessfulDeployment>`
    select d.id, d.source, d.sha, d.environment, d.finished_at,
      exists (select 1 from deployment_commits dc where dc.deployment_id = d.id) as linked
    from deployments d
    where d.repository_id = ${repositoryId} and d.status = 'success' and d.finished_at is not null
      and d.sha is not null and d.environment in (${sql.join(environments)})
    order by d.finished_at, d.id`.execute(db);
  return rows.rows;
}

/**
 * When the oldest deployment of `source` in one repository created since `since` that has no outcome yet
 * (waiting for approval, queued, in progress) was created; null when there is none.
 */
export async function oldestPendingDeployment(
  db: Kysely<Database>,
  repositoryId: number,
  source: string,
  since: Date,
): Promise<Date | null> {
  const row = await db
    .selectFrom('deployments')
    .select((eb) => eb.fn.min('startedAt').as('oldest'))
    .where('repositoryId', '=', repositoryId)
    .where('source', '=', source)
    .where('status', '=', 'in_progress')
    .where('startedAt', '>=', since)
    .executeTakeFirst();
  return row?.oldest ? new Date(row.oldest) : null;
}
