import { realSleep } from '../shared/github-client.ts';
import type { JiraChangelog, JiraComment, JiraIssue, JiraStatusDetails } from './map.ts';

/**
 * Jira's REST API, the few endpoints the collector reads, over `fetch`:
 * - **Cloud** (REST v3): basic auth with an e-mail and an API token, enhanced JQL search (`nextPageToken`),
 *   changelogs in bulk;
 * - **Data Center / Server** (REST v2): a personal access token as a bearer token, `startAt` paging, each
 *   issue's changelog expanded with it.
 * Rate limits: any endpoint may answer 429 (or 503) with `Retry-After` in seconds; retrying sooner fails
 * again, so the wait is honoured exactly, through the injected `sleep` (tests never wait in real time).
 * Without the header, Atlassian's guidance: back off from 5 s, doubling, capped at 30 s, with jitter. A host
 * that does not resolve or refuses the connection fails at once, named: retrying does not fix a wrong
 * `JIRA_BASE_URL`. A small loop rather than a library: no maintained HTTP client lets its Retry-After wait be
 * injected.
 */
export interface JiraClientOptions {
  /** `JIRA_BASE_URL`: https://your-site.atlassian.net, https://jira.example.com, or a test server. */
  baseUrl: string;
  /** Cloud: the account the API token belongs to. Data Center: unused (the token is a bearer token). */
  email: string | null;
  /** Cloud: an API token; Data Center: a personal access token. */
  apiToken: string;
  /** `JIRA_DEPLOYMENT`; default: cloud with an e-mail, Data Center without. */
  deployment?: JiraDeployment;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Retries per request for 429, 5xx and network errors (default 4). */
  maxRetries?: number;
  signal?: AbortSignal | undefined;
}

export type JiraDeployment = 'cloud' | 'datacenter';

export interface JiraUsage {
  requests: number;
  retries: number;
  /** Milliseconds spent waiting for rate limits and backoff. */
  waitedMs: number;
}

export class JiraApiError extends Error {
  /** Running again does not help (bad credentials, no permission): the configuration must change. */
  readonly resumable: boolean;
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
    hint = '',
  ) {
    super(`Jira ${path} answered ${status}: ${message}${hint}`);
    this.name = 'JiraApiError';
    this.resumable = status !== 401 && status !== 403;
  }
}

/** Jira could not be reached at all: the host does not resolve, or refuses the connection. */
export class JiraConnectionError extends Error {
  readonly resumable = false;
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'JiraConnectionError';
  }
}

export interface JiraSearchPage {
  issues: JiraIssue[];
  /** Cloud's page token; on Data Center, the next `startAt`. */
  nextPageToken?: string | null;
  isLast?: boolean;
}

/** REST v2 search (Data Center / Server): offset paging, the changelog expanded on each issue. */
interface JiraV2SearchPage {
  startAt: number;
  maxResults: number;
  total: number;
  issues: JiraIssue[];
}

export interface JiraBulkChangelogPage {
  issueChangeLogs?: { issueId: string; changeHistories?: JiraChangelog[] }[];
  nextPageToken?: string | null;
}

export interface JiraCommentPage {
  comments: JiraComment[];
  startAt: number;
  maxResults: number;
  total: number;
}

