import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import {
  abandonRunningRuns,
  finishCollectorRun,
  startCollectorRun,
} from '../../server/db/collector-state.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import { claimJobLease } from '../../server/jobs/job-lease.ts';

export { LEASE_MS, LeaseLostError } from '../../server/jobs/job-lease.ts';

/**
 * One collector run under the collector's job lease (server/jobs/job-lease.ts), the bookkeeping every
 * collector shares: claim the job, close runs a crashed process left `running`, record the run in
 * `collector_runs`, do the work, record how it ended, release the job.
 */

export interface RunWork {
  runId: number;
  /** Counts the work adds to as it goes; recorded even when it fails half-way. */
  counts: Record<string, number>;
  /** API cost spent so far; recorded when the work fails half-way (the outcome's figure otherwise). */
  costPoints: number;
  /** Extends the lease; call it between pages. Throws LeaseLostError when another run took the job. */
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
  /** Why a run was refused while another holds the job; a generic sentence by default. */
  busyReason?: string;
  work: (run: RunWork) => Promise<WorkOutcome>;
}

/** Claims the job and records the run; the work goes on in `finished` (what an API answers 202 for). */
export async function startLeasedRun(spec: LeasedRunSpec): Promise<LeasedRunStart> {
  const { db, clock, collector } = spec;
  const lease = await claimJobLease({ db, clock, job: collector });
  if (!lease) {
    return { started: false, reason: spec.busyReason ?? `another ${collector} collector run holds the job` };
  }
  let runId: number;
  try {
    // A run still marked running holds no lease any more: its process died (kill -9) mid-sync.
    await abandonRunningRuns(db, collector, clock.now());
    runId = await startCollectorRun(db, collector, spec.scope, clock.now());
    await lease.renew(runId);
  } catch (error) {
    await lease.release();
    throw error;
  }
  const run: RunWork = { runId, counts: {}, costPoints: 0, renew: () => lease.renew(runId) };
  const finished = (async (): Promise<LeasedRunResult> => {
    try {
      let outcome: WorkOutcome;
      try {
        outcome = await spec.work(run);
      } catch (error) {
        // Aborted, or the source or database failed: what was written stays with its cursor, and the next
        // run resumes from there.
        await finishCollectorRun(
          db,
          runId,
          {
            status: 'failed',
            itemCounts: { ...run.counts },
            costPoints: run.costPoints,
            error: message(error),
          },
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
      const itemCounts = { ...run.counts };
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
      await lease.release();
    }
  })();
  return { started: true, runId, finished };
}

/** Runs to the end: what the CLI and tests use. */
export async function runLeased(spec: LeasedRunSpec): Promise<LeasedRunResult> {
  const start = await startLeasedRun(spec);
  return start.started ? start.finished : start;
}

export const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
