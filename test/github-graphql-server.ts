// A local stand-in for GitHub's API on 127.0.0.1: it executes the collector's real GraphQL queries against
// GitHub's published schema (@octokit/graphql-schema) over fixture data, pages with pageInfo/endCursor,
// charges points with GitHub's cost formula and runs out of them like GitHub (HTTP 200 + RATE_LIMITED),
// serves the REST workflow-run listings (and GitHub Actions runs, attempts and jobs: github-actions-fixture.ts),
// checks tokens, issues GitHub App installation tokens against a signed JWT, and can inject the failures
// GitHub produces.
import { createPublicKey, createVerify } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { schema as githubSchema } from '@octokit/graphql-schema';
import { buildClientSchema, execute, GraphQLError, Kind, parse, validate } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { answerActions } from './github-actions-fixture.ts';
import { connection, listWorkflowRuns, queryCost, repositoryNode } from './github-fixture-graph.ts';
import type { ConnectionArgs, FixtureRepository } from './github-fixture-graph.ts';

export { queryCost };
export type {
  FixtureCommit,
  FixtureDeployment,
  FixtureIssue,
  FixturePullRequest,
  FixtureRelease,
  FixtureRepository,
  FixtureReview,
  FixtureWorkflowRun,
} from './github-fixture-graph.ts';

export type Fault =
  | { kind: 'bad-gateway' }
  /** The connection is dropped without an answer. */
  | { kind: 'connection-reset' }
  /** GitHub answers secondary limits with 403 or 429. */
  | { kind: 'secondary-rate-limit'; retryAfterSeconds: number; status?: 403 | 429 }
  | { kind: 'rate-limited' };

/** A GitHub App the server knows: installation tokens are issued to a JWT signed with its key. */
export interface TestGithubApp {
  appId: string;
  installationId: number;
  /** PEM public key of the app's private key. */
  publicKey: string;
}

export interface GithubTestServer {
  url: string;
  /** Replace or edit the fixture between syncs. */
  repositories: FixtureRepository[];
  /** Served, in order, instead of the next requests' answers. */
  faults: Fault[];
  /** Every GraphQL query answered (after faults and auth), with the points it cost. */
  received: { operationName: string | null; cost: number; variables: Record<string, unknown> }[];
  /** Every REST request answered: `METHOD /path?query`, and the API version it asked for. */
  restReceived: { request: string; apiVersion: string | null }[];
  /** The points left and when they come back. A query costing more than is left gets RATE_LIMITED. */
  rateLimit: { limit: number; remaining: number; resetAt: Date };
  /** Accepted tokens; null accepts any (but a request without one is still a 401). */
  tokens: Set<string> | null;
  app: TestGithubApp | null;
  /** Installation tokens issued, in order. */
  issuedTokens: string[];
  /** Called as each request arrives, before it is answered. */
  onRequest: ((count: number) => void) | null;
  /** What GitHub does at `resetAt`: the budget is full again, for the next hour. */
  resetRateLimit(): void;
  close(): Promise<void>;
}

let cachedSchema: GraphQLSchema | undefined;

/** GitHub's schema from its introspection JSON (`buildSchema(idl)` throws on the SDL's duplicate fields). */
export function githubGraphqlSchema(): GraphQLSchema {
  cachedSchema ??= buildClientSchema(githubSchema.json as Parameters<typeof buildClientSchema>[0]);
  return cachedSchema;
}

const notFound = (what: string) =>
  new GraphQLError(`Could not resolve to a ${what}.`, { extensions: { type: 'NOT_FOUND' } });

