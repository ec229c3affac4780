import type { ColumnType, Generated, Insertable } from 'kysely';
import type { TeamAttribution } from './tables.ts';

// The CI telemetry tables (migration 2026-12-07-60), part of `Database` in tables.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Pull-request runs and default-branch runs are measured apart; anything else is `other`. */
export type CiBranchKind = 'pull_request' | 'default_branch' | 'other';
export type CiStatus = 'queued' | 'in_progress' | 'completed';
/** Normalised: timed_out and startup_failure are failures; action_required and stale are neutral. */
export type CiConclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'neutral';

/** One attempt of a CI run; re-runs add attempts under the same (source, external id). */
export interface CiRunsTable {
  id: Generated<number>;
  source: string;
  externalId: string;
  attempt: number;
  repositoryId: number;
  pipeline: string;
  event: string;
  branch: string | null;
  branchKind: CiBranchKind;
  sha: string | null;
  status: CiStatus;
  conclusion: CiConclusion | null;
  originalConclusion: string | null;
  /** When the run's first attempt was created: the run's time for periods and ownership. */
  runCreatedAt: Timestamp;
  queuedAt: Timestamp | null;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  url: string | null;
  teamId: number | null;
  teamAttribution: TeamAttribution | null;
  createdAt: ColumnType<Date, Date | string, never>;
  updatedAt: Timestamp;
}

export interface CiJobsTable {
  id: Generated<number>;
  ciRunId: number;
  externalId: string;
  name: string;
  status: CiStatus;
  conclusion: CiConclusion | null;
  queuedAt: Timestamp | null;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
}

/** A run attempt as collectors and the push API write it. */
export type NewCiRun = Omit<Insertable<CiRunsTable>, 'createdAt' | 'updatedAt'>;
export type NewCiJob = Omit<Insertable<CiJobsTable>, 'ciRunId'>;
