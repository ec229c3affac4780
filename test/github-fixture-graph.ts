// Fixture data for the local GitHub server, and the resolvers that serve it the way GitHub's GraphQL API
// does: connections with opaque cursors and pageInfo, GitHub's orderings and filters, union/interface
// members tagged with __typename. Also GitHub's query cost formula.
import { Kind } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, SelectionSetNode, ValueNode } from 'graphql';
import type { FixtureActionsRun } from './github-actions-fixture.ts';

export interface FixtureCommit {
  oid: string;
  authoredDate: string;
  committedDate: string;
  /** Its parents' oids (a merge commit has two). Default: the next commit in the repository's history. */
  parents?: string[];
}

export interface FixtureActor {
  login: string;
  __typename: 'User' | 'Bot';
}

export interface FixtureReview {
  submittedAt: string | null;
  author: FixtureActor | null;
}

export interface FixturePullRequest {
  number: number;
  title?: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  createdAt: string;
  updatedAt: string;
  mergedAt?: string | null;
  closedAt?: string | null;
  baseRefName?: string;
  additions?: number;
  deletions?: number;
  changedFiles?: number;
  author: FixtureActor | null;
  mergeCommitOid?: string | null;
  /** The PR's own commits, oldest first. */
  commits: FixtureCommit[];
  reviews?: FixtureReview[];
}

export interface FixtureDeployment {
  databaseId: number;
  environment: string;
  createdAt: string;
  commitOid: string;
  /** In the order GitHub returns them: not necessarily by time. */
  statuses: { state: string; createdAt: string }[];
}

export interface FixtureRelease {
  databaseId: number;
  tagName: string;
  name?: string | null;
  createdAt: string;
  publishedAt: string | null;
  isDraft?: boolean;
  isPrerelease?: boolean;
  tagCommitOid: string;
}

/** An issue timeline event (GitHub Issues collector): labels, assignments, close/reopen and comments. */
export type FixtureIssueEvent =
  | { type: 'LabeledEvent' | 'UnlabeledEvent'; createdAt: string; actor: string | null; label: string }
  | { type: 'AssignedEvent' | 'UnassignedEvent'; createdAt: string; actor: string | null; assignee: string }
  | { type: 'ClosedEvent'; createdAt: string; actor: string | null; stateReason?: string }
  | { type: 'ReopenedEvent'; createdAt: string; actor: string | null }
  | { type: 'IssueComment'; createdAt: string; author: string | null };

export interface FixtureIssue {
  number: number;
  title?: string;
  body?: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string | null;
  /** Defaults to CLOSED when `closedAt` is set. */
  state?: 'OPEN' | 'CLOSED';
  stateReason?: 'COMPLETED' | 'NOT_PLANNED' | 'DUPLICATE' | 'REOPENED' | null;
  author?: string | null;
  labels: string[];
  /** When each label was added (an issue opened with a label gets the event at creation). */
  labeledEvents?: { label: string; createdAt: string }[];
  /** The whole timeline in time order (request queues); when given, `labeledEvents` is not used. */
  timeline?: FixtureIssueEvent[];
}

/** A GitHub Actions workflow run, served by the REST listing. */
export interface FixtureWorkflowRun {
  id: number;
  /** The workflow file, e.g. deploy.yml. */
  workflow: string;
  headSha: string;
  branch: string;
  status: 'completed' | 'in_progress' | 'queued';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  createdAt: string;
  updatedAt: string;
}

export interface FixtureRepository {
  nameWithOwner: string;
  isArchived?: boolean;
  defaultBranch?: string;
  /** Every commit reachable from the default branch's head (the first), newest first. Without `parents`, a
   * commit's parent is the next one: a linear history. */
  history: FixtureCommit[];
  pullRequests: FixturePullRequest[];
  deployments: FixtureDeployment[];
  releases?: FixtureRelease[];
  issues?: FixtureIssue[];
  workflowRuns?: FixtureWorkflowRun[];
  /** Every GitHub Actions run (`GET /repos/{owner}/{repo}/actions/runs`), attempts and jobs: CI telemetry. */
  actionsRuns?: FixtureActionsRun[];
}

/**
 * GitHub's cost formula: add up the requests each connection needs, assuming every `first`/`last` is filled
 * (a connection under a connection of n nodes needs n requests), divide by 100, round; at least 1.
 */
