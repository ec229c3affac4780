import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import { LEAD_TIME_DEFINITION } from '../metrics/lead-time-facts.ts';
import type { Period } from '../metrics/period.ts';

/**
 * The metric definitions stored figures were computed by. Bump it when any delivery metric's definition
 * changes (lead time has its own version, part of this one): figures stored under another are recomputed.
 */
export const METRICS_DEFINITION = `delivery-v1+${LEAD_TIME_DEFINITION}`;

/** CI time to green looks back this far before a period for red stretches already open (ci.metric.ts). */
const LOOKBACK_DAYS = 31;

/** SQLSTATE of a write on a read-only connection (a read replica). */
const READ_ONLY_TRANSACTION = '25006';

export interface StoredFiguresRequest<T> {
  /** What is computed, with every input besides the data that changes the result (options, benchmark). */
  key: unknown[];
  period: Period;
  compute: () => Promise<T>;
  encode: (value: T) => unknown;
  decode: (stored: unknown) => T;
  /** The metric definitions' version; a test may pass another. */
  definition?: string;
}

/**
 * A closed period's figures (issue #17), stored and reused across requests and server restarts until a late
 * event lands in the period: each stored result keeps the stamp of the writes logged for the period's months
 * (`delivery_month_writes`, kept by triggers in every writing transaction, migration 2026-12-08-70), and is
 * recomputed when that stamp has moved or the metric definitions changed. The stamp is read before
 * computing, so a write landing during the computation leaves an old stamp next to the result (recomputed
 * on the next read), never a new stamp next to an outdated result. Lead time's facts must be refreshed
 * before (their refresh is what logs late commits and pull requests).
 */
export async function storedFigures<T>(
  db: Kysely<Database>,
  primary: Kysely<Database>,
  request: StoredFiguresRequest<T>,
): Promise<T> {
  const key = createHash('sha256')
    .update(JSON.stringify([request.definition ?? METRICS_DEFINITION, ...request.key]))
    .digest('hex');
  const stamp = await monthsStamp(db, request.period);
  const stored = await sql<{ stamp: string; figures: unknown }>`
    select stamp, figures from closed_period_figures where key = ${key}`.execute(db);
  if (stored.rows[0]?.stamp === stamp) return request.decode(stored.rows[0].figures);
  const value = await request.compute();
  // Written on the primary (`db` may be a read replica), under the stamp the replica's data had.
  try {
    await sql`
      insert into closed_period_figures (key, stamp, figures, computed_at)
      values (${key}, ${stamp}, ${JSON.stringify(request.encode(value))}::jsonb, now())
      on conflict (key) do update
        set stamp = excluded.stamp, figures = excluded.figures, computed_at = excluded.computed_at`.execute(
      primary,
    );
  } catch (error) {
    // A handle that refuses writes (no primary given) serves the figures it computed without storing them.
    if ((error as { code?: string }).code !== READ_ONLY_TRANSACTION) throw error;
  }
  return value;
}

/** Moves with every committed write logged for a month the period (or its CI lookback) touches. */
async function monthsStamp(db: Kysely<Database>, period: Period): Promise<string> {
  const from = new Date(period.from.getTime() - LOOKBACK_DAYS * 86_400_000);
  const result = await sql<{ stamp: string }>`
    select count(*)::text || ':' || coalesce(max(id), 0)::text as stamp
    from delivery_month_writes
    where month is null or (month >= date_trunc('month', ${from}::timestamptz at time zone 'UTC')::date
      and month < (${period.to}::timestamptz at time zone 'UTC'))`.execute(db);
  return result.rows[0]?.stamp ?? '';
}
