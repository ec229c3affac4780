import type { Kysely } from 'kysely';
import type { RequestAuth } from '../auth/require-scope.ts';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import { upsertCommits } from '../db/commits.repository.ts';
import { unattributedExternalIdsOf } from '../db/data-sources.repository.ts';
import { deploymentKey, linkDeploymentCommits, upsertDeployments } from '../db/deployments.repository.ts';
import { appendEventPayload } from '../db/event-payloads.repository.ts';
import { inferIncidentCauses, upsertIncidents } from '../db/incidents.repository.ts';
import type { IncidentCauseRule } from '../db/incidents.repository.ts';
import type { Database } from '../db/tables.ts';
import { teamIdsBySlug } from '../db/teams.repository.ts';
import { mapDeploymentEvents } from './deployment-events.ts';
import type { DeploymentEvent } from './deployment-events.ts';
import { API_SOURCE } from './event-fields.ts';
import { assertNoStaleReopen, mapIncidentEvents } from './incident-events.ts';
import type { IncidentEvent } from './incident-events.ts';

export interface IngestContext {
  db: Kysely<Database>;
  now: () => Date;
  causeRule: IncidentCauseRule;
  /** A GitHub environment name as configured (case-insensitive, `environmentAliases`). */
  environmentName?: (name: string) => string;
}

/** What a push request delivered: its events, who sent it, and the raw JSON kept for recomputation. */
export interface PushRequest<Event> {
  events: readonly Event[];
  auth: RequestAuth;
  rawJson: string;
}

export interface IngestResult {
  accepted: number;
  unattributed: { index: number; id: string }[];
}

function idOf(ids: ReadonlyMap<string, number>, key: string, what: string): number {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`${what} was not written`);
  return id;
}

/**
 * Writes a batch of pushed deployments in one transaction — repositories, shipped commits, deployments,
 * their commit links, the raw payload, then incident causes — so a batch is all or nothing. Every write is an
 * upsert on a natural key: the same batch again updates in place and counts nothing twice.
 */
export async function ingestDeployments(
  context: IngestContext,
  request: PushRequest<DeploymentEvent>,
): Promise<IngestResult> {
  const teamIds = await teamIdsBySlug(
    context.db,
    request.events.flatMap((e) => (e.team ? [e.team] : [])),
  );
  const mapped = mapDeploymentEvents(request.events, teamIds); // a bad item throws before anything is written
  const now = context.now();
  return context.db.transaction().execute(async (trx) => {
    const repositoryIds = await ensureRepositories(trx, [
      ...mapped.deployments.flatMap((d) => (d.repository ? [d.repository] : [])),
      ...mapped.commits.map((c) => c.repository),
    ]);
    await upsertCommits(
      trx,
      mapped.commits.map(({ repository, ...commit }) => ({
        ...commit,
        repositoryId: idOf(repositoryIds, repository, `repository ${repository}`),
      })),
    );
    const deploymentIds = await upsertDeployments(
      trx,
      mapped.deployments.map(({ repository, ...deployment }) => ({
        ...deployment,
        repositoryId: repository ? idOf(repositoryIds, repository, `repository ${repository}`) : null,
      })),
      now,
    );
    await linkDeploymentCommits(
      trx,
      mapped.links.map((link) => ({
        deploymentId: idOf(
          deploymentIds,
          deploymentKey(API_SOURCE, link.externalId),
          `deployment ${link.externalId}`,
        ),
        repositoryId: idOf(repositoryIds, link.repository, `repository ${link.repository}`),
        sha: link.sha,
      })),
    );
    await appendEventPayload(trx, payloadRow('deployments', request, now));
    const ids = [...deploymentIds.values()];
    await inferIncidentCauses(trx, context.causeRule, { deploymentIds: ids });
    return resultOf(trx, 'deployments', request.events, ids);
  });
}

/**
 * Writes a batch of pushed incidents in one transaction: the incidents (an incident sent again gains its
 * `resolvedAt` in place), the raw payload, then their causes — explicit when they name a deployment, else
 * inferred when configured.
 */
export async function ingestIncidents(
  context: IngestContext,
  request: PushRequest<IncidentEvent>,
): Promise<IngestResult> {
  const teamIds = await teamIdsBySlug(
    context.db,
    request.events.flatMap((e) => (e.team ? [e.team] : [])),
  );
  const incidents = mapIncidentEvents(request.events, teamIds);
  const now = context.now();
  return context.db.transaction().execute(async (trx) => {
    assertNoStaleReopen(request.events, await storedResolutions(trx, request.events));
    const incidentIds = await upsertIncidents(trx, incidents, now);
    await appendEventPayload(trx, payloadRow('incidents', request, now));
    await inferIncidentCauses(trx, context.causeRule, { incidentIds });
    return resultOf(trx, 'incidents', request.events, incidentIds);
  });
}

function payloadRow(kind: 'deployments' | 'incidents', request: PushRequest<unknown>, receivedAt: Date) {
  return {
    kind,
    source: API_SOURCE,
    receivedAt,
    authMethod: request.auth.method,
    tokenName: request.auth.tokenName,
    itemCount: request.events.length,
    rawJson: request.rawJson,
  };
}

/** `ids`: the rows the batch wrote (every event's, under API_SOURCE). */
async function resultOf(
  db: Kysely<Database>,
  table: 'deployments' | 'incidents',
  events: readonly { id: string }[],
  ids: readonly number[],
): Promise<IngestResult> {
  const unowned = await unattributedExternalIdsOf(db, table, ids);
  return {
    accepted: events.length,
    unattributed: events.flatMap((e, index) => (unowned.has(e.id) ? [{ index, id: e.id }] : [])),
  };
}

/** The resolution times stored for the pushed incidents that are resolved now, by their external id. */
async function storedResolutions(
  db: Kysely<Database>,
  events: readonly IncidentEvent[],
): Promise<Map<string, Date>> {
  const open = events.filter((event) => !event.resolvedAt).map((event) => event.id);
  if (open.length === 0) return new Map();
  const rows = await db
    .selectFrom('incidents')
    .select(['externalId', 'resolvedAt'])
    .where('source', '=', API_SOURCE)
    .where('externalId', 'in', open)
    .where('resolvedAt', 'is not', null)
    .forUpdate()
    .execute();
  return new Map(rows.flatMap((row) => (row.resolvedAt ? [[row.externalId, row.resolvedAt] as const] : [])));
}