export function queryCost(document: DocumentNode, variables: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const intValue = (node: ValueNode): number =>
    node.kind === Kind.INT
      ? Number(node.value)
      : node.kind === Kind.VARIABLE
        ? Number(variables[node.name.value])
        : 0;
  let requests = 0;
  const visit = (selectionSet: SelectionSetNode, multiplier: number) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const size = selection.arguments?.find(
          (arg) => arg.name.value === 'first' || arg.name.value === 'last',
        );
        if (size) requests += multiplier;
        if (selection.selectionSet)
          visit(selection.selectionSet, size ? multiplier * intValue(size.value) : multiplier);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, multiplier);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet, multiplier);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) visit(definition.selectionSet, 1);
  }
  return Math.max(1, Math.round(requests / 100));
}

export interface ConnectionArgs {
  first?: number;
  after?: string | null;
}

/** Offset cursors, opaque like GitHub's. */
export function connection<T>(items: readonly T[], args: ConnectionArgs) {
  const start = args.after ? Number(Buffer.from(args.after, 'base64url').toString().split(':')[1]) + 1 : 0;
  const size = args.first ?? 100;
  const nodes = items.slice(start, start + size);
  const end = start + nodes.length - 1;
  return {
    totalCount: items.length,
    nodes,
    pageInfo: {
      hasNextPage: start + size < items.length,
      endCursor: nodes.length > 0 ? Buffer.from(`cursor:${end}`).toString('base64url') : null,
    },
  };
}

/** Each commit's parents: explicit, or the next commit of a linear history. */
function parentsOf(history: readonly FixtureCommit[]): Map<string, string[]> {
  return new Map(
    history.map((commit, i) => {
      const next = history[i + 1];
      return [commit.oid, commit.parents ?? (next ? [next.oid] : [])];
    }),
  );
}

/**
 * `Commit.history`: every commit reachable from `oid` through its parents (the commit included), newest
 * committed first, as GitHub orders it — by date, not by topology.
 */
function historyResolver(history: readonly FixtureCommit[], oid: string) {
  return (args: ConnectionArgs & { since?: string | null }) => {
    const parents = parentsOf(history);
    const position = new Map(history.map((commit, i) => [commit.oid, i]));
    const reachable = new Set<string>();
    const stack = [oid];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (reachable.has(next) || !position.has(next)) continue;
      reachable.add(next);
      stack.push(...(parents.get(next) ?? []));
    }
    const since = args.since ? new Date(args.since).getTime() : null;
    const commits = history
      .filter((commit) => reachable.has(commit.oid))
      .sort(
        (a, b) =>
          Date.parse(b.committedDate) - Date.parse(a.committedDate) ||
          (position.get(a.oid) ?? 0) - (position.get(b.oid) ?? 0),
      )
      .filter((commit) => since === null || new Date(commit.committedDate).getTime() >= since)
      .map((commit) => commitNode(history, commit));
    return connection(commits, args);
  };
}

function commitNode(history: readonly FixtureCommit[], commit: FixtureCommit) {
  return {
    __typename: 'Commit',
    oid: commit.oid,
    authoredDate: commit.authoredDate,
    committedDate: commit.committedDate,
    history: historyResolver(history, commit.oid),
    parents: (args: ConnectionArgs) =>
      connection(
        (parentsOf(history).get(commit.oid) ?? []).map((oid) => ({ __typename: 'Commit', oid })),
        args,
      ),
  };
}

type Order = { field: string; direction: 'ASC' | 'DESC' } | undefined;

function ordered<T>(items: readonly T[], time: (item: T) => string, order: Order) {
  // GitHub's default for these connections is ascending.
  const sign = order?.direction === 'DESC' ? -1 : 1;
  return [...items].sort((a, b) => sign * (Date.parse(time(a)) - Date.parse(time(b))));
}

