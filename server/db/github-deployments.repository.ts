import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, DeploymentStatus } from './tables.ts';
import { linkIncidentsToCauses } from './deployments.repository.ts';
import { attributeEvents } from './ownership.repository.ts';

export interface GithubDeploymentStatusRow {
  source: string;
  externalId: string;
  repositoryId: number;
  environment: string;
  sha: string;
  startedAt: Date;
  /** GitHub's state as sent (`success`, `error`, `inactive`, …). */
  state: string;
  outcome: DeploymentStatus | 'inactive';
  statusAt: Date;
}

/**
 * Applies one GitHub deployment status to its deployment, whatever order statuses arrive in:
 * - "did it succeed" means "did it ever get SUCCESS": once successful, a deployment stays so, finished at its
 *   first success — a later INACTIVE (GitHub marks older successful deployments inactive when a newer one
 *   succeeds), ERROR or FAILURE does not undo it;
 * - INACTIVE changes nothing else; a deployment first seen INACTIVE has an unknown outcome and is stored
 *   in progress (the GitHub collector, reading the status history, can settle it);
 * - a status older than the failure already stored does not overwrite it.
 * The row lock ON CONFLICT takes makes concurrent deliveries for one deployment apply one after the other.
 * Returns the deployment's id and its status after this one was applied.
 */
export async function applyGithubDeploymentStatus(
  db: Kysely<Database>,
  row: GithubDeploymentStatusRow,
  now: Date,
): Promise<{ id: number; status: DeploymentStatus }> {
  const outcome = row.outcome;
  const status: DeploymentStatus = outcome === 'inactive' ? 'in_progress' : outcome;
  const finishedAt = outcome === 'success' || outcome === 'failure' ? row.statusAt : null;
  const statusAt = sql`${row.statusAt}::timestamptz`;
  // Keep what is stored: a success, on INACTIVE, or against a status older than the stored finish.
  const keepStored = sql`(deployments.status = 'success'
    or ${outcome} = 'inactive'
    or (${outcome} <> 'success' and deployments.finished_at is not null
      and ${statusAt} < deployments.finished_at))`;
  const inserted = await sql<{ id: number; status: DeploymentStatus }>`
    insert into deployments (source, external_id, repository_id, environment, sha, status, original_status,
      started_at, finished_at, created_at, updated_at)
    values (${row.source}, ${row.externalId}, ${row.repositoryId}, ${row.environment}, ${row.sha}, ${status},
      ${row.state}, ${row.startedAt}, ${finishedAt}, ${now}, ${now})
    on conflict (source, external_id) do update set
      repository_id = excluded.repository_id,
      environment = excluded.environment,
      sha = excluded.sha,
      started_at = excluded.started_at,
      status = case when ${keepStored} then deployments.status else excluded.status end,
      finished_at = case
        when deployments.status = 'success' and ${outcome} = 'success'
          then least(deployments.finished_at, excluded.finished_at)
        when ${keepStored} then deployments.finished_at
        else excluded.finished_at end,
      original_status = case
        when deployments.status <> 'success' and ${outcome} <> 'inactive' and ${keepStored}
          then deployments.original_status
        else excluded.original_status end,
      updated_at = excluded.updated_at
    returning id, status`.execute(db);
  const deployment = inserted.rows[0];
  if (!deployment) throw new Error(`deployment ${row.source}/${row.externalId} was not written`);
  await attributeEvents(db, { deployments: [deployment.id] });
  await linkIncidentsToCauses(db, { deploymentIds: [deployment.id] });
  return deployment;
}
