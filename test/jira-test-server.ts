// A local stand-in for Jira's REST API on 127.0.0.1, answering with Jira's JSON shapes. As Jira Cloud (REST
// v3): enhanced JQL search with nextPageToken paging and only the requested fields, changelog bulk fetch
// filtered to field ids with epoch-millisecond times, basic auth. As Jira Data Center / Server (REST v2):
// search with startAt/total paging and the changelog expanded on each issue (its first entries; the issue
// endpoint gives all), people by user key and name, a personal access token as a bearer token. Both: statuses
// with their categories, comment pages, serverInfo's deploymentType, and the 429s (with Retry-After) and
// 5xx answers Jira gives.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jqlDate } from '../collectors/jira/map.ts';

export interface JiraFixtureStatus {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
  /** false: a retired workflow's status, missing from `/status`, which issues still show. */
  listed?: boolean;
}

export interface JiraFixtureHistory {
  id: string;
  author: string | null;
  /** ISO time; served as epoch milliseconds by bulk fetch. */
  created: string;
  items: { field: string; from: string | null; to: string | null }[];
}

export interface JiraFixtureIssue {
  id: string;
  key: string;
  summary: string;
  issueType: string;
  /** Jira's format: 2026-03-02T10:00:00.000+0100 */
  created: string;
  updated: string;
  resolutiondate?: string | null;
  statusId: string;
  reporter: { accountId: string; emailAddress?: string } | null;
  labels?: string[];
  components?: string[];
  comments?: { id: string; author: string; created: string }[];
  history: JiraFixtureHistory[];
  extraFields?: Record<string, unknown>;
}

export type JiraFault =
  | { kind: 'rate-limit'; retryAfter: string; path?: string }
  | { kind: 'status'; status: number; path?: string; times?: number };

export interface JiraTestServer {
  url: string;
  email: string;
  apiToken: string;
  timeZone: string;
  statuses: JiraFixtureStatus[];
  issues: JiraFixtureIssue[];
  /** Served, in order, instead of the next matching requests' answers. */
  faults: JiraFault[];
  /** Refuses every page token handed out so far (they expire after 7 days on Jira). */
  expireTokens(): void;
  searchPageSize: number;
  /** From now, after `count` answered searches every search fails with a 500 (a crash mid-walk); null: never. */
  failSearchesAfter(count: number | null): void;
  /** How many comments search includes per issue (Jira caps what search returns). */
  commentsInSearch: number;
  received: { method: string; path: string; body: Record<string, unknown> | null; status: number }[];
  /** Cloud (REST v3, basic auth) or Data Center (REST v2, bearer personal access token). */
  deployment: 'cloud' | 'datacenter';
  /** Data Center: how many changelog entries search expands per issue (Jira caps them). */
  changelogInSearch: number;
  close(): Promise<void>;
}

