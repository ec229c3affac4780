import { ensureRepositories } from '../db/code-repositories.repository.ts';
import {
  ciRunKey,
  repositoryDefaultBranches,
  unattributedCiRuns,
  upsertCiJobs,
  upsertCiRuns,
} from '../db/ci-runs.repository.ts';
import { appendEventPayload } from '../db/event-payloads.repository.ts';
import { teamIdsBySlug } from '../db/teams.repository.ts';
import { mapCiRunEvents } from './ci-run-events.ts';
import type { CiRunEvent } from './ci-run-events.ts';
import { API_SOURCE } from './event-fields.ts';
import type { IngestContext, IngestResult, PushRequest } from './push-events.service.ts';

/**
 * Writes a batch of pushed CI run attempts in one transaction — repositories, attempts, their jobs, the raw
 * payload — so a batch is all or nothing. Attempts are upserted on (pipelineId, attempt): the same batch again
 * updates in place and counts nothing twice.
 */
export async function ingestCiRuns(
  context: IngestContext,
  request: PushRequest<CiRunEvent>,
): Promise<IngestResult> {
  const teamIds = await teamIdsBySlug(
    context.db,
    request.events.flatMap((e) => (e.team ? [e.team] : [])),
  );
  const defaultBranches = await repositoryDefaultBranches(
    context.db,
    request.events.map((e) => e.repository.toLowerCase()),
  );
  // A bad item throws before anything is written.
  const rows = mapCiRunEvents(request.events, teamIds, (repository) => defaultBranches.get(repository));
  const now = context.now();
  return context.db.transaction().execute(async (trx) => {
    const repositoryIds = await ensureRepositories(
      trx,
      rows.map((row) => row.repository),
    );
    const ids = await upsertCiRuns(
      trx,
      rows.map(({ repository, jobs: _jobs, ...row }) => ({
        ...row,
        repositoryId: repositoryIds.get(repository) as number,
      })),
      now,
    );
    await upsertCiJobs(
      trx,
      rows.flatMap((row) =>
        row.jobs.map((job) => ({
          ...job,
          ciRunId: ids.get(ciRunKey(API_SOURCE, row.externalId, row.attempt)) as number,
        })),
      ),
    );
    await appendEventPayload(trx, {
      kind: 'ci-runs',
      source: API_SOURCE,
      receivedAt: now,
      authMethod: request.auth.method,
      tokenName: request.auth.tokenName,
      itemCount: request.events.length,
      rawJson: request.rawJson,
    });
    const unowned = await unattributedCiRuns(
      trx,
      API_SOURCE,
      rows.map((row) => row.externalId),
    );
    return {
      accepted: request.events.length,
      unattributed: request.events.flatMap((e, index) =>
        unowned.has(e.pipelineId) ? [{ index, id: e.pipelineId }] : [],
      ),
    };
  });
}
