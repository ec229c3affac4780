import Bottleneck from 'bottleneck';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import type { OctokitOptions } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Clock } from '../../server/clock.ts';

/**
 * The GitHub API client the GitHub collectors share: `@octokit/core` with the maintained throttling plugin
 * (primary limit — HTTP 200 + `RATE_LIMITED` on GraphQL —, and secondary limits — 403/429 with
 * `retry-after`) and retry plugin (5xx and network errors). The plugins decide *whether* to retry; every
 * wait goes through the injected `sleep`, so tests never wait in real time.
 */
export interface GithubClientOptions {
  /** `GITHUB_API_URL`: https://api.github.com, a GitHub Enterprise Server `https://host/api/v3`, or a test server. */
  baseUrl: string;
  /** `GITHUB_TOKEN`; null sends no Authorization header. Ignored when `app` is given. */
  token: string | null;
  /** A GitHub App installation: `@octokit/auth-app` signs the app's JWT and renews the one-hour
   * installation token (on `clock`: a token is reused for 59 minutes, then a new one is asked for). */
  app?: GithubAppCredentials | null;
  clock: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** Retries per request for each kind of failure (default 4). */
  maxRetries?: number;
  /** Below this many points left, wait for the reset before the next query (default 100). */
  rateLimitReserve?: number;
  /** Spacing between requests, which are sent one at a time (default 250 ms: well under GitHub's secondary
   * limit of 2,000 GraphQL requests a minute). */
  minRequestSpacingMs?: number;
  /** Backoff base for 5xx/network retries: base × 2^(attempt−1), plus up to 50% jitter (default 1000 ms). */
  backoffBaseMs?: number;
  random?: () => number;
}

export interface GithubAppCredentials {
  /** The numeric app id or its client id (`Iv…`). */
  appId: string | number;
  /** The app's PEM private key. A secret: never logged. */
  privateKey: string;
  installationId: number;
}

/** What the rate limit looked like after the last answer, and what this client has spent. */
export interface GithubUsage {
  pointsSpent: number;
  remaining: number | null;
  resetAt: Date | null;
  requests: number;
  retries: number;
}

/** Every GraphQL query this client sends should select this, so cost and budget are known per page. */
export interface RateLimitInfo {
  cost: number;
  remaining: number;
  resetAt: string;
}

