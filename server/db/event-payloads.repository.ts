import type { Kysely } from 'kysely';
import type { Database, PayloadAuthMethod } from './tables.ts';

export interface AcceptedPayload {
  /** `deployments` or `incidents` (our API), or the GitHub event name. */
  kind: string;
  source: string;
  receivedAt: Date;
  authMethod: PayloadAuthMethod;
  tokenName: string | null;
  itemCount: number;
  /** The raw JSON text as received. */
  rawJson: string;
}

/** Appends an accepted payload to the log metrics can be recomputed from; rows are never updated. */
export async function appendEventPayload(db: Kysely<Database>, payload: AcceptedPayload): Promise<void> {
  const { rawJson, ...row } = payload;
  await db
    .insertInto('eventPayloads')
    .values({ ...row, payload: rawJson })
    .execute();
}

/**
 * Records a webhook delivery by its GUID and body hash; false when it was recorded before (a redelivery). Call it in the
 * transaction that applies the delivery, so a failed delivery is not remembered and can be redelivered.
 */
export async function recordWebhookDelivery(
  db: Kysely<Database>,
  delivery: { deliveryId: string; event: string; receivedAt: Date; bodySha256: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('webhookDeliveries')
    .values(delivery)
    // Either the same GUID or the same signed body: both unique, either conflict is a duplicate.
    .onConflict((oc) => oc.doNothing())
    .returning('deliveryId')
    .executeTakeFirst();
  return inserted !== undefined;
}