/** A JWT's claims if it is an RS256 token signed by `publicKey`, else null. */
function verifiedJwtClaims(jwt: string, publicKey: string): Record<string, unknown> | null {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return null;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header}.${payload}`);
  if (!verifier.verify(createPublicKey(publicKey), Buffer.from(signature, 'base64url'))) return null;
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export async function startGithubTestServer(repositories: FixtureRepository[]): Promise<GithubTestServer> {
  const schema = githubGraphqlSchema();
  const state: Omit<GithubTestServer, 'url' | 'close'> = {
    repositories,
    faults: [],
    received: [],
    restReceived: [],
    rateLimit: { limit: 5000, remaining: 5000, resetAt: new Date(Date.now() + 3_600_000) },
    tokens: null,
    app: null,
    issuedTokens: [],
    onRequest: null,
    resetRateLimit() {
      state.rateLimit.remaining = state.rateLimit.limit;
      state.rateLimit.resetAt = new Date(state.rateLimit.resetAt.getTime() + 3_600_000);
    },
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
  const rateLimited = (res: ServerResponse) =>
    reply(
      res,
      200,
      { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] },
      { 'x-ratelimit-remaining': '0' },
    );

  /** POST /app/installations/{id}/access_tokens: a JWT signed with the app's key buys a one-hour token. */
  const issueInstallationToken = (req: IncomingMessage, res: ServerResponse, installationId: number) => {
    const jwt = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const claims = jwt && state.app ? verifiedJwtClaims(jwt, state.app.publicKey) : null;
    if (!claims || String(claims['iss']) !== state.app?.appId) {
      return reply(res, 401, { message: 'A JSON web token could not be decoded' });
    }
    if (installationId !== state.app.installationId) return reply(res, 404, { message: 'Not Found' });
    const token = `ghs_test${state.issuedTokens.length + 1}`;
    state.issuedTokens.push(token);
    state.tokens?.add(token);
    reply(res, 201, {
      token,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: { metadata: 'read', contents: 'read', pull_requests: 'read' },
      repository_selection: 'all',
    });
  };

  const answerGraphql = async (res: ServerResponse, body: string) => {
    const request = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
    const variables = request.variables ?? {};
    const document = parse(request.query);
    const errors = validate(schema, document);
    if (errors.length > 0)
      return reply(res, 200, { errors: errors.map((error) => ({ message: error.message })) });
    const cost = queryCost(document, variables);
    if (cost > state.rateLimit.remaining) return rateLimited(res);
    state.rateLimit.remaining -= cost;
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
          const found = repositoryNode(repo).nodeById(id);
          if (found) return found;
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    state.onRequest?.(++count);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fault = state.faults.shift();
    if (fault?.kind === 'bad-gateway') {
      // From the gateway in front of the API: no rate-limit headers.
      res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
      return res.end(JSON.stringify({ message: 'Server Error' }));
    }
    if (fault?.kind === 'connection-reset') return req.socket.destroy();
    if (fault?.kind === 'secondary-rate-limit') {
      return reply(
        res,
        fault.status ?? 403,
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
    const installation = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (req.method === 'POST' && installation) {
      return issueInstallationToken(req, res, Number(installation[1]));
    }
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return reply(res, 401, { message: 'Requires authentication' });
    if (state.tokens && !state.tokens.has(token)) return reply(res, 401, { message: 'Bad credentials' });
    if (req.method === 'POST' && url.pathname === '/graphql') {
      return answerGraphql(res, Buffer.concat(chunks).toString('utf8'));
    }
    const runs = /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/runs$/.exec(url.pathname);
    const repo =
      runs &&
      state.repositories.find((r) => r.nameWithOwner.toLowerCase() === `${runs[1]}/${runs[2]}`.toLowerCase());
    if (req.method === 'GET' && runs && repo) {
      const apiVersion = req.headers['x-github-api-version'];
      state.restReceived.push({
        request: `GET ${url.pathname}${url.search}`,
        apiVersion: typeof apiVersion === 'string' ? apiVersion : null,
      });
      return reply(res, 200, listWorkflowRuns(repo, decodeURIComponent(runs[3] ?? ''), url.searchParams));
    }
    const actions = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs(\/|$)/.exec(url.pathname);
    const actionsRepo =
      actions &&
      state.repositories.find(
        (r) => r.nameWithOwner.toLowerCase() === `${actions[1]}/${actions[2]}`.toLowerCase(),
      );
    const answer =
      req.method === 'GET' && actions && actionsRepo
        ? answerActions(
            new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
            actions[1] ?? '',
            actions[2] ?? '',
            actionsRepo.actionsRuns ?? [],
          )
        : null;
    if (answer) {
      const apiVersion = req.headers['x-github-api-version'];
      state.restReceived.push({
        request: `GET ${url.pathname}${url.search}`,
        apiVersion: typeof apiVersion === 'string' ? apiVersion : null,
      });
      return reply(res, answer.status, answer.body, answer.headers);
    }
    reply(res, 404, { message: 'Not Found' });
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
