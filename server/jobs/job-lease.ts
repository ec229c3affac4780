import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { claimJob, jobHolder, releaseJob, renewJob, takeOverJob } from '../db/job-leases.repository.ts';
import type { Database } from '../db/tables.ts';

/**
 * The one job lease: a scheduled run and a manual one, or two servers on one database, never run the same
 * job at once. Collectors, the alert evaluator and the alert outbox drain all take it. A lease is a row
 * claimed with an atomic statement and an expiry (advisory locks would not do: PGlite has a single session,
 * where every lock is already "ours"); a holder renews it as it goes, so only a holder that stopped loses it.
 */

/** A job holds its lease this long past its last renewal: a crashed holder's lease runs out then. */
export const LEASE_MS = 15 * 60_000;

/** The job lost its lease (it expired and another holder claimed the job): it stops at once. */
export class LeaseLostError extends Error {
  constructor(readonly job: string) {
    super('the run lost its job lease to another run');
    this.name = 'LeaseLostError';
  }
}

export interface JobLease {
  readonly job: string;
  /** `host:pid:uuid`, so a later claimant on this host can tell a dead holder from a live one. */
  readonly owner: string;
  /** Extends the lease (and records the run it is for); throws LeaseLostError when it was lost. */
  renew(runId?: number | null): Promise<void>;
  release(): Promise<void>;
}

export interface JobLeaseOptions {
  db: Kysely<Database>;
  clock: Clock;
  job: string;
  leaseMs?: number;
}

/**
 * Claims the job; a lease whose holder was a process on this host that no longer exists (killed mid-run) is
 * taken over at once rather than after it expires. Null when a live holder has it.
 */
export async function claimJobLease(options: JobLeaseOptions): Promise<JobLease | null> {
  const { db, clock, job } = options;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  if (!(await claimJob(db, job, owner, leaseMs, clock.now()))) {
    const holder = await jobHolder(db, job, clock.now());
    const [host, pid] = holder?.split(':') ?? [];
    if (!holder || host !== hostname() || !pid || isAlive(Number(pid))) return null;
    if (!(await takeOverJob(db, job, holder, owner, leaseMs, clock.now()))) return null;
  }
  return {
    job,
    owner,
    async renew(runId = null) {
      if (!(await renewJob(db, job, owner, leaseMs, clock.now(), runId))) throw new LeaseLostError(job);
    },
    release: () => releaseJob(db, job, owner, clock.now()),
  };
}

export type LeasedJobResult<T> = { ran: false; reason: string } | { ran: true; value: T };

/** Runs `work` holding the job's lease, released afterwards whatever happens; refused while another holds it. */
export async function runUnderLease<T>(
  options: JobLeaseOptions,
  work: (lease: JobLease) => Promise<T>,
): Promise<LeasedJobResult<T>> {
  const lease = await claimJobLease(options);
  if (!lease) return { ran: false, reason: `another ${options.job} run holds the job` };
  try {
    return { ran: true, value: await work(lease) };
  } finally {
    await lease.release();
  }
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
