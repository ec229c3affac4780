import { realSleep } from '../shared/github-client.ts';
import type { JiraChangelog, JiraComment, JiraIssue, JiraStatusDetails } from './map.ts';

/**
 * Jira Cloud REST v3, the few endpoints the collector reads, over `fetch` with basic auth (e-mail + API
 * token). Rate limits: any endpoint may answer 429 (or 503) with `Retry-After` in seconds; retrying sooner
 * fails again, so the wait is honoured exactly, through the injected `sleep` (tests never wait in real time).
 * Without the header, Atlassian's guidance: back off from 5 s, doubling, capped at 30 s, with jitter. A small
 * loop rather than a library: no maintained HTTP client lets its Retry-After wait be injected.
 */
export interface JiraClientOptions {
  /** `JIRA_BASE_URL`: https://your-site.atlassian.net, or a test server. */
  baseUrl: string;
  email: string;
  apiToken: string;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Retries per request for 429, 5xx and network errors (default 4). */
  maxRetries?: number;
  signal?: AbortSignal | undefined;
}

export interface JiraUsage {
  requests: number;
  retries: number;
  /** Milliseconds spent waiting for rate limits and backoff. */
  waitedMs: number;
}

export class JiraApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(`Jira ${path} answered ${status}: ${message}`);
    this.name = 'JiraApiError';
  }
}

export interface JiraSearchPage {
  issues: JiraIssue[];
  nextPageToken?: string | null;
  isLast?: boolean;
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
  myself(): Promise<{ accountId: string; timeZone?: string }>;
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
  const authorization = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;
  const usage: JiraUsage = { requests: 0, retries: 0, waitedMs: 0 };

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
        failure = error;
      }
      if (response?.ok) return (await response.json()) as T;
      if (response && !RETRYABLE.has(response.status)) throw await apiError(response, path);
      if (attempt >= maxRetries) {
        if (response) throw await apiError(response, path);
        throw new Error(`Jira ${path}: ${failure instanceof Error ? failure.message : String(failure)}`, {
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
    myself: () => request('GET', '/rest/api/3/myself'),
    statuses: () => request('GET', '/rest/api/3/status'),
    search: (body) => request('POST', '/rest/api/3/search/jql', body),
    bulkChangelogs: (body) => request('POST', '/rest/api/3/changelog/bulkfetch', body),
    comments: (issueIdOrKey, startAt) =>
      request(
        'GET',
        `/rest/api/3/issue/${encodeURIComponent(issueIdOrKey)}/comment?startAt=${startAt}&maxResults=100&orderBy=created`,
      ),
  };
}

/** Jira's error body: `{ errorMessages: [...], errors: { field: message } }`. Never echoes credentials. */
async function apiError(response: Response, path: string): Promise<JiraApiError> {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string> };
    message = [...(body.errorMessages ?? []), ...Object.values(body.errors ?? {})].join('; ') || message;
  } catch {
    // not JSON: keep the text
  }
  return new JiraApiError(response.status, path.split('?')[0] ?? path, message || response.statusText);
}