function pullRequestNode(repo: FixtureRepository, pr: FixturePullRequest) {
  return {
    __typename: 'PullRequest',
    id: `PR_${repo.nameWithOwner}#${pr.number}`,
    number: pr.number,
    title: pr.title ?? `Change ${pr.number}`,
    state: pr.state,
    createdAt: pr.createdAt,
    updatedAt: pr.updatedAt,
    mergedAt: pr.mergedAt ?? null,
    closedAt: pr.closedAt ?? null,
    baseRefName: pr.baseRefName ?? repo.defaultBranch ?? 'main',
    additions: pr.additions ?? 10,
    deletions: pr.deletions ?? 2,
    changedFiles: pr.changedFiles ?? 1,
    author: pr.author,
    mergeCommit: pr.mergeCommitOid ? { oid: pr.mergeCommitOid } : null,
    commits: (args: ConnectionArgs) => {
      const page = connection(pr.commits, args);
      return { ...page, nodes: page.nodes.map((commit) => ({ commit })) };
    },
    reviews: (args: ConnectionArgs) => connection(pr.reviews ?? [], args),
  };
}

const TIMELINE_TYPES: Record<string, string> = {
  LABELED_EVENT: 'LabeledEvent',
  UNLABELED_EVENT: 'UnlabeledEvent',
  ASSIGNED_EVENT: 'AssignedEvent',
  UNASSIGNED_EVENT: 'UnassignedEvent',
  CLOSED_EVENT: 'ClosedEvent',
  REOPENED_EVENT: 'ReopenedEvent',
  ISSUE_COMMENT: 'IssueComment',
};

const user = (login: string | null | undefined) => (login ? { __typename: 'User', login } : null);

function timelineNode(event: FixtureIssueEvent) {
  const base = { __typename: event.type, createdAt: event.createdAt };
  if (event.type === 'IssueComment') return { ...base, author: user(event.author) };
  if (event.type === 'LabeledEvent' || event.type === 'UnlabeledEvent')
    return { ...base, actor: user(event.actor), label: { name: event.label } };
  if (event.type === 'AssignedEvent' || event.type === 'UnassignedEvent')
    return { ...base, actor: user(event.actor), assignee: user(event.assignee) };
  if (event.type === 'ClosedEvent')
    return { ...base, actor: user(event.actor), stateReason: event.stateReason ?? 'COMPLETED' };
  return { ...base, actor: user(event.actor) };
}

const issueId = (repo: FixtureRepository, issue: FixtureIssue) => `I_${repo.nameWithOwner}#${issue.number}`;

function issueNode(repo: FixtureRepository, issue: FixtureIssue) {
  return {
    __typename: 'Issue',
    id: issueId(repo, issue),
    url: `https://github.com/${repo.nameWithOwner}/issues/${issue.number}`,
    author: user(issue.author),
    number: issue.number,
    title: issue.title ?? `Request ${issue.number}`,
    body: issue.body ?? '',
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    closedAt: issue.closedAt ?? null,
    state: issue.state ?? (issue.closedAt ? 'CLOSED' : 'OPEN'),
    stateReason: issue.stateReason ?? null,
    labels: (args: ConnectionArgs) =>
      connection(
        issue.labels.map((name) => ({ name })),
        args,
      ),
    timelineItems: (args: ConnectionArgs & { itemTypes?: string[] }) => {
      if (issue.timeline) {
        const types = args.itemTypes?.map((type) => TIMELINE_TYPES[type]);
        const events = issue.timeline.filter((event) => !types || types.includes(event.type));
        const page = connection(events, args);
        return { ...page, nodes: page.nodes.map(timelineNode) };
      }
      const labeled = (issue.labeledEvents ?? []).map((event) => ({
        __typename: 'LabeledEvent',
        createdAt: event.createdAt,
        label: { name: event.label },
      }));
      const wanted = !args.itemTypes || args.itemTypes.includes('LABELED_EVENT') ? labeled : [];
      return connection(wanted, args);
    },
  };
}

function deploymentNode(deployment: FixtureDeployment) {
  return {
    __typename: 'Deployment',
    id: `DE_${deployment.databaseId}`,
    databaseId: deployment.databaseId,
    environment: deployment.environment,
    createdAt: deployment.createdAt,
    commitOid: deployment.commitOid,
    statuses: (args: ConnectionArgs) => connection(deployment.statuses, args),
  };
}

