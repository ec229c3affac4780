import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import {
  abandonRunningRuns,
  claimCollectorJob,
  collectorJobHolder,
  finishCollectorRun,
  releaseCollectorJob,
  renewCollectorJob,
  startCollectorRun,
  takeOverCollectorJob,
} from '../../server/db/collector-state.repository.ts';
import type { Database } from '../../server/db/tables.ts';

/**
 * One collector run under the collector's job lease (migration 2026-11-25-05), for collectors that follow the
 * GitHub collector's contract: claim the job atomically (a lease held by a dead process on this host is taken
 * over at once), close runs a crashed process left `running`, record the run in `collector_runs`, do the work,
 * record how it ended, release the job.
 */

/** A run holds the lease this long and renews it as it goes; a crashed run frees it then. */
export const LEASE_MS = 15 * 60_000;

export interface RunWork {
  runId: number;
  /** Counts the work adds to as it goes; recorded even when it fails half-way. */
  counts: Record<string, number>;
  /** Extends the lease; call it between pages. */
  renew(): Promise<void>;
}

export interface WorkOutcome {
  /** Problems that did not stop the run (one queue failing while the others went on). */
  errors: string[];
  /** Whether anything was synced despite the errors: `partial` rather than `failed`. */
  progressed: boolean;
  costPoints: number;
}

export type LeasedRunResult =
  | { started: false; reason: string }
  | {
      started: true;
      runId: number;
      status: 'success' | 'partial' | 'failed';
      itemCounts: Record<string, number>;
      costPoints: number;
      errors: string[];
    };

export type LeasedRunStart =
  { started: false; reason: string } | { started: true; runId: number; finished: Promise<LeasedRunResult> };

export interface LeasedRunSpec {
  db: Kysely<Database>;
  clock: Clock;
  collector: string;
  /** What the run covers, for `collector_runs.scope` (`*` for everything configured). */
  scope: string;
  work: (run: RunWork) => Promise<WorkOutcome>;
}

/** Claims the job and records the run; the work goes on in `finished` (what an API answers 202 for). */
export async function startLeasedRun(spec: LeasedRunSpec): Promise<LeasedRunStart> {
  const { db, clock, collector } = spec;
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  if (!(await claimJob(spec, owner))) {
    return { started: false, reason: `another ${collector} collector run holds the job` };
  }
  let runId: number;
  try {
    await abandonRunningRuns(db, collector, clock.now());
    runId = await startCollectorRun(db, collector, spec.scope, clock.now());
    await renewCollectorJob(db, collector, owner, LEASE_MS, clock.now(), runId);
  } catch (error) {
    await releaseCollectorJob(db, collector, owner, clock.now());
    throw error;
  }
  const counts: Record<string, number> = {};
  const renew = async () => {
    await renewCollectorJob(db, collector, owner, LEASE_MS, clock.now(), runId);
  };
  const finished = (async (): Promise<LeasedRunResult> => {
    try {
      let outcome: WorkOutcome;
      try {
        outcome = await spec.work({ runId, counts, renew });
      } catch (error) {
        // Aborted, or the source or database failed: what was written stays with its cursor, and the next
        // run resumes from there.
        await finishCollectorRun(
          db,
          runId,
          { status: 'failed', itemCounts: { ...counts }, costPoints: 0, error: message(error) },
          clock.now(),
        );
        throw error;
      }
      const status =
        outcome.errors.length === 0
          ? 'success'
          : outcome.progressed
            ? ('partial' as const)
            : ('failed' as const);
      const error = outcome.errors.length > 0 ? outcome.errors.join('\n') : null;
      const itemCounts = { ...counts };
      await finishCollectorRun(
        db,
        runId,
        { status, itemCounts, costPoints: outcome.costPoints, error },
        clock.now(),
      );
      return {
        started: true,
        runId,
        status,
        itemCounts,
        costPoints: outcome.costPoints,
        errors: outcome.errors,
      };
    } finally {
      await releaseCollectorJob(db, collector, owner, clock.now());
    }
  })();
  return { started: true, runId, finished };
}

/** Runs to the end: what the CLI and tests use. */
export async function runLeased(spec: LeasedRunSpec): Promise<LeasedRunResult> {
  const start = await startLeasedRun(spec);
  return start.started ? start.finished : start;
}

async function claimJob(spec: LeasedRunSpec, owner: string): Promise<boolean> {
  const { db, clock, collector } = spec;
  if (await claimCollectorJob(db, collector, owner, LEASE_MS, clock.now())) return true;
  const holder = await collectorJobHolder(db, collector, clock.now());
  const [host, pid] = holder?.split(':') ?? [];
  if (!holder || host !== hostname() || !pid || isAlive(Number(pid))) return false;
  return takeOverCollectorJob(db, collector, holder, owner, LEASE_MS, clock.now());
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
