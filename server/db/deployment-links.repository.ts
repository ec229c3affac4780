import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface DeploymentToLink {
  id: number;
  sha: string;
  environment: string;
  /** The commit the previous successful deployment to the same environment shipped; null for the first. */
  previousSha: string | null;
}

/**
 * Successful deployments of `source` in one repository and environments that have no shipped commits
 * recorded yet, oldest finish first, each with its predecessor's commit: the latest other successful
 * deployment of the same repository and environment that finished before it (ties by id).
 */
export async function deploymentsWithoutCommits(
  db: Kysely<Database>,
  options: { source: string; repositoryId: number; environments: readonly string[] },
): Promise<DeploymentToLink[]> {
  if (options.environments.length === 0) return [];
  const rows = await sql<DeploymentToLink>`
    select d.id, d.sha, d.environment, (
      select p.sha from deployments p
      where p.repository_id = d.repository_id and p.environment = d.environment and p.status = 'success'
        and p.finished_at is not null and p.sha is not null
        and (p.finished_at < d.finished_at or (p.finished_at = d.finished_at and p.id < d.id))
      order by p.finished_at desc, p.id desc limit 1) as previous_sha
    from deployments d
    where d.source = ${options.source} and d.repository_id = ${options.repositoryId}
      and d.status = 'success' and d.finished_at is not null and d.sha is not null
      and d.environment in (${sql.join(options.environments)})
      and not exists (select 1 from deployment_commits dc where dc.deployment_id = d.id)
    order by d.finished_at, d.id`.execute(db);
  return rows.rows;
}
