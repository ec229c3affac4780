import Type from 'typebox';
import type { Static } from 'typebox';
import Value from 'typebox/value';
import type { DeploymentStatus } from '../db/tables.ts';
import { AppError } from '../errors.ts';
import { keyPath } from '../config/schema-errors.ts';

/** Deployments from GitHub's webhook share the GitHub collector's source and key, so neither double-counts. */
export const GITHUB_SOURCE = 'github';

/** The parts of a `deployment_status` delivery we read; GitHub sends much more, which is ignored. */
const DeploymentStatusPayload = Type.Object({
  deployment_status: Type.Object({ state: Type.String(), created_at: Type.String({ format: 'date-time' }) }),
  deployment: Type.Object({
    id: Type.Integer({ description: 'the databaseId' }),
    sha: Type.String({ pattern: '^[0-9a-fA-F]{7,64}$' }),
    environment: Type.String({ minLength: 1 }),
    created_at: Type.String({ format: 'date-time' }),
  }),
  repository: Type.Object({ full_name: Type.String({ pattern: '^[^\\s/]+/[^\\s/]+$' }) }),
});

/**
 * GitHub's status states → ours. `inactive` is not an outcome: GitHub marks an older successful deployment
 * INACTIVE when a newer one succeeds, so it must never undo a success (see github-deployments.repository).
 */
const OUTCOMES: Record<string, DeploymentStatus | 'inactive'> = {
  success: 'success',
  failure: 'failure',
  error: 'failure',
  pending: 'in_progress',
  queued: 'in_progress',
  in_progress: 'in_progress',
  waiting: 'in_progress',
  inactive: 'inactive',
};

/** The same state table, for the GitHub collector, which folds a deployment's whole status history. */
export const GITHUB_STATUS_OUTCOMES: Readonly<Record<string, DeploymentStatus | 'inactive'>> = OUTCOMES;

export interface GithubDeploymentStatus {
  /** `deployment.id`, GitHub's databaseId: the same external id the GitHub collector writes. */
  externalId: string;
  repository: string;
  environment: string;
  sha: string;
  /** The deployment's creation: where it started. */
  startedAt: Date;
  /** GitHub's state, lower-cased (`success`, `error`, `inactive`, …). */
  state: string;
  outcome: DeploymentStatus | 'inactive';
  /** When this status was created: the finish, for terminal states. */
  statusAt: Date;
}

/** A `deployment_status` delivery → the status to apply (pure). Throws a 400 naming the first bad field. */
export function mapDeploymentStatus(payload: unknown): GithubDeploymentStatus {
  const firstError = Value.Errors(DeploymentStatusPayload, payload)[Symbol.iterator]().next();
  if (!firstError.done) {
    const { instancePath, params, message } = firstError.value;
    const missing = (params as { requiredProperties?: string[] }).requiredProperties?.[0];
    const field = ['body', keyPath(instancePath), missing].filter(Boolean).join('.');
    throw new AppError(400, 'INVALID_EVENT', missing ? `${field} is required` : `${field} ${message}`, field);
  }
  const {
    deployment_status: status,
    deployment,
    repository,
  } = payload as Static<typeof DeploymentStatusPayload>;
  const state = status.state.toLowerCase();
  const outcome = OUTCOMES[state];
  if (!outcome) {
    const field = 'body.deployment_status.state';
    throw new AppError(
      400,
      'INVALID_EVENT',
      `${field} "${status.state}" is not a known deployment state`,
      field,
    );
  }
  return {
    externalId: String(deployment.id),
    repository: repository.full_name.toLowerCase(),
    environment: deployment.environment,
    sha: deployment.sha.toLowerCase(),
    startedAt: new Date(deployment.created_at),
    state,
    outcome,
    statusAt: new Date(status.created_at),
  };
}