export interface JiraClient {
  readonly usage: Readonly<JiraUsage>;
  readonly deployment: JiraDeployment;
  myself(): Promise<{ accountId?: string; name?: string; timeZone?: string }>;
  statuses(): Promise<JiraStatusDetails[]>;
  search(body: {
    jql: string;
    fields: string[];
    maxResults: number;
    nextPageToken?: string | undefined;
  }): Promise<JiraSearchPage>;
  bulkChangelogs(body: {
    issueIdsOrKeys: string[];
    fieldIds: string[];
    maxResults: number;
    nextPageToken?: string | undefined;
  }): Promise<JiraBulkChangelogPage>;
  comments(issueIdOrKey: string, startAt: number): Promise<JiraCommentPage>;
  /** Data Center: one issue's whole changelog (search expands only its first entries). */
  issueChangelog(issueIdOrKey: string): Promise<JiraChangelog[]>;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** `Retry-After`: seconds, or an HTTP date. */
function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function createJiraClient(options: JiraClientOptions): JiraClient {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const maxRetries = options.maxRetries ?? 4;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const deployment = options.deployment ?? (options.email ? 'cloud' : 'datacenter');
  const authorization =
    deployment === 'cloud'
      ? `Basic ${Buffer.from(`${options.email ?? ''}:${options.apiToken}`).toString('base64')}`
      : `Bearer ${options.apiToken}`;
  const credentials =
    deployment === 'cloud'
      ? 'JIRA_EMAIL and JIRA_API_TOKEN (an API token of that account)'
      : 'JIRA_API_TOKEN (a personal access token) and JIRA_DEPLOYMENT';
  const usage: JiraUsage = { requests: 0, retries: 0, waitedMs: 0 };
  const v = deployment === 'cloud' ? 3 : 2;

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      usage.requests++;
      let response: Response | null = null;
      let failure: unknown = null;
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const unreachable = unreachableHost(error, baseUrl);
        if (unreachable) throw unreachable;
        failure = error;
      }
      if (response?.ok) return (await response.json()) as T;
      if (response && !RETRYABLE.has(response.status)) {
        const hint =
          response.status === 401
            ? ` (check ${credentials})`
            : response.status === 403
              ? ' (the account lacks permission: it needs to browse the configured projects)'
              : '';
        throw await apiError(response, path, hint);
      }
      if (attempt >= maxRetries) {
        if (response) throw await apiError(response, path);
        throw new Error(`Jira ${path}: ${networkCause(failure)} after ${attempt + 1} attempts`, {
          cause: failure,
        });
      }
      await response?.body?.cancel();
      const told = response ? retryAfterMs(response.headers.get('retry-after'), Date.now()) : null;
      const backoff = Math.min(5000 * 2 ** attempt, 30_000) * (0.7 + random() * 0.6);
      const waitMs = told ?? Math.round(backoff);
      usage.retries++;
      usage.waitedMs += waitMs;
      await sleep(waitMs);
    }
  }

  return {
    usage,
    deployment,
    myself: () => request('GET', `/rest/api/${v}/myself`),
    statuses: () => request('GET', `/rest/api/${v}/status`),
    async search(body) {
      if (deployment === 'cloud') return request('POST', '/rest/api/3/search/jql', body);
      const startAt = Number(body.nextPageToken ?? 0);
      const page = await request<JiraV2SearchPage>('POST', '/rest/api/2/search', {
        jql: body.jql,
        fields: body.fields,
        startAt,
        maxResults: body.maxResults,
        expand: ['changelog'],
      });
      const next = page.startAt + page.issues.length;
      const isLast = page.issues.length === 0 || next >= page.total;
      return { issues: page.issues, isLast, nextPageToken: isLast ? null : String(next) };
    },
    bulkChangelogs: (body) => request('POST', '/rest/api/3/changelog/bulkfetch', body),
    comments: (issueIdOrKey, startAt) =>
      request(
        'GET',
        `/rest/api/${v}/issue/${encodeURIComponent(issueIdOrKey)}/comment?startAt=${startAt}&maxResults=100&orderBy=created`,
      ),
    async issueChangelog(issueIdOrKey) {
      const issue = await request<JiraIssue>(
        'GET',
        `/rest/api/2/issue/${encodeURIComponent(issueIdOrKey)}?fields=status&expand=changelog`,
      );
      return issue.changelog?.histories ?? [];
    },
  };
}

/**
 * Cloud or Data Center, as the site says (`GET /rest/api/2/serverInfo`, answered without credentials:
 * `deploymentType` is `Cloud`, `Server` or `DataCenter`); null when it does not say.
 */
export async function detectJiraDeployment(
  baseUrl: string,
  signal?: AbortSignal,
): Promise<JiraDeployment | null> {
  const url = `${baseUrl.replace(/\/+$/, '')}/rest/api/2/serverInfo`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    throw unreachableHost(error, baseUrl) ?? error;
  }
  if (!response.ok) {
    await response.body?.cancel();
    return null;
  }
  const info = (await response.json().catch(() => null)) as { deploymentType?: string } | null;
  const type = info?.deploymentType?.toLowerCase();
  return type === 'cloud' ? 'cloud' : type === 'server' || type === 'datacenter' ? 'datacenter' : null;
}

/** What a failed `fetch` ran into: `ECONNREFUSED`, `ENOTFOUND`, … (undici hides it in `cause`). */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code) return `${cause.message ?? 'network error'} (${cause.code})`;
  return error instanceof Error ? error.message : String(error);
}

/** A host that does not resolve or refuses connections: failing at once, named, beats minutes of retries. */
function unreachableHost(error: unknown, baseUrl: string): JiraConnectionError | null {
  const code = (error as { cause?: { code?: string } } | null)?.cause?.code;
  const host = new URL(baseUrl).host;
  // EAI_AGAIN: no name server answered, which on a machine without DNS is as final as ENOTFOUND.
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new JiraConnectionError(
      `Jira host ${host} was not found (DNS: ${code}): check JIRA_BASE_URL (${baseUrl})`,
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new JiraConnectionError(
      `Jira at ${baseUrl} refused the connection (ECONNREFUSED): is JIRA_BASE_URL right, and is ${host} up?`,
      { cause: error },
    );
  }
  return null;
}

/** Jira's error body: `{ errorMessages: [...], errors: { field: message } }`. Never echoes credentials. */
async function apiError(response: Response, path: string, hint = ''): Promise<JiraApiError> {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string> };
    message = [...(body.errorMessages ?? []), ...Object.values(body.errors ?? {})].join('; ') || message;
  } catch {
    // not JSON: keep the text
  }
  return new JiraApiError(response.status, path.split('?')[0] ?? path, message || response.statusText, hint);
}
