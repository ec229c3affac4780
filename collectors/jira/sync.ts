import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { TicketsConfig } from '../../server/config/config.ts';
import { readSyncState } from '../../server/db/collector-state.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import { nextPosition, saveTicketPage } from '../shared/ticket-page.ts';
import type { NewTicket } from '../../server/db/tickets.repository.ts';
import { JiraApiError } from './client.ts';
import type { JiraClient } from './client.ts';
import {
  hasResponseComment,
  ISSUE_FIELDS,
  issuesJql,
  learnStatuses,
  mapJiraIssue,
  parseJiraTime,
  statusIndex,
} from './map.ts';
import type { JiraChangelog, JiraComment, JiraIssue, JiraMapContext } from './map.ts';

export const COLLECTOR_ID = 'jira';

/** Issues updated this long before the watermark are read again: JQL has minute precision, and search is
 * eventually consistent (a just-edited issue can show up late). Upserts make the overlap harmless. */
export const OVERLAP_MS = 5 * 60_000;
const PAGE_SIZE = 100;

export interface JiraSyncContext {
  db: Kysely<Database>;
  client: JiraClient;
  clock: Clock;
  baseUrl: string;
  projects: readonly string[];
  tickets: TicketsConfig;
  requestingTeamField: string | null;
  /** `sources.jira.requestTypeField`. */
  requestTypeField: string | null;
  /** `sources.jira.statusCategories`, keys as configured (a status id or name). */
  statusCategories: Readonly<Record<string, 'new' | 'indeterminate' | 'done'>>;
  /** Problems that do not stop the run (a status of unknown category), each reported once. */
  onWarning?: ((message: string) => void) | undefined;
  /** Re-read everything updated since this time instead of from the watermark (`--since`). */
  since: Date | null;
  signal?: AbortSignal | undefined;
  counts: Record<string, number>;
  /** Called after each page is saved (lease renewal, progress). */
  afterPage?: () => Promise<void>;
}

/** An unfinished walk through the search results, saved with the rows so a crash resumes it. */
interface PendingWalk {
  jql: string;
  nextPageToken: string;
  /** The newest `updated` seen so far: the watermark once the walk completes. */
  highWater: string | null;
}

const add = (counts: Record<string, number>, key: string, value: number) =>
  (counts[key] = (counts[key] ?? 0) + value);

/**
 * Reads the projects' issues updated since the watermark (oldest change first, `nextPageToken` paging), each
 * page's status changelogs in bulk, and writes the page's tickets and the walk's position in one transaction.
 * The watermark moves only when a walk completes.
 */
