// Pure GitHub → row mappers: no I/O, so they are unit-tested on their own.
import type {
  DeploymentStatus,
  NewCommit,
  NewDeployment,
  NewIncident,
  NewPullRequest,
  NewRelease,
} from '../../server/db/tables.ts';
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
  /** The PR's commits, oldest first; the collector completes the list when it has more than a page. */
  commits: {
    totalCount: number;
    pageInfo?: { hasNextPage: boolean; endCursor: string | null };
    nodes: ({ commit: GithubCommit } | null)[] | null;
  };
  reviews: { nodes: ({ submittedAt: string | null; author: GithubActor | null } | null)[] | null } | null;
}

export interface GithubDeployment {
  id: string;
  databaseId: number | null;
  environment: string | null;
  createdAt: string;
  commitOid: string;
  statuses: {
    pageInfo?: { hasNextPage: boolean; endCursor: string | null };
    nodes: ({ state: string; createdAt: string } | null)[] | null;
  } | null;
}

export interface GithubRelease {
  databaseId: number | null;
  tagName: string;
  name: string | null;
  createdAt: string;
  publishedAt: string | null;
  isDraft: boolean;
  isPrerelease: boolean;
  tagCommit: { oid: string } | null;
}

export interface GithubIncidentIssue {
  number: number;
  title: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  state: 'OPEN' | 'CLOSED';
  stateReason: string | null;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
  /** LabeledEvents only (the query asks for no other item type); other members are empty objects. */
  timelineItems: { nodes: ({ createdAt?: string; label?: { name: string } } | null)[] | null };
}

/** A REST workflow run (`GET /repos/{owner}/{repo}/actions/workflows/{file}/runs`): the fields read. */
export interface GithubWorkflowRun {
  id: number;
  head_sha: string;
  head_branch: string | null;
  status: string | null;
  conclusion: string | null;
  created_at: string;
  updated_at: string;
  run_started_at?: string | null;
}

export interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (T | null)[] | null;
}

/** Deployments from a workflow's successful runs (`from: workflow`), keyed by the run id. */
export const WORKFLOW_RUN_SOURCE = 'github-actions';
/** Deployments from published releases (`from: releases`), keyed by the release's databaseId. */
export const RELEASE_SOURCE = 'github-release';