const CATEGORY = {
  new: { id: 2, key: 'new', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', name: 'In Progress' },
  done: { id: 3, key: 'done', name: 'Done' },
};

const token = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const untoken = (text: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
};
const jiraTime = (text: string) => new Date(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

export async function startJiraTestServer(
  fixture: { statuses: JiraFixtureStatus[]; issues: JiraFixtureIssue[] },
  options: { timeZone?: string; deployment?: 'cloud' | 'datacenter' } = {},
): Promise<JiraTestServer> {
  const state = {
    deployment: options.deployment ?? ('cloud' as 'cloud' | 'datacenter'),
    changelogInSearch: 20,
    email: 'collector@acme.test',
    apiToken: 'jira-test-token',
    timeZone: options.timeZone ?? 'Europe/Berlin',
    statuses: fixture.statuses,
    issues: fixture.issues,
    faults: [] as JiraFault[],
    searchPageSize: 50,
    commentsInSearch: 20,
    received: [] as JiraTestServer['received'],
  };
  let generation = 0;
  let searches = 0;
  let failAfter: number | null = null;

  /** Cloud names people by account id; Data Center by user key and login name. */
  const person = (id: string, extra: Record<string, unknown> = {}) =>
    state.deployment === 'cloud'
      ? { accountId: id, displayName: 'Someone', active: true, ...extra }
      : { key: id, name: id, displayName: 'Someone', active: true, ...extra };
  const api = () => (state.deployment === 'cloud' ? '/rest/api/3' : '/rest/api/2');

  const statusJson = (id: string) => {
    const status = state.statuses.find((candidate) => candidate.id === id);
    if (!status) throw new Error(`fixture: no status ${id}`);
    return { id: status.id, name: status.name, statusCategory: CATEGORY[status.category] };
  };

  const issueJson = (issue: JiraFixtureIssue, fields: readonly string[]) => {
    const comments = issue.comments ?? [];
    const all: Record<string, unknown> = {
      summary: issue.summary,
      issuetype: { id: '10000', name: issue.issueType, subtask: false },
      project: { id: '10000', key: issue.key.split('-')[0], name: `Project ${issue.key.split('-')[0]}` },
      status: statusJson(issue.statusId),
      created: issue.created,
      updated: issue.updated,
      resolutiondate: issue.resolutiondate ?? null,
      reporter:
        issue.reporter &&
        person(
          issue.reporter.accountId,
          issue.reporter.emailAddress ? { emailAddress: issue.reporter.emailAddress } : {},
        ),
      labels: issue.labels ?? [],
      components: (issue.components ?? []).map((name, i) => ({ id: String(10_000 + i), name })),
      comment: {
        comments: comments.slice(0, state.commentsInSearch).map(commentJson),
        maxResults: state.commentsInSearch,
        total: comments.length,
        startAt: 0,
      },
      ...issue.extraFields,
    };
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${server.url}${api()}/issue/${issue.id}`,
      key: issue.key,
      fields: Object.fromEntries(fields.filter((field) => field in all).map((field) => [field, all[field]])),
    };
  };

  const commentJson = (comment: { id: string; author: string; created: string }) => ({
    id: comment.id,
    author: person(comment.author),
    body: { type: 'doc', version: 1, content: [] },
    created: comment.created,
    updated: comment.created,
  });

  const statusName = (id: string | null) =>
    id ? (state.statuses.find((status) => status.id === id)?.name ?? id) : null;
  /** An issue's changelog as Data Center expands it: Jira time strings, from/to with their names. */
  const changelogJson = (issue: JiraFixtureIssue, limit: number) => {
    const histories = [...issue.history].sort((a, b) => Date.parse(a.created) - Date.parse(b.created));
    return {
      startAt: 0,
      maxResults: Math.min(limit, histories.length),
      total: histories.length,
      histories: histories.slice(0, limit).map((history) => ({
        id: history.id,
        ...(history.author ? { author: person(history.author) } : {}),
        created: new Date(history.created).toISOString().replace('Z', '+0000'),
        items: history.items.map((item) => ({
          field: item.field,
          fieldtype: 'jira',
          from: item.from,
          fromString: item.field === 'status' ? statusName(item.from) : item.from,
          to: item.to,
          toString: item.field === 'status' ? statusName(item.to) : item.to,
        })),
      })),
    };
  };

  /** The JQL the collector sends: `project in ("A", "B") [AND updated >= "yyyy-MM-dd HH:mm"] ORDER BY …`. */
  const matching = (jql: string) => {
    const projects = /project in \(([^)]*)\)/
      .exec(jql)?.[1]
      ?.match(/"([^"]+)"/g)
      ?.map((p) => p.slice(1, -1));
    if (!projects) return null;
    const since = /updated >= "(\d{4}-\d{2}-\d{2} \d{2}:\d{2})"/.exec(jql)?.[1] ?? null;
    return state.issues
      .filter((issue) => projects.includes(issue.key.split('-')[0] ?? ''))
      .filter((issue) => since === null || jqlDate(jiraTime(issue.updated), state.timeZone) >= since)
      .sort(
        (a, b) => jiraTime(a.updated).getTime() - jiraTime(b.updated).getTime() || a.key.localeCompare(b.key),
      );
  };

  const reply = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record = (status: number) =>
      state.received.push({ method: req.method ?? '', path: url.pathname, body, status });
    if (req.method === 'GET' && url.pathname === '/rest/api/2/serverInfo') {
      // Answered without credentials, as Jira does.
      record(200);
      return reply(res, 200, {
        baseUrl: server.url,
        version: state.deployment === 'cloud' ? '1001.0.0-SNAPSHOT' : '9.12.15',
        deploymentType: state.deployment === 'cloud' ? 'Cloud' : 'DataCenter',
      });
    }
    const expected =
      state.deployment === 'cloud'
        ? `Basic ${Buffer.from(`${state.email}:${state.apiToken}`).toString('base64')}`
        : `Bearer ${state.apiToken}`;
    if (req.headers.authorization !== expected) {
      record(401);
      return reply(res, 401, {
        errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
        errors: {},
      });
    }
    const faultIndex = state.faults.findIndex((fault) => !fault.path || url.pathname.startsWith(fault.path));
    const fault = faultIndex >= 0 ? state.faults[faultIndex] : undefined;
    if (fault) {
      if (fault.kind === 'status' && (fault.times ?? 1) > 1) fault.times = (fault.times ?? 1) - 1;
      else state.faults.splice(faultIndex, 1);
      if (fault.kind === 'rate-limit') {
        record(429);
        return reply(
          res,
          429,
          { errorMessages: ['Rate limit exceeded.'] },
          {
            'retry-after': fault.retryAfter,
            'x-ratelimit-limit': '100',
            'x-ratelimit-remaining': '0',
            'ratelimit-reason': 'jira-burst-based',
          },
        );
      }
      record(fault.status);
      return reply(res, fault.status, { errorMessages: ['Internal server error'] });
    }

    if (req.method === 'GET' && url.pathname === `${api()}/myself`) {
      record(200);
      return reply(res, 200, {
        ...person('collector'),
        emailAddress: state.email,
        timeZone: state.timeZone,
        locale: 'en_US',
      });
    }
    if (req.method === 'GET' && url.pathname === `${api()}/status`) {
      record(200);
      return reply(
        res,
        200,
        state.statuses
          .filter((status) => status.listed !== false)
          .map((status) => ({
            ...statusJson(status.id),
            description: '',
            untranslatedName: status.name,
          })),
      );
    }
    if (state.deployment === 'datacenter' && req.method === 'POST' && url.pathname === '/rest/api/2/search') {
      const jql = String(body?.['jql'] ?? '');
      const issues = matching(jql);
      if (!issues) {
        record(400);
        return reply(res, 400, { errorMessages: ['Error in the JQL Query.'], errors: {} });
      }
      const startAt = Number(body?.['startAt'] ?? 0);
      const size = Math.min(Number(body?.['maxResults'] ?? 50), state.searchPageSize);
      const fields = (body?.['fields'] as string[] | undefined) ?? ['*navigable'];
      const expand = (body?.['expand'] as string[] | undefined) ?? [];
      record(200);
      return reply(res, 200, {
        expand: 'schema,names',
        startAt,
        maxResults: size,
        total: issues.length,
        issues: issues.slice(startAt, startAt + size).map((issue) => ({
          ...issueJson(issue, fields),
          ...(expand.includes('changelog')
            ? { changelog: changelogJson(issue, state.changelogInSearch) }
            : {}),
        })),
      });
    }
    const issuePath = /^\/rest\/api\/2\/issue\/([^/]+)$/.exec(url.pathname);
    if (state.deployment === 'datacenter' && req.method === 'GET' && issuePath) {
      const issue = state.issues.find((i) => i.id === issuePath[1] || i.key === issuePath[1]);
      if (!issue) {
        record(404);
        return reply(res, 404, { errorMessages: ['Issue Does Not Exist'], errors: {} });
      }
      record(200);
      return reply(res, 200, {
        ...issueJson(issue, (url.searchParams.get('fields') ?? 'status').split(',')),
        ...(url.searchParams.get('expand')?.includes('changelog')
          ? { changelog: changelogJson(issue, Infinity) }
          : {}),
      });
    }
    if (state.deployment === 'datacenter' && url.pathname.startsWith('/rest/api/3/')) {
      record(404);
      return reply(res, 404, { errorMessages: ['null for uri: ' + url.pathname] });
    }
    if (req.method === 'POST' && url.pathname === '/rest/api/3/search/jql') {
      if (failAfter !== null && searches >= failAfter) {
        record(500);
        return reply(res, 500, { errorMessages: ['Internal server error'] });
      }
      searches++;
      const jql = String(body?.['jql'] ?? '');
      const issues = matching(jql);
      if (!jql || !issues) {
        record(400);
        return reply(res, 400, {
          errorMessages: [
            'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
          ],
          errors: {},
        });
      }
      let offset = 0;
      if (typeof body?.['nextPageToken'] === 'string') {
        const parsed = untoken(body['nextPageToken']);
        if (!parsed || parsed['jql'] !== jql || parsed['generation'] !== generation) {
          record(400);
          return reply(res, 400, {
            errorMessages: ['The provided next page token is invalid or expired.'],
            errors: {},
          });
        }
        offset = Number(parsed['offset']);
      }
      const size = Math.min(Number(body?.['maxResults'] ?? 50), state.searchPageSize);
      const fields = (body?.['fields'] as string[] | undefined) ?? ['id'];
      const slice = issues.slice(offset, offset + size);
      const last = offset + size >= issues.length;
      record(200);
      return reply(res, 200, {
        issues: slice.map((issue) => issueJson(issue, fields)),
        ...(last
          ? { isLast: true }
          : { nextPageToken: token({ offset: offset + size, jql, generation }), isLast: false }),
      });
    }
    if (req.method === 'POST' && url.pathname === '/rest/api/3/changelog/bulkfetch') {
      const ids = (body?.['issueIdsOrKeys'] as string[] | undefined) ?? [];
      const fieldIds = (body?.['fieldIds'] as string[] | undefined) ?? null;
      const size = Number(body?.['maxResults'] ?? 1000);
      const entries = state.issues
        .filter((issue) => ids.includes(issue.id) || ids.includes(issue.key))
        .flatMap((issue) =>
          issue.history
            .map((history) => ({
              issueId: issue.id,
              history: {
                id: history.id,
                author: history.author ? person(history.author) : undefined,
                created: new Date(history.created).getTime(),
                items: history.items
                  .filter((item) => !fieldIds || fieldIds.includes(item.field))
                  .map((item) => {
                    const name = (id: string | null) =>
                      id ? (state.statuses.find((s) => s.id === id)?.name ?? id) : null;
                    return item.field === 'status'
                      ? {
                          field: 'status',
                          fieldtype: 'jira',
                          fieldId: 'status',
                          from: item.from,
                          fromString: name(item.from),
                          to: item.to,
                          toString: name(item.to),
                        }
                      : {
                          field: item.field,
                          fieldtype: 'jira',
                          fieldId: item.field,
                          from: item.from,
                          fromString: item.from,
                          to: item.to,
                          toString: item.to,
                        };
                  }),
              },
            }))
            .filter((entry) => entry.history.items.length > 0),
        )
        .sort((a, b) => a.history.created - b.history.created || Number(a.issueId) - Number(b.issueId));
      const offset =
        typeof body?.['nextPageToken'] === 'string'
          ? Number(untoken(body['nextPageToken'])?.['offset'] ?? 0)
          : 0;
      const slice = entries.slice(offset, offset + size);
      const byIssue = new Map<string, unknown[]>();
      for (const entry of slice)
        byIssue.set(entry.issueId, [...(byIssue.get(entry.issueId) ?? []), entry.history]);
      record(200);
      return reply(res, 200, {
        issueChangeLogs: [...byIssue].map(([issueId, changeHistories]) => ({ issueId, changeHistories })),
        ...(offset + size < entries.length ? { nextPageToken: token({ offset: offset + size }) } : {}),
      });
    }
    const commentPath = /^\/rest\/api\/[23]\/issue\/([^/]+)\/comment$/.exec(url.pathname);
    if (req.method === 'GET' && commentPath) {
      const issue = state.issues.find(
        (candidate) => candidate.id === commentPath[1] || candidate.key === commentPath[1],
      );
      if (!issue) {
        record(404);
        return reply(res, 404, {
          errorMessages: ['Issue does not exist or you do not have permission to see it.'],
          errors: {},
        });
      }
      const startAt = Number(url.searchParams.get('startAt') ?? 0);
      const maxResults = Number(url.searchParams.get('maxResults') ?? 100);
      const comments = issue.comments ?? [];
      record(200);
      return reply(res, 200, {
        startAt,
        maxResults,
        total: comments.length,
        comments: comments.slice(startAt, startAt + maxResults).map(commentJson),
      });
    }
    record(404);
    reply(res, 404, { errorMessages: ['Not found'] });
  };

  const httpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => reply(res, 500, { errorMessages: [String(error)] }));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  const server: JiraTestServer = Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => httpServer.close(() => resolve())),
    expireTokens: () => {
      generation++;
    },
    failSearchesAfter: (count: number | null) => {
      failAfter = count;
      searches = 0;
    },
  });
  return server;
}