/** The resolvers of one fixture repository, as `repository(owner:, name:)` answers. */
export function repositoryNode(repo: FixtureRepository) {
  return {
    id: `R_${repo.nameWithOwner}`,
    nameWithOwner: repo.nameWithOwner,
    isArchived: repo.isArchived ?? false,
    defaultBranchRef: {
      name: repo.defaultBranch ?? 'main',
      target: repo.history[0]
        ? commitNode(repo.history, repo.history[0])
        : { __typename: 'Commit', history: (args: ConnectionArgs) => connection([], args) },
    },
    pullRequests: (args: ConnectionArgs & { orderBy?: Order }) => {
      const field = args.orderBy?.field === 'CREATED_AT' ? 'createdAt' : 'updatedAt';
      const page = connection(
        ordered(repo.pullRequests, (pr) => pr[field], args.orderBy),
        args,
      );
      return { ...page, nodes: page.nodes.map((pr) => pullRequestNode(repo, pr)) };
    },
    deployments: (args: ConnectionArgs & { orderBy?: Order }) => {
      const page = connection(
        ordered(repo.deployments, (d) => d.createdAt, args.orderBy),
        args,
      );
      return { ...page, nodes: page.nodes.map(deploymentNode) };
    },
    releases: (args: ConnectionArgs & { orderBy?: Order }) => {
      const page = connection(
        ordered(repo.releases ?? [], (r) => r.createdAt, args.orderBy),
        args,
      );
      return {
        ...page,
        nodes: page.nodes.map((release) => ({
          databaseId: release.databaseId,
          tagName: release.tagName,
          name: release.name ?? release.tagName,
          createdAt: release.createdAt,
          publishedAt: release.publishedAt,
          isDraft: release.isDraft ?? false,
          isPrerelease: release.isPrerelease ?? false,
          tagCommit: { oid: release.tagCommitOid },
        })),
      };
    },
    issues: (
      args: ConnectionArgs & { orderBy?: Order; labels?: string[]; filterBy?: { since?: string | null } },
    ) => {
      const since = args.filterBy?.since ? Date.parse(args.filterBy.since) : null;
      const labels = args.labels?.map((label) => label.toLowerCase());
      const matching = (repo.issues ?? []).filter(
        (issue) =>
          (since === null || Date.parse(issue.updatedAt) >= since) &&
          (!labels || issue.labels.some((label) => labels.includes(label.toLowerCase()))),
      );
      const field = args.orderBy?.field === 'CREATED_AT' ? 'createdAt' : 'updatedAt';
      const page = connection(
        ordered(matching, (issue) => issue[field], args.orderBy),
        args,
      );
      return { ...page, nodes: page.nodes.map((issue) => issueNode(repo, issue)) };
    },
    /** `node(id:)`: an issue or a deployment of this repository. */
    nodeById: (id: string) => {
      const issue = (repo.issues ?? []).find((candidate) => issueId(repo, candidate) === id);
      if (issue) return issueNode(repo, issue);
      const deployment = repo.deployments.find((candidate) => `DE_${candidate.databaseId}` === id);
      return deployment ? deploymentNode(deployment) : null;
    },
    object: ({ oid }: { oid: string }) => {
      const commit = repo.history.find((candidate) => candidate.oid === oid);
      return commit ? commitNode(repo.history, commit) : null;
    },
    pullRequest: ({ number }: { number: number }) => {
      const pr = repo.pullRequests.find((candidate) => candidate.number === number);
      return pr ? pullRequestNode(repo, pr) : null;
    },
  };
}

/** `GET /repos/{owner}/{repo}/actions/workflows/{workflow}/runs` over the fixture, newest first. */
export function listWorkflowRuns(repo: FixtureRepository, workflow: string, query: URLSearchParams) {
  const created = /^>=(.+)$/.exec(query.get('created') ?? '')?.[1];
  const status = query.get('status');
  const runs = (repo.workflowRuns ?? [])
    .filter((run) => run.workflow === workflow)
    .filter((run) => !query.get('branch') || run.branch === query.get('branch'))
    .filter((run) => !status || (status === 'success' ? run.conclusion === 'success' : run.status === status))
    .filter((run) => !created || Date.parse(run.createdAt) >= Date.parse(created))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
  const page = Number(query.get('page') ?? 1);
  return {
    total_count: runs.length,
    workflow_runs: runs.slice((page - 1) * perPage, page * perPage).map((run) => ({
      id: run.id,
      name: 'Deploy',
      path: `.github/workflows/${run.workflow}`,
      head_sha: run.headSha,
      head_branch: run.branch,
      event: 'push',
      status: run.status,
      conclusion: run.conclusion,
      created_at: run.createdAt,
      updated_at: run.updatedAt,
      run_started_at: run.createdAt,
    })),
  };
}
