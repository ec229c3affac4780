import type { NewDeployment } from '../server/db/tables.ts';

/**
 * A successful production deployment as a push stores it (source `api`, no team sent, attributed later),
 * started and finished at `finishedAt`; `fields` sets the rest (repository, service, sha…).
 */
export function pushedDeployment(
  externalId: string,
  finishedAt: Date,
  fields: Partial<NewDeployment> = {},
): NewDeployment {
  return {
    source: 'api',
    externalId,
    repositoryId: null,
    service: null,
    environment: 'production',
    sha: null,
    status: 'success',
    originalStatus: 'success',
    startedAt: finishedAt,
    finishedAt,
    teamId: null,
    teamAttribution: null,
    ...fields,
  };
}
