import { createHash } from 'node:crypto';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import { unattributedExternalIdsOf } from '../db/data-sources.repository.ts';
import { appendEventPayload, recordWebhookDelivery } from '../db/event-payloads.repository.ts';
import { applyGithubDeploymentStatus } from '../db/github-deployments.repository.ts';
import { inferIncidentCauses } from '../db/incidents.repository.ts';
import { GITHUB_SOURCE, mapDeploymentStatus } from './github-deployment-status.ts';
import type { IngestContext } from './push-events.service.ts';

export interface GithubDelivery {
  /** `X-GitHub-Delivery`: the same GUID on a redelivery. */
  deliveryId: string;
  /** `X-GitHub-Event`. */
  event: string;
  payload: unknown;
  rawJson: string;
}

export type GithubDeliveryResult =
  | { status: 'ignored' | 'duplicate'; event: string }
  | {
      status: 'accepted';
      event: string;
      deployment: { id: string; status: string; state: string };
      unattributed: boolean;
    };

/** The GitHub events Groundwork reads; every other event (ping, push, …) is acknowledged and ignored. */
const HANDLED_EVENTS = new Set(['deployment_status']);

/**
 * Applies a verified GitHub delivery. The delivery's GUID and the SHA-256 of its signed body are recorded in
 * the same transaction as its effect, so a redelivery of an applied delivery is a no-op, and one that failed
 * half-way can be redelivered. The GUID is not signed: a captured body replayed under a new GUID is still
 * recognised by its hash (two genuine deliveries never carry byte-identical bodies).
 */
export async function handleGithubDelivery(
  context: IngestContext,
  delivery: GithubDelivery,
): Promise<GithubDeliveryResult> {
  if (!HANDLED_EVENTS.has(delivery.event)) return { status: 'ignored', event: delivery.event };
  const status = mapDeploymentStatus(delivery.payload);
  const now = context.now();
  return context.db.transaction().execute(async (trx) => {
    const fresh = await recordWebhookDelivery(trx, {
      deliveryId: delivery.deliveryId,
      event: delivery.event,
      receivedAt: now,
      bodySha256: createHash('sha256').update(delivery.rawJson, 'utf8').digest('hex'),
    });
    if (!fresh) return { status: 'duplicate', event: delivery.event };
    const repositoryId = (await ensureRepositories(trx, [status.repository])).get(status.repository);
    if (repositoryId === undefined) throw new Error(`repository ${status.repository} was not written`);
    const deployment = await applyGithubDeploymentStatus(
      trx,
      {
        ...status,
        // As the GitHub collector names it, so the two keep writing the same row the same way.
        environment: context.environmentName?.(status.environment) ?? status.environment,
        source: GITHUB_SOURCE,
        repositoryId,
      },
      now,
    );
    await appendEventPayload(trx, {
      kind: delivery.event,
      source: GITHUB_SOURCE,
      receivedAt: now,
      authMethod: 'github-signature',
      tokenName: null,
      itemCount: 1,
      rawJson: delivery.rawJson,
    });
    await inferIncidentCauses(trx, context.causeRule, { deploymentIds: [deployment.id] });
    const unowned = await unattributedExternalIdsOf(trx, 'deployments', [deployment.id]);
    return {
      status: 'accepted',
      event: delivery.event,
      deployment: { id: status.externalId, status: deployment.status, state: status.state },
      unattributed: unowned.size > 0,
    };
  });
}