/** `acme/web-*` → a case-insensitive matcher; `*` is the only wildcard. */
export function globMatcher(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Dependency-update bots that sign in as users or apps; GitHub Apps show up as `Bot` actors. */
const BOT_LOGIN = /(\[bot\]$|^dependabot|^renovate)/i;

/** Whether an actor is a bot (for reviews: a bot's review is not a first human review). */
export function isBot(actor: GithubActor | null): boolean {
  return actor !== null && (actor.__typename === 'Bot' || BOT_LOGIN.test(actor.login));
}

/** Which pull-request authors are left out of lead time and cycle time (`sources.github.pullRequests`). */
export interface AuthorExclusion {
  /** GitHub `Bot` actors (GitHub Apps such as dependabot and renovate). */
  bots: boolean;
  /** Login globs, for bots that sign in as users. */
  authors: readonly RegExp[];
}

export const DEFAULT_EXCLUDED_AUTHORS = ['dependabot*', 'renovate*', '*[bot]'] as const;

export const DEFAULT_AUTHOR_EXCLUSION: AuthorExclusion = {
  bots: true,
  authors: DEFAULT_EXCLUDED_AUTHORS.map(globMatcher),
};

/** True when the PR's author is left out of lead time: stored as the PR's `author_is_bot`. */
export function isExcludedAuthor(actor: GithubActor | null, exclusion: AuthorExclusion): boolean {
  if (actor === null) return false;
  return (exclusion.bots && actor.__typename === 'Bot') || exclusion.authors.some((a) => a.test(actor.login));
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

export function mapPullRequest(
  repositoryId: number,
  pr: GithubPullRequest,
  exclusion: AuthorExclusion = DEFAULT_AUTHOR_EXCLUSION,
): NewPullRequest {
  return {
    repositoryId,
    number: pr.number,
    externalId: pr.id,
    title: pr.title,
    state: pr.state === 'MERGED' ? 'merged' : pr.state === 'CLOSED' ? 'closed' : 'open',
    authorLogin: pr.author?.login.toLowerCase() ?? null,
    authorIsBot: isExcludedAuthor(pr.author, exclusion),
    baseBranch: pr.baseRefName,
    createdAt: new Date(pr.createdAt),
    firstCommitAuthoredAt: firstAuthoredAt(pr),
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

/**
 * When work on the PR started: the earliest authored date among its commits (the list's order is the
 * branch's, which a rebase or cherry-pick can make differ from authoring order), else its first commit's.
 */
function firstAuthoredAt(pr: GithubPullRequest): Date | null {
  const times = present(pr.commits.nodes)
    .map((node) => node.commit.authoredDate)
    .flatMap((at) => (at ? [new Date(at).getTime()] : []));
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

/** A PR's commits as `pull_request_commits` rows (the PR id is resolved when they are written). */
export function mapPullRequestCommits(repositoryId: number, pr: GithubPullRequest) {
  return {
    repositoryId,
    number: pr.number,
    commits: present(pr.commits.nodes).map(({ commit }) => ({
      sha: commit.oid.toLowerCase(),
      authoredAt: date(commit.authoredDate),
      committedAt: date(commit.committedDate),
    })),
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
export function mapDeployment(
  repositoryId: number,
  deployment: GithubDeployment,
  environmentName: (name: string) => string = (name) => name,
): NewDeployment | null {
  if (deployment.databaseId === null) return null;
  const outcome = deploymentOutcome((deployment.statuses?.nodes ?? []).flatMap((s) => (s ? [s] : [])));
  return {
    source: GITHUB_SOURCE,
    externalId: String(deployment.databaseId),
    repositoryId,
    service: null,
    environment: environmentName(deployment.environment ?? 'production'),
    sha: deployment.commitOid.toLowerCase(),
    status: outcome.status,
    originalStatus: outcome.originalStatus,
    startedAt: new Date(deployment.createdAt),
    finishedAt: outcome.finishedAt,
    teamId: null,
    teamAttribution: null,
  };
}

export function mapRelease(repositoryId: number, release: GithubRelease): NewRelease | null {
  if (release.databaseId === null) return null;
  return {
    repositoryId,
    externalId: String(release.databaseId),
    tagName: release.tagName,
    name: release.name,
    sha: release.tagCommit?.oid.toLowerCase() ?? null,
    isDraft: release.isDraft,
    isPrerelease: release.isPrerelease,
    releasedCreatedAt: new Date(release.createdAt),
    publishedAt: date(release.publishedAt),
  };
}

/** A repository deploying by release: a published, non-draft, non-prerelease release is a deployment. */
export function releaseDeployment(
  repositoryId: number,
  release: GithubRelease,
  environment: string,
): NewDeployment | null {
  if (release.databaseId === null || release.isDraft || release.isPrerelease) return null;
  if (!release.publishedAt || !release.tagCommit) return null;
  return {
    source: RELEASE_SOURCE,
    externalId: String(release.databaseId),
    repositoryId,
    service: null,
    environment,
    sha: release.tagCommit.oid.toLowerCase(),
    status: 'success',
    originalStatus: 'published',
    startedAt: new Date(release.createdAt),
    finishedAt: new Date(release.publishedAt),
    teamId: null,
    teamAttribution: null,
  };
}

/** A repository deploying by workflow: a successful run of the deploy workflow is a deployment. */
export function workflowRunDeployment(
  repositoryId: number,
  run: GithubWorkflowRun,
  environment: string,
): NewDeployment | null {
  if (run.status !== 'completed' || run.conclusion !== 'success') return null;
  return {
    source: WORKFLOW_RUN_SOURCE,
    externalId: String(run.id),
    repositoryId,
    service: null,
    environment,
    sha: run.head_sha.toLowerCase(),
    status: 'success',
    originalStatus: 'completed',
    startedAt: new Date(run.run_started_at ?? run.created_at),
    // A run's last update is its completion (a re-run moves it, as a redeploy would).
    finishedAt: new Date(run.updated_at),
    teamId: null,
    teamAttribution: null,
  };
}

/**
 * What caused an incident, as the issue says: `deploy:<ref>` or `deployment:<ref>` in a label, the body or
 * the title, where ref is a deployment's id or a commit sha, optionally `owner/name@<ref>` for another
 * repository; or a link to a commit (`https://…/owner/name/commit/<sha>`). Normalised to
 * `owner/name@<ref>`; null when the issue names nothing.
 */
export function causeReference(repository: string, texts: readonly string[]): string | null {
  const marker = /\bdeploy(?:ment)?:\s*(?:([\w.-]+\/[\w.-]+)@)?([0-9a-f]{7,40}|\d+)\b/i;
  const commitLink = /\/([\w.-]+\/[\w.-]+)\/commit\/([0-9a-f]{7,40})\b/i;
  for (const pattern of [marker, commitLink]) {
    for (const text of texts) {
      const match = pattern.exec(text);
      if (match?.[2]) return `${(match[1] ?? repository).toLowerCase()}@${match[2].toLowerCase()}`;
    }
  }
  return null;
}

/** A label such as `sev1`, `sev-2` or `severity:high` gives the incident's severity (as labelled). */
const SEVERITY_LABEL = /^(sev[\s:-]?\d+|severity[\s:-]+\S.*)$/i;

/**
 * An issue labelled as an incident → an incident row; null when closed as not planned or as a duplicate
 * (a false alarm: the collector removes it). It started when the label was first added (an issue opened
 * with the label gets that event at creation) — or at creation when labelled only after it was closed —
 * and was restored when closed; a reopened issue is unresolved again.
 */
export function mapIncidentIssue(
  repository: { id: number; fullName: string },
  issue: GithubIncidentIssue,
  label: string,
): NewIncident | null {
  if (
    issue.state === 'CLOSED' &&
    (issue.stateReason === 'NOT_PLANNED' || issue.stateReason === 'DUPLICATE')
  ) {
    return null;
  }
  const labels = present(issue.labels?.nodes).map((l) => l.name);
  const labelledAt = present(issue.timelineItems.nodes)
    .filter((event) => event.label?.name.toLowerCase() === label.toLowerCase() && event.createdAt)
    .map((event) => new Date(event.createdAt ?? 0))
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const resolvedAt = issue.state === 'CLOSED' ? date(issue.closedAt) : null;
  const startedAt =
    labelledAt && (!resolvedAt || labelledAt <= resolvedAt) ? labelledAt : new Date(issue.createdAt);
  return {
    source: GITHUB_SOURCE,
    externalId: incidentExternalId(repository.fullName, issue.number),
    title: issue.title,
    severity: labels.find((name) => SEVERITY_LABEL.test(name)) ?? null,
    service: null,
    repositoryId: repository.id,
    teamId: null,
    teamAttribution: null,
    startedAt,
    resolvedAt,
    causeDeploymentExternalId: null,
    causeReference: causeReference(repository.fullName, [...labels, issue.body, issue.title]),
  };
}

export const incidentExternalId = (repository: string, number: number) =>
  `${repository.toLowerCase()}#${number}`;

export const present = <T>(nodes: (T | null)[] | null | undefined): T[] =>
  (nodes ?? []).flatMap((node) => (node ? [node] : []));