export async function syncJira(ctx: JiraSyncContext): Promise<void> {
  const scope = [...ctx.projects].sort().join(',');
  const position = await readSyncState(ctx.db, COLLECTOR_ID, scope);
  const statuses = statusIndex(await ctx.client.statuses());
  const timeZone = (await ctx.client.myself()).timeZone ?? 'UTC';
  const unknown = new Set<string>();
  const mapContext: JiraMapContext = {
    tickets: ctx.tickets,
    statuses,
    statusCategories: Object.fromEntries(
      Object.entries(ctx.statusCategories).map(([key, category]) => [key.toLowerCase(), category]),
    ),
    onUnknownStatus: ({ id, name }) => {
      const key = id ?? name;
      if (unknown.has(key)) return;
      unknown.add(key);
      add(ctx.counts, 'unknownStatuses', 1);
      ctx.onWarning?.(
        `Jira status "${name}"${id ? ` (id ${id})` : ''} is not listed by /status and no fetched issue is ` +
          `in it: its time is kept with category "undefined" (neither waiting nor work); give its category ` +
          `in sources.jira.statusCategories`,
      );
    },
    baseUrl: ctx.baseUrl,
    requestingTeamField: ctx.requestingTeamField,
    requestTypeField: ctx.requestTypeField,
  };
  const fields = [
    ...ISSUE_FIELDS,
    ...[ctx.requestingTeamField, ctx.requestTypeField].flatMap((field) => (field ? [field] : [])),
  ];
  let resumed = ctx.since === null && position.cursor ? (JSON.parse(position.cursor) as PendingWalk) : null;
  const floor =
    ctx.since ?? (position.watermark ? new Date(position.watermark.getTime() - OVERLAP_MS) : null);
  const jql = resumed?.jql ?? issuesJql(ctx.projects, floor, timeZone);
  let highWater = resumed?.highWater ? new Date(resumed.highWater) : null;
  let nextPageToken = resumed?.nextPageToken;
  for (;;) {
    ctx.signal?.throwIfAborted();
    let page;
    try {
      page = await ctx.client.search({ jql, fields, maxResults: PAGE_SIZE, nextPageToken });
    } catch (error) {
      // A saved page token expires after 7 days: start the walk again from its beginning.
      if (!(resumed && error instanceof JiraApiError && error.status === 400)) throw error;
      resumed = null;
      nextPageToken = undefined;
      continue;
    }
    resumed = null;
    add(ctx.counts, 'pages', 1);
    const issues = page.issues;
    // Before any is mapped: an issue's history may hold a status only another issue of the page is in.
    learnStatuses(statuses, issues);
    const changelogs = await statusChangelogs(ctx.client, issues);
    const tickets: NewTicket[] = [];
    for (const issue of issues) {
      const comments = await responseComments(ctx.client, issue);
      tickets.push(mapJiraIssue(mapContext, issue, changelogs.get(issue.id) ?? [], comments));
      const updated = parseJiraTime(issue.fields.updated);
      if (!highWater || updated > highWater) highWater = updated;
    }
    const done = page.isLast === true || !page.nextPageToken || issues.length === 0;
    const next = nextPosition(
      position,
      done,
      highWater,
      () =>
        ({
          jql,
          nextPageToken: page.nextPageToken as string,
          highWater: highWater?.toISOString() ?? null,
        }) satisfies PendingWalk,
    );
    await saveTicketPage(
      ctx.db,
      { collector: COLLECTOR_ID, scope, tickets, position: next, now: ctx.clock.now() },
      ctx.counts,
    );
    await ctx.afterPage?.();
    if (done) return;
    nextPageToken = page.nextPageToken as string;
  }
}

/**
 * The page's status changes, by issue id: on Cloud through `changelog/bulkfetch` filtered to the status
 * field; on Data Center from the changelog search expanded.
 */
async function statusChangelogs(
  client: JiraClient,
  issues: readonly JiraIssue[],
): Promise<Map<string, JiraChangelog[]>> {
  const byIssue = new Map<string, JiraChangelog[]>();
  if (issues.length === 0) return byIssue;
  if (client.deployment === 'datacenter') {
    // Search expanded each issue's changelog; one longer than what came with it is read whole.
    for (const issue of issues) {
      const log = issue.changelog;
      const complete = log && log.histories.length >= log.total;
      byIssue.set(issue.id, complete ? log.histories : await client.issueChangelog(issue.id));
    }
    return byIssue;
  }
  let nextPageToken: string | undefined;
  do {
    const page = await client.bulkChangelogs({
      issueIdsOrKeys: issues.map((issue) => issue.id),
      fieldIds: ['status'],
      maxResults: 1000,
      nextPageToken,
    });
    for (const log of page.issueChangeLogs ?? []) {
      const list = byIssue.get(log.issueId) ?? [];
      list.push(...(log.changeHistories ?? []));
      byIssue.set(log.issueId, list);
    }
    nextPageToken = page.nextPageToken ?? undefined;
  } while (nextPageToken);
  return byIssue;
}

/**
 * The comments that can hold the first response: those search returned, and — only when none of them is by
 * someone other than the reporter and there are more — the following pages, until one is.
 */
async function responseComments(client: JiraClient, issue: JiraIssue): Promise<JiraComment[]> {
  const page = issue.fields.comment;
  const comments = [...(page?.comments ?? [])];
  let total = page?.total ?? comments.length;
  while (!hasResponseComment(issue, comments) && comments.length < total) {
    const more = await client.comments(issue.id, comments.length);
    if (more.comments.length === 0) break;
    comments.push(...more.comments);
    total = more.total;
  }
  return comments;
}
