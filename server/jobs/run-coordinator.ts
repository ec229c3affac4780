import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { RunCoordinator } from 'node-cron';
import { claimJob } from '../db/job-leases.repository.ts';
import type { Database } from '../db/tables.ts';

/** How long a scheduled occurrence stays claimed: far longer than the clock skew between workers. */
export const TICK_CLAIM_MS = 10 * 60_000;

/**
 * Elects one process per scheduled occurrence, for node-cron's `distributed` tasks: any number of servers
 * and `groundwork worker`s on one database fire the same cron tick, and only the one that claims the tick's
 * row (`tick:<task>:<slot>` in `collector_jobs`, one atomic statement, as every job lease) runs it. The job
 * lease still keeps two runs of a job from overlapping; this keeps one tick from running twice when a run
 * is over before another process's timer fires. Claims older than TICK_CLAIM_MS are swept as ticks pass.
 */
export function databaseRunCoordinator(db: Kysely<Database>): RunCoordinator {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  return {
    async shouldRun(key, ttlMs) {
      // Cron ticks follow the system clock, whatever GROUNDWORK_NOW pins for the data.
      const now = new Date();
      await db
        .deleteFrom('collectorJobs')
        .where('collector', 'like', 'tick:%')
        .where('leaseExpiresAt', '<', now)
        .execute();
      return claimJob(db, `tick:${key}`, owner, Math.max(ttlMs, TICK_CLAIM_MS), now);
    },
  };
}
