// GitHub Actions workflow runs → CI run attempts and jobs (pure).
import type { AppConfig } from '../../server/config/config.ts';
import type { CiBranchKind, CiConclusion, CiStatus, NewCiJob, NewCiRun } from '../../server/db/ci-tables.ts';
import { globMatcher } from './map.ts';

/** CI runs from GitHub Actions, keyed by the run id (attempts under it). */
export const ACTIONS_CI_SOURCE = 'github-actions';

/** A run, or one attempt of it, from `GET /repos/{owner}/{repo}/actions/runs[/{id}/attempts/{n}]`. */
export interface GithubActionsRun {
  id: number;
  name: string | null;
  path: string;
  head_branch: string | null;
  head_sha: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  run_attempt?: number;
  created_at: string;
  updated_at: string;
  run_started_at?: string | null;
  html_url?: string;
}

/** A job from `GET /repos/{owner}/{repo}/actions/runs/{id}/jobs?filter=all`. */
export interface GithubActionsJob {
  id: number;
  run_attempt?: number;
  name: string;
  status: string;
  conclusion: string | null;
  created_at?: string | null;
  started_at: string | null;
  completed_at: string | null;
}

/** Which runs count as CI, from `ci.github` and the deploy workflows of `sources.github.deployments`. */
export interface CiCollectionSettings {
  collect: boolean;
  jobs: boolean;
  backfillMs: number;
  isCi(run: Pick<GithubActionsRun, 'event' | 'name' | 'path'>): boolean;
}

export function ciCollectionSettings(config: AppConfig): CiCollectionSettings {
  const ci = config.org.ci.github;
  const events = new Set(ci.events);
  const included = ci.workflows?.map((pattern) => globMatcher(pattern)) ?? null;
  const excluded = ci.excludeWorkflows.map((pattern) => globMatcher(pattern));
  const deployWorkflows = new Set(
    (config.org.sources.github?.deployments ?? []).flatMap((entry) =>
      entry.workflow ? [entry.workflow.toLowerCase()] : [],
    ),
  );
  return {
    collect: ci.collect,
    jobs: ci.jobs,
    backfillMs: ci.backfillDays * 24 * 3_600_000,
    isCi(run) {
      const file = workflowFile(run.path);
      const names = [file, run.name ?? ''].filter((name) => name !== '');
      return (
        events.has(run.event) &&
        !deployWorkflows.has(file.toLowerCase()) &&
        !names.some((name) => excluded.some((pattern) => pattern.test(name))) &&
        (included === null || names.some((name) => included.some((pattern) => pattern.test(name))))
      );
    },
  };
}

const workflowFile = (path: string) => path.split('/').pop() ?? path;

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

export function ciStatus(status: string | null): CiStatus {
  if (status === 'completed') return 'completed';
  if (status === 'in_progress') return 'in_progress';
  // queued, waiting, requested, pending
  return 'queued';
}

/** GitHub's conclusions, normalised: a timeout or a start-up failure is red; waiting for approval is not. */
export function ciConclusion(conclusion: string | null): CiConclusion {
  switch (conclusion) {
    case 'success':
    case 'cancelled':
    case 'skipped':
    case 'failure':
      return conclusion;
    case 'timed_out':
    case 'startup_failure':
      return 'failure';
    default:
      // neutral, action_required, stale
      return 'neutral';
  }
}

const latest = (a: Date, b: Date) => (a > b ? a : b);

/**
 * One attempt of a run. Every attempt keeps the run's `created_at` (its creation: the run's time); only the
 * first was queued then — GitHub does not say when a re-run was queued. A completed attempt finished at its
 * last update.
 */
export function mapActionsRun(
  repositoryId: number,
  run: GithubActionsRun,
  defaultBranch: string | null,
): NewCiRun {
  const attempt = run.run_attempt ?? 1;
  const status = ciStatus(run.status);
  const startedAt = run.run_started_at ? new Date(run.run_started_at) : null;
  const updatedAt = new Date(run.updated_at);
  const conclusion = status === 'completed' ? ciConclusion(run.conclusion) : null;
  const branchKind: CiBranchKind = PULL_REQUEST_EVENTS.has(run.event)
    ? 'pull_request'
    : run.head_branch !== null && run.head_branch === defaultBranch
      ? 'default_branch'
      : 'other';
  return {
    source: ACTIONS_CI_SOURCE,
    externalId: String(run.id),
    attempt,
    repositoryId,
    pipeline: run.name ?? workflowFile(run.path),
    event: run.event,
    branch: run.head_branch,
    branchKind,
    sha: run.head_sha.toLowerCase(),
    status,
    conclusion,
    originalConclusion: status === 'completed' ? (run.conclusion ?? null) : null,
    runCreatedAt: new Date(run.created_at),
    queuedAt: attempt === 1 ? new Date(run.created_at) : null,
    startedAt,
    finishedAt: status === 'completed' ? (startedAt ? latest(startedAt, updatedAt) : updatedAt) : null,
    url: run.html_url ?? null,
    teamId: null,
    teamAttribution: null,
  };
}

export function mapActionsJob(job: GithubActionsJob): NewCiJob {
  const status = ciStatus(job.status);
  return {
    externalId: String(job.id),
    name: job.name,
    status,
    conclusion: status === 'completed' ? ciConclusion(job.conclusion) : null,
    queuedAt: job.created_at ? new Date(job.created_at) : null,
    startedAt: job.started_at ? new Date(job.started_at) : null,
    finishedAt: status === 'completed' && job.completed_at ? new Date(job.completed_at) : null,
  };
}