export interface GithubClient {
  graphql<T>(query: string, variables: Record<string, unknown>): Promise<T>;
  /** A REST call (`GET /repos/{owner}/{repo}/…`) through the same plugins; answers the response body. */
  request<T>(route: string, parameters: Record<string, unknown>): Promise<T>;
  /** A page of a REST listing, and the next page's number from GitHub's `Link` header (null on the last). */
  requestPage<T>(
    route: string,
    parameters: Record<string, unknown>,
  ): Promise<{ data: T; nextPage: number | null }>;
  readonly usage: Readonly<GithubUsage>;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** GitHub's installation tokens live an hour; auth-app's own cache reuses one for 59 minutes. */
const INSTALLATION_TOKEN_REUSE_MS = 59 * 60_000;

/** REST answers are pinned to this API version, so a GitHub-side default change cannot reshape them. */
const REST_API_VERSION = '2022-11-28';

interface RequestState {
  retryCount?: number;
  /** Set by a rate-limit handler: how long to wait before the retry it asked for. */
  groundworkWaitMs?: number;
}

/**
 * Each call gets its own `request` options object. Without one, every request shares the client's defaults
 * object, and the retry plugin's `retryCount` (and our pending wait) written on it would outlive the request
 * that failed: after one 502, every later request would back off as if it were a retry.
 */
const freshRequestState = (): RequestState => ({});

/** auth-app's token cache, expiring on the injected clock (its built-in one reads the wall clock). */
function installationTokenCache(clock: Clock) {
  const entries = new Map<string, { value: string; storedAt: number }>();
  return {
    get(key: string): string {
      const entry = entries.get(key);
      // auth-app treats a falsy answer as a miss and asks GitHub for a new token.
      if (!entry || clock.now().getTime() - entry.storedAt >= INSTALLATION_TOKEN_REUSE_MS) return '';
      return entry.value;
    },
    set(key: string, value: string): void {
      entries.set(key, { value, storedAt: clock.now().getTime() });
    },
  };
}

export function createGithubClient(options: GithubClientOptions): GithubClient {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const maxRetries = options.maxRetries ?? 4;
  const reserve = options.rateLimitReserve ?? 100;
  const backoffBaseMs = options.backoffBaseMs ?? 1000;
  const usage: GithubUsage = { pointsSpent: 0, remaining: null, resetAt: null, requests: 0, retries: 0 };

  // Registered before the plugins, so this runs inside their retry loops: once per attempt.
  const waitBeforeRetry = (octokit: Octokit) => {
    octokit.hook.before('request', async (endpoint) => {
      usage.requests++;
      const state = endpoint.request as RequestState | undefined;
      if (!state) return;
      if (state.groundworkWaitMs !== undefined) {
        const waitMs = state.groundworkWaitMs;
        delete state.groundworkWaitMs;
        usage.retries++;
        await sleep(waitMs + Math.round(random() * 250));
      } else if ((state.retryCount ?? 0) > 0) {
        usage.retries++;
        const exponential = backoffBaseMs * 2 ** ((state.retryCount ?? 1) - 1);
        await sleep(exponential + Math.round(random() * exponential * 0.5));
      }
    });
  };
  const onLimit = (
    retryAfterSeconds: number,
    endpoint: { request?: unknown },
    _octokit: unknown,
    retryCount: number,
  ) => {
    if (retryCount >= maxRetries) return false;
    const state = endpoint.request as RequestState | undefined;
    if (state) state.groundworkWaitMs = Math.max(retryAfterSeconds, 1) * 1000;
    return true;
  };

  const Client = Octokit.plugin(waitBeforeRetry, throttling, retry);
  const clientOptions: OctokitOptions = {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: 'groundwork-collector',
    throttle: {
      // The plugin's own wait is zeroed: the handlers above hand the wait to `sleep`.
      retryAfterBaseValue: 0,
      fallbackSecondaryRateRetryAfter: 60,
      // The plugin queues GraphQL (and writes) through this group: one request at a time, spaced.
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.minRequestSpacingMs ?? 250 }),
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
    },
    // 403/429 are the throttling plugin's to retry; this one takes 5xx and network errors.
    retry: {
      retries: maxRetries,
      retryAfterBaseValue: 0,
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
  };
  if (options.app) {
    clientOptions.authStrategy = createAppAuth;
    clientOptions.auth = {
      appId: options.app.appId,
      privateKey: options.app.privateKey,
      installationId: options.app.installationId,
      cache: installationTokenCache(options.clock),
    };
  } else if (options.token) {
    clientOptions.auth = options.token;
  }
  const octokit = new Client(clientOptions);
  const account = (rateLimit: RateLimitInfo | null | undefined) => {
    if (!rateLimit) return null;
    usage.pointsSpent += rateLimit.cost;
    usage.remaining = rateLimit.remaining;
    usage.resetAt = new Date(rateLimit.resetAt);
    return rateLimit;
  };

  return {
    usage,
    async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
      let result: T & { rateLimit?: RateLimitInfo | null };
      try {
        result = await octokit.graphql<T & { rateLimit?: RateLimitInfo | null }>(query, {
          ...variables,
          request: freshRequestState(),
        });
      } catch (error) {
        // An answer with errors (a repository not found) was still charged: its partial data says how much.
        account((error as { data?: { rateLimit?: RateLimitInfo | null } | null }).data?.rateLimit);
        throw error;
      }
      const rateLimit = account(result.rateLimit);
      // Slow down before running out: sleeping until the reset beats a RATE_LIMITED error mid-page. GitHub's
      // reset is a real instant: measured on the wall clock, never on the injected (possibly pinned) one.
      if (rateLimit && rateLimit.remaining < reserve) {
        const waitMs = new Date(rateLimit.resetAt).getTime() - Date.now() + 1000;
        if (waitMs > 0) await sleep(waitMs);
      }
      return result;
    },
    async request<T>(route: string, parameters: Record<string, unknown>): Promise<T> {
      const response = await octokit.request(route, {
        ...parameters,
        headers: { 'x-github-api-version': REST_API_VERSION },
        request: freshRequestState(),
      });
      return response.data as T;
    },
    async requestPage<T>(route: string, parameters: Record<string, unknown>) {
      const response = await octokit.request(route, {
        ...parameters,
        headers: { 'x-github-api-version': REST_API_VERSION },
      });
      return { data: response.data as T, nextPage: nextPageOf(response.headers.link) };
    },
  };
}

/** `<https://api.github.com/repositories/1/actions/runs?page=2&per_page=100>; rel="next", …` → 2. */
export function nextPageOf(link: string | undefined): number | null {
  const next = link
    ?.split(',')
    .map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part)?.[1])
    .find((url) => url !== undefined);
  const page = next ? new URL(next).searchParams.get('page') : null;
  return page ? Number(page) : null;
}
