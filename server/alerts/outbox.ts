import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { AlertChannel } from '../config/alerts-config.ts';
import { sha256Signature } from '../auth/signatures.ts';
import {
  claimNotification,
  dueNotifications,
  markNotificationDelivered,
  markNotificationFailed,
} from '../db/alert-notifications.repository.ts';
import type { NotificationRow } from '../db/alert-notifications.repository.ts';
import type { Database } from '../db/tables.ts';
import { runUnderLease } from '../jobs/job-lease.ts';
import { slackBody } from './notification-payloads.ts';
import type { AlertMessage } from './notification-payloads.ts';

export const OUTBOX_JOB = 'alerts-outbox';

const tracer = trace.getTracer('groundwork.alerts');

/** A receiver that does not answer within this long counts as a failed attempt. */
const SEND_TIMEOUT_MS = 10_000;
/** Retries back off from 30 s, doubling, to at most an hour: a receiver down for hours still gets it. */
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;

export interface OutboxContext {
  db: Kysely<Database>;
  clock: Clock;
  channels: readonly AlertChannel[];
}

export interface DrainResult {
  delivered: number;
  failed: { deliveryId: string; channel: string; error: string }[];
}

/** When the next attempt is due after `attempts` failed ones. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/**
 * Delivers the due notifications under the outbox job's lease, oldest first. Each attempt is recorded before
 * it is made; a 2xx marks the notification delivered, anything else (a refusal, a timeout, no URL) records
 * the error and backs off. Every attempt carries the same X-Groundwork-Delivery id, so a receiver drops a
 * repeat: one that got a delivery whose acknowledgement a server kill lost sees the same id again.
 */
export async function drainOutbox(
  ctx: OutboxContext,
  options: { limit?: number } = {},
): Promise<{ ran: false; reason: string } | { ran: true; result: DrainResult }> {
  // Most minutes nothing is due: look first, so an idle outbox takes no lease. The lease is a write, and a
  // write every minute moved the data version every shared figure and kept answer is keyed on.
  if ((await dueNotifications(ctx.db, ctx.clock.now(), 1)).length === 0) {
    return { ran: true, result: { delivered: 0, failed: [] } };
  }
  const outcome = await runUnderLease({ db: ctx.db, clock: ctx.clock, job: OUTBOX_JOB }, async (lease) => {
    const result: DrainResult = { delivered: 0, failed: [] };
    for (const row of await dueNotifications(ctx.db, ctx.clock.now(), options.limit ?? 100)) {
      await claimNotification(ctx.db, row.id, ctx.clock.now());
      const error = await tracedSend(ctx.channels, row);
      if (error === null) {
        await markNotificationDelivered(ctx.db, row.id, ctx.clock.now());
        result.delivered++;
      } else {
        const attempts = row.attempts + 1;
        await markNotificationFailed(ctx.db, row.id, {
          error: `attempt ${attempts}: ${error}`,
          nextAttemptAt: new Date(ctx.clock.now().getTime() + retryDelayMs(attempts)),
        });
        result.failed.push({ deliveryId: row.deliveryId, channel: row.channel, error });
      }
      await lease.renew();
    }
    return result;
  });
  return outcome.ran ? { ran: true, result: outcome.value } : outcome;
}

/**
 * One span per delivery attempt (`alerts.delivery`): the channel, its type, the attempt, the delivery id and
 * the outcome, with why it failed. Never the URL or the secret: they stay in the channel, and the errors
 * postToChannel gives name neither.
 */
function tracedSend(channels: readonly AlertChannel[], row: NotificationRow): Promise<string | null> {
  const channel = channels.find((candidate) => candidate.name === row.channel);
  return tracer.startActiveSpan(
    'alerts.delivery',
    {
      attributes: {
        'groundwork.alert.delivery_id': row.deliveryId,
        'groundwork.alert.channel': row.channel,
        'groundwork.alert.channel_type': channel?.type ?? 'unknown',
        'groundwork.alert.notification': row.kind,
        'groundwork.alert.attempt': row.attempts + 1,
        ...(row.alertId === null ? {} : { 'groundwork.alert.id': row.alertId }),
      },
    },
    async (span) => {
      try {
        const error = await send(channels, row);
        span.setAttribute('groundwork.alert.outcome', error === null ? 'delivered' : 'failed');
        if (error !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
        return error;
      } catch (error) {
        span.setAttribute('groundwork.alert.outcome', 'failed');
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Sends one notification; null when the receiver accepted it, else why not. */
async function send(channels: readonly AlertChannel[], row: NotificationRow): Promise<string | null> {
  const channel = channels.find((candidate) => candidate.name === row.channel);
  if (!channel) return `no channel "${row.channel}" in alerts.channels`;
  return postToChannel(channel, row.deliveryId, row.payload as AlertMessage);
}

/** One POST to a channel; null when the receiver answered 2xx, else why not (never the URL: it is a secret). */
export async function postToChannel(
  channel: AlertChannel,
  deliveryId: string,
  message: AlertMessage,
): Promise<string | null> {
  if (!channel.url) return `${channel.urlEnv} is not set`;
  const request = channelRequest(channel, deliveryId, message);
  if (typeof request === 'string') return request;
  try {
    const response = await fetch(channel.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.arrayBuffer(); // let the connection be reused
    return response.ok ? null : `${channel.type} receiver answered ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return `${channel.type} receiver unreachable (${cause ?? (error as Error).name})`;
  }
}

/**
 * The body and headers for a channel. Slack gets Block Kit; the generic webhook gets the message as JSON,
 * signed like signed ingest: `X-Groundwork-Signature: sha256=HMAC(secret, "<timestamp>.<body>")` with the
 * Unix timestamp in `X-Groundwork-Timestamp`, so a receiver can refuse stale replays.
 */
export function channelRequest(
  channel: AlertChannel,
  deliveryId: string,
  message: AlertMessage,
  now: Date = new Date(),
): { headers: Record<string, string>; body: string } | string {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Groundwork-Alerts',
    'x-groundwork-delivery': deliveryId,
  };
  if (channel.type === 'slack') return { headers, body: JSON.stringify(slackBody(message)) };
  if (!channel.secret) return `${channel.secretEnv ?? 'the webhook secret'} is not set`;
  const body = JSON.stringify({ deliveryId, ...message });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  headers['x-groundwork-timestamp'] = timestamp;
  headers['x-groundwork-signature'] = sha256Signature(channel.secret, `${timestamp}.${body}`);
  return { headers, body };
}
