// A local stand-in for GitHub's GraphQL API on 127.0.0.1: it executes the collector's real queries against
// GitHub's published schema (@octokit/graphql-schema) over fixture data, pages with pageInfo/endCursor,
// charges points with GitHub's cost formula, and can inject the failures GitHub produces.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { schema as githubSchema } from '@octokit/graphql-schema';
import { buildClientSchema, execute, GraphQLError, Kind, parse, validate } from 'graphql';
import type {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  SelectionSetNode,
  ValueNode,
} from 'graphql';

export interface FixtureCommit {
  oid: string;
  authoredDate: string;
  committedDate: string;
}

export interface FixtureReview {
  submittedAt: string | null;
  author: { login: string; __typename: 'User' | 'Bot' } | null;
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
  author: { login: string; __typename: 'User' | 'Bot' } | null;
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
  createdAt: string;
  updatedAt: string;
  closedAt?: string | null;
  author: string | null;
  /** The labels it has now. */
  labels: string[];
  /** In time order. */
  timeline: FixtureIssueEvent[];
}

export interface FixtureRepository {
  nameWithOwner: string;
  isArchived?: boolean;
  defaultBranch?: string;
  /** The default branch's history, newest first (linear). */
  history: FixtureCommit[];
  pullRequests: FixturePullRequest[];
  deployments: FixtureDeployment[];
  issues?: FixtureIssue[];
}

export type Fault =
  | { kind: 'bad-gateway' }
  | { kind: 'secondary-rate-limit'; retryAfterSeconds: number }
  | { kind: 'rate-limited' };

export interface GithubTestServer {
  url: string;
  /** Replace or edit the fixture between syncs. */
  repositories: FixtureRepository[];
  /** Served, in order, instead of the next requests' answers. */
  faults: Fault[];
  /** Every query received (after faults), with the points it cost. */
  received: { operationName: string | null; cost: number; variables: Record<string, unknown> }[];
  rateLimit: { limit: number; remaining: number; resetAt: Date };
  /** Called as each request arrives, before it is answered. */
  onRequest: ((count: number) => void) | null;
  close(): Promise<void>;
}

let cachedSchema: GraphQLSchema | undefined;

