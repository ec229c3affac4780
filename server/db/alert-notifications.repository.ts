import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface NotificationRow {
  id: number;
  deliveryId: string;
  alertId: number | null;
  channel: string;
  kind: string;
  payload: unknown;
  attempts: number;
}

export async function enqueueNotification(
  db: Kysely<Database>,
  notification: {
    deliveryId: string;
    alertId: number | null;
    channel: string;
    kind: string;
    payload: unknown;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto('alertNotifications')
    .values({
      deliveryId: notification.deliveryId,
      alertId: notification.alertId,
      channel: notification.channel,
      kind: notification.kind,
      payload: JSON.stringify(notification.payload),
      status: 'pending',
      nextAttemptAt: notification.now,
      createdAt: notification.now,
    })
    .execute();
}

/** Pending notifications whose next attempt is due, oldest first. Call it holding the outbox job's lease. */
export async function dueNotifications(
  db: Kysely<Database>,
  now: Date,
  limit: number,
): Promise<NotificationRow[]> {
  return db
    .selectFrom('alertNotifications')
    .select(['id', 'deliveryId', 'alertId', 'channel', 'kind', 'payload', 'attempts'])
    .where('status', '=', 'pending')
    .where('nextAttemptAt', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Records an attempt before it is made (committed on its own), so a crash mid-send still counts it. */
export async function claimNotification(db: Kysely<Database>, id: number, now: Date): Promise<void> {
  await db
    .updateTable('alertNotifications')
    .set({ attempts: sql`attempts + 1`, claimedAt: now })
    .where('id', '=', id)
    .execute();
}

export async function markNotificationDelivered(db: Kysely<Database>, id: number, now: Date): Promise<void> {
  await db
    .updateTable('alertNotifications')
    .set({ status: 'delivered', deliveredAt: now, lastError: null })
    .where('id', '=', id)
    .execute();
}

export async function markNotificationFailed(
  db: Kysely<Database>,
  id: number,
  failure: { error: string; nextAttemptAt: Date },
): Promise<void> {
  await db
    .updateTable('alertNotifications')
    .set({ lastError: failure.error, nextAttemptAt: failure.nextAttemptAt })
    .where('id', '=', id)
    .execute();
}

export interface NotificationStatusRow {
  deliveryId: string;
  alertId: number | null;
  channel: string;
  kind: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
}

export async function notificationsFor(
  db: Kysely<Database>,
  alertIds: readonly number[],
): Promise<NotificationStatusRow[]> {
  if (alertIds.length === 0) return [];
  return db
    .selectFrom('alertNotifications')
    .select([
      'deliveryId',
      'alertId',
      'channel',
      'kind',
      'status',
      'attempts',
      'lastError',
      'nextAttemptAt',
      'deliveredAt',
    ])
    .where('alertId', 'in', [...alertIds])
    .orderBy('id')
    .execute();
}
