// Pure GitHub → row mappers: no I/O, so they are unit-tested on their own.
import type { DeploymentStatus, NewCommit, NewDeployment, NewPullRequest } from '../../server/db/tables.ts';
import { GITHUB_SOURCE, GITHUB_STATUS_OUTCOMES } from '../../server/ingest/github-deployment-status.ts';

export interface GithubActor {
  login: string;
  __typename: string;
}

export interface GithubCommit {
  oid: string;
  authoredDate: string | null;
  committedDate: string;
}

export interface GithubPullRequest {
  id: string;
  number: number;
  title: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  baseRefName: string;
  additions: number;
  deletions: number;
  changedFiles: number;
  author: GithubActor | null;
  mergeCommit: { oid: string } | null;
  commits: { totalCount: number; nodes: ({ commit: GithubCommit } | null)[] | null };
  reviews: { nodes: ({ submittedAt: string | null; author: GithubActor | null } | null)[] | null } | null;
}

export interface GithubDeployment {
  id: string;
  databaseId: number | null;
  environment: string | null;
  createdAt: string;
  commitOid: string;
  statuses: { nodes: ({ state: string; createdAt: string } | null)[] | null } | null;
}

export interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (T | null)[] | null;
}

/** Dependency-update bots that sign in as users or apps; GitHub Apps show up as `Bot` actors. */
const BOT_LOGIN = /(\[bot\]$|^dependabot|^renovate)/i;

export function isBot(actor: GithubActor | null): boolean {
  return actor !== null && (actor.__typename === 'Bot' || BOT_LOGIN.test(actor.login));
}

const date = (value: string | null | undefined) => (value ? new Date(value) : null);

/**
 * First review: the earliest submitted review by someone other than the author who is not a bot
 * (self-replies are COMMENTED reviews; PENDING ones have no `submittedAt`).
 */
export function firstReviewAt(pr: GithubPullRequest): Date | null {
  const author = pr.author?.login.toLowerCase();
  const times = (pr.reviews?.nodes ?? [])
    .filter((review) => review?.submittedAt && review.author && !isBot(review.author))
    .filter((review) => review?.author?.login.toLowerCase() !== author)
    .map((review) => new Date(review?.submittedAt ?? 0).getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

export function mapPullRequest(repositoryId: number, pr: GithubPullRequest): NewPullRequest {
  const firstCommit = pr.commits.nodes?.[0]?.commit ?? null;
  return {
    repositoryId,
    number: pr.number,
    externalId: pr.id,
    title: pr.title,
    state: pr.state === 'MERGED' ? 'merged' : pr.state === 'CLOSED' ? 'closed' : 'open',
    authorLogin: pr.author?.login.toLowerCase() ?? null,
    authorIsBot: isBot(pr.author),
    baseBranch: pr.baseRefName,
    createdAt: new Date(pr.createdAt),
    firstCommitAuthoredAt: date(firstCommit?.authoredDate),
    firstReviewAt: firstReviewAt(pr),
    mergedAt: date(pr.mergedAt),
    closedAt: date(pr.closedAt),
    mergeCommitSha: pr.mergeCommit?.oid.toLowerCase() ?? null,
    additions: pr.additions,
    deletions: pr.deletions,
    changedFiles: pr.changedFiles,
    commitCount: pr.commits.totalCount,
    teamId: null,
    sourceUpdatedAt: new Date(pr.updatedAt),
  };
}

export function mapCommit(repositoryId: number, commit: GithubCommit): NewCommit {
  return {
    repositoryId,
    sha: commit.oid.toLowerCase(),
    authoredAt: date(commit.authoredDate),
    committedAt: new Date(commit.committedDate),
  };
}

/**
 * A deployment's outcome from its whole status history, with the webhook's state table and rule
 * (server/ingest/github-deployment-status.ts): statuses sorted by `createdAt` (GitHub's order is not
 * guaranteed); it succeeded if it *ever* got SUCCESS — GitHub later marks it INACTIVE when a newer one to the
 * same environment succeeds — finishing at its first SUCCESS; otherwise the latest FAILURE/ERROR is its
 * failure; otherwise it is in progress (INACTIVE alone says nothing about the outcome).
 */
export function deploymentOutcome(statuses: readonly { state: string; createdAt: string }[]): {
  status: DeploymentStatus;
  originalStatus: string | null;
  finishedAt: Date | null;
} {
  const sorted = [...statuses]
    .map((s) => ({ state: s.state.toLowerCase(), at: new Date(s.createdAt) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const latest = sorted.at(-1)?.state ?? null;
  const success = sorted.find((s) => GITHUB_STATUS_OUTCOMES[s.state] === 'success');
  if (success) return { status: 'success', originalStatus: latest, finishedAt: success.at };
  const outcomes = sorted.filter((s) => GITHUB_STATUS_OUTCOMES[s.state] !== 'inactive');
  const last = outcomes.at(-1);
  if (last && GITHUB_STATUS_OUTCOMES[last.state] === 'failure') {
    return { status: 'failure', originalStatus: latest, finishedAt: last.at };
  }
  return { status: 'in_progress', originalStatus: latest, finishedAt: null };
}

/** Deployments are keyed like the webhook's: source `github`, external id = GitHub's databaseId. */
export function mapDeployment(repositoryId: number, deployment: GithubDeployment): NewDeployment | null {
  if (deployment.databaseId === null) return null;
  const outcome = deploymentOutcome((deployment.statuses?.nodes ?? []).flatMap((s) => (s ? [s] : [])));
  return {
    source: GITHUB_SOURCE,
    externalId: String(deployment.databaseId),
    repositoryId,
    service: null,
    environment: deployment.environment ?? 'production',
    sha: deployment.commitOid.toLowerCase(),
    status: outcome.status,
    originalStatus: outcome.originalStatus,
    startedAt: new Date(deployment.createdAt),
    finishedAt: outcome.finishedAt,
    teamId: null,
    teamAttribution: null,
  };
}

export const present = <T>(nodes: (T | null)[] | null | undefined): T[] =>
  (nodes ?? []).flatMap((node) => (node ? [node] : []));
