import type { DeploymentKind, DeploymentStatus } from '#db/tables.ts';

// The plain rows the demo generator returns. They mirror the repositories' insert types but name a
// repository by its full name, since ids exist only once the rows reach a database.

/** Every demo row carries this source, so demo data is recognisable and upserts stay idempotent. */
export const DEMO_SOURCE = 'demo';

export interface DemoCommit {
  repository: string;
  sha: string;
  authoredAt: Date;
  committedAt: Date;
}

export interface DemoPullRequest {
  repository: string;
  number: number;
  externalId: string;
  title: string;
  state: 'open' | 'closed' | 'merged';
  authorLogin: string;
  authorIsBot: boolean;
  baseBranch: string;
  createdAt: Date;
  firstCommitAuthoredAt: Date;
  firstReviewAt: Date | null;
  mergedAt: Date | null;
  closedAt: Date | null;
  mergeCommitSha: string | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  commitCount: number;
  sourceUpdatedAt: Date;
  /** The PR's own commits that reached the default branch with it (a merge commit's branch commits). */
  commitShas: string[];
}

export interface DemoDeployment {
  source: typeof DEMO_SOURCE;
  externalId: string;
  repository: string;
  service: string;
  environment: 'production' | 'staging';
  sha: string;
  status: Extract<DeploymentStatus, 'success' | 'failure'>;
  originalStatus: string;
  kind: DeploymentKind;
  startedAt: Date;
  finishedAt: Date;
}

/** A commit a deployment shipped. */
export interface DemoDeploymentCommit {
  deploymentExternalId: string;
  repository: string;
  sha: string;
}

export type DemoSeverity = 'sev1' | 'sev2' | 'sev3';

export interface DemoIncident {
  source: typeof DEMO_SOURCE;
  externalId: string;
  title: string;
  severity: DemoSeverity;
  service: string;
  startedAt: Date;
  resolvedAt: Date | null;
  /** The external id of the deployment that caused it; null for incidents no change caused. */
  causeDeploymentExternalId: string | null;
}

export interface DemoData {
  /** Full names, lower-case, as the teams claim them. */
  repositories: string[];
  commits: DemoCommit[];
  pullRequests: DemoPullRequest[];
  deployments: DemoDeployment[];
  deploymentCommits: DemoDeploymentCommit[];
  incidents: DemoIncident[];
}