/** GitHub's schema from its introspection JSON (`buildSchema(idl)` throws on the SDL's duplicate fields). */
export function githubGraphqlSchema(): GraphQLSchema {
  cachedSchema ??= buildClientSchema(githubSchema.json as Parameters<typeof buildClientSchema>[0]);
  return cachedSchema;
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

interface ConnectionArgs {
  first?: number;
  after?: string | null;
}

/** Offset cursors, opaque like GitHub's. */
function connection<T>(items: readonly T[], args: ConnectionArgs) {
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

const notFound = (what: string) =>
  new GraphQLError(`Could not resolve to a ${what}.`, { extensions: { type: 'NOT_FOUND' } });

function historyResolver(history: readonly FixtureCommit[], fromIndex: number) {
  return (args: ConnectionArgs & { since?: string | null }) => {
    const since = args.since ? new Date(args.since).getTime() : null;
    const commits = history
      .slice(fromIndex)
      .filter((commit) => since === null || new Date(commit.committedDate).getTime() >= since);
    return connection(commits, args);
  };
}

function repositoryNode(repo: FixtureRepository) {
  const pullRequestNode = (pr: FixturePullRequest) => ({
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
  });
  const deploymentNode = (deployment: FixtureDeployment) => ({
    id: `DE_${deployment.databaseId}`,
    databaseId: deployment.databaseId,
    environment: deployment.environment,
    createdAt: deployment.createdAt,
    commitOid: deployment.commitOid,
    statuses: (args: ConnectionArgs) => connection(deployment.statuses, args),
  });
  const user = (login: string | null) => (login === null ? null : { __typename: 'User', login });
  const TIMELINE_TYPES: Record<string, string> = {
    LABELED_EVENT: 'LabeledEvent',
    UNLABELED_EVENT: 'UnlabeledEvent',
    ASSIGNED_EVENT: 'AssignedEvent',
    UNASSIGNED_EVENT: 'UnassignedEvent',
    CLOSED_EVENT: 'ClosedEvent',
    REOPENED_EVENT: 'ReopenedEvent',
    ISSUE_COMMENT: 'IssueComment',
  };
  const timelineNode = (event: FixtureIssueEvent) => {
    const base = { __typename: event.type, createdAt: event.createdAt };
    if (event.type === 'IssueComment') return { ...base, author: user(event.author) };
    if (event.type === 'LabeledEvent' || event.type === 'UnlabeledEvent')
      return { ...base, actor: user(event.actor), label: { name: event.label } };
    if (event.type === 'AssignedEvent' || event.type === 'UnassignedEvent')
      return { ...base, actor: user(event.actor), assignee: user(event.assignee) };
    if (event.type === 'ClosedEvent')
      return { ...base, actor: user(event.actor), stateReason: event.stateReason ?? 'COMPLETED' };
    return { ...base, actor: user(event.actor) };
  };
  const issueNode = (issue: FixtureIssue) => ({
    __typename: 'Issue',
    id: `I_${repo.nameWithOwner}#${issue.number}`,
    number: issue.number,
    title: issue.title ?? `Request ${issue.number}`,
    url: `https://github.com/${repo.nameWithOwner}/issues/${issue.number}`,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    closedAt: issue.closedAt ?? null,
    state: issue.closedAt ? 'CLOSED' : 'OPEN',
    author: user(issue.author),
    labels: (args: ConnectionArgs) =>
      connection(
        issue.labels.map((name) => ({ name })),
        args,
      ),
    timelineItems: (args: ConnectionArgs & { itemTypes?: string[] }) => {
      const types = args.itemTypes?.map((type) => TIMELINE_TYPES[type]);
      const events = issue.timeline.filter((event) => !types || types.includes(event.type));
      const page = connection(events, args);
      return { ...page, nodes: page.nodes.map(timelineNode) };
    },
  });
  type Order = { field: string; direction: 'ASC' | 'DESC' } | undefined;
  const ordered = <T>(
    items: readonly T[],
    time: (item: T) => string,
    order: Order,
    defaultDirection: 'ASC' | 'DESC',
  ) => {
    const sign = (order?.direction ?? defaultDirection) === 'DESC' ? -1 : 1;
    return [...items].sort((a, b) => sign * (new Date(time(a)).getTime() - new Date(time(b)).getTime()));
  };
  return {
    nameWithOwner: repo.nameWithOwner,
    isArchived: repo.isArchived ?? false,
    defaultBranchRef: {
      name: repo.defaultBranch ?? 'main',
      target: { __typename: 'Commit', history: historyResolver(repo.history, 0) },
    },
    pullRequests: (args: ConnectionArgs & { orderBy?: Order }) => {
      const field = args.orderBy?.field === 'CREATED_AT' ? 'createdAt' : 'updatedAt';
      const sorted = ordered(repo.pullRequests, (pr) => pr[field], args.orderBy, 'ASC');
      const page = connection(sorted, args);
      return { ...page, nodes: page.nodes.map(pullRequestNode) };
    },
    deployments: (args: ConnectionArgs & { orderBy?: Order }) => {
      const sorted = ordered(repo.deployments, (d) => d.createdAt, args.orderBy, 'ASC');
      const page = connection(sorted, args);
      return { ...page, nodes: page.nodes.map(deploymentNode) };
    },
    issues: (args: ConnectionArgs & { orderBy?: Order; filterBy?: { since?: string | null } | null }) => {
      const since = args.filterBy?.since ? new Date(args.filterBy.since).getTime() : null;
      const field = args.orderBy?.field === 'CREATED_AT' ? 'createdAt' : 'updatedAt';
      const recent = (repo.issues ?? []).filter(
        (issue) => since === null || new Date(issue.updatedAt).getTime() >= since,
      );
      const page = connection(
        ordered(recent, (issue) => issue[field], args.orderBy, 'ASC'),
        args,
      );
      return { ...page, nodes: page.nodes.map(issueNode) };
    },
    issueNode: (id: string) => {
      const issue = (repo.issues ?? []).find(
        (candidate) => `I_${repo.nameWithOwner}#${candidate.number}` === id,
      );
      return issue ? issueNode(issue) : null;
    },
    object: ({ oid }: { oid: string }) => {
      const index = repo.history.findIndex((commit) => commit.oid === oid);
      if (index < 0) return null;
      return { __typename: 'Commit', ...repo.history[index], history: historyResolver(repo.history, index) };
    },
  };
}

export async function startGithubTestServer(repositories: FixtureRepository[]): Promise<GithubTestServer> {
  const schema = githubGraphqlSchema();
  const state: Omit<GithubTestServer, 'url' | 'close'> = {
    repositories,
    faults: [],
    received: [],
    rateLimit: { limit: 5000, remaining: 5000, resetAt: new Date(Date.now() + 3_600_000) },
    onRequest: null,
  };
  let count = 0;
  const reply = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': String(state.rateLimit.limit),
      'x-ratelimit-remaining': String(state.rateLimit.remaining),
      'x-ratelimit-reset': String(Math.floor(state.rateLimit.resetAt.getTime() / 1000)),
      'x-ratelimit-resource': 'graphql',
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    state.onRequest?.(++count);
    if (req.method !== 'POST' || req.url !== '/graphql') return reply(res, 404, { message: 'Not Found' });
    const fault = state.faults.shift();
    if (fault?.kind === 'bad-gateway') return reply(res, 502, { message: 'Server Error' });
    if (fault?.kind === 'secondary-rate-limit') {
      return reply(
        res,
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        },
        { 'retry-after': String(fault.retryAfterSeconds) },
      );
    }
    if (fault?.kind === 'rate-limited') {
      return reply(
        res,
        200,
        { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) },
      );
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    const variables = body.variables ?? {};
    const document = parse(body.query);
    const errors = validate(schema, document);
    if (errors.length > 0)
      return reply(res, 200, { errors: errors.map((error) => ({ message: error.message })) });
    const cost = queryCost(document, variables);
    state.rateLimit.remaining = Math.max(0, state.rateLimit.remaining - cost);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    state.received.push({ operationName: operation?.name?.value ?? null, cost, variables });
    const rootValue = {
      rateLimit: () => ({
        cost,
        limit: state.rateLimit.limit,
        remaining: state.rateLimit.remaining,
        used: state.rateLimit.limit - state.rateLimit.remaining,
        resetAt: state.rateLimit.resetAt.toISOString(),
        nodeCount: 0,
      }),
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const repo = state.repositories.find(
          (r) => r.nameWithOwner.toLowerCase() === `${owner}/${name}`.toLowerCase(),
        );
        if (!repo) throw notFound(`repository with the name '${owner}/${name}'`);
        return repositoryNode(repo);
      },
      node: ({ id }: { id: string }) => {
        for (const repo of state.repositories) {
          const issue = repositoryNode(repo).issueNode(id);
          if (issue) return issue;
        }
        return null;
      },
      repositoryOwner: ({ login }: { login: string }) => {
        const owned = state.repositories.filter((r) =>
          r.nameWithOwner.toLowerCase().startsWith(`${login.toLowerCase()}/`),
        );
        if (owned.length === 0) return null;
        return {
          __typename: 'Organization',
          repositories: (args: ConnectionArgs) => connection(owned.map(repositoryNode), args),
        };
      },
    };
    const result = await execute({ schema, document, rootValue, variableValues: variables });
    const type = (error: GraphQLError) =>
      (error.originalError as GraphQLError | undefined)?.extensions?.['type'];
    reply(res, 200, {
      data: result.data ?? null,
      ...(result.errors
        ? {
            errors: result.errors.map((error) => ({
              message: error.message,
              path: error.path,
              type: type(error),
            })),
          }
        : {}),
    });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
