import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { TicketsConfig } from '../../server/config/config.ts';
import { readSyncState } from '../../server/db/collector-state.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import { nextPosition, saveTicketPage } from '../shared/ticket-page.ts';
import type { NewTicket } from '../../server/db/tickets.repository.ts';
import type { GithubClient } from '../shared/github-client.ts';
import { mapGithubIssue, present } from './map.ts';
import type { Connection, GithubIssue, IssueWorkflow, TimelineItem } from './map.ts';
import { ISSUE_TIMELINE_QUERY, ISSUES_QUERY } from './queries.ts';

export const COLLECTOR_ID = 'github-issues';

/** Issues updated this long before the watermark are read again (rows move while a walk pages). */
export const OVERLAP_MS = 10 * 60_000;

export interface IssueQueueSyncContext {
  db: Kysely<Database>;
  client: GithubClient;
  clock: Clock;
  tickets: TicketsConfig;
  workflow: IssueWorkflow;
  /** Re-read from this time instead of from the watermark (`--since`). */
  since: Date | null;
  signal?: AbortSignal | undefined;
  counts: Record<string, number>;
  afterPage?: () => Promise<void>;
}

/** An unfinished walk, saved with the rows of each page so a crash resumes it. */
interface PendingWalk {
  after: string;
  since: string | null;
  highWater: string | null;
}

const add = (counts: Record<string, number>, key: string, value: number) =>
  (counts[key] = (counts[key] ?? 0) + value);

/**
 * Syncs one queue repository: its issues updated since the watermark, oldest update first, each with its
 * whole timeline (further timeline pages fetched by node id). Each page's tickets and the walk's position are
 * written in one transaction; the watermark moves only when the walk completes.
 */
export async function syncIssueQueue(ctx: IssueQueueSyncContext, fullName: string): Promise<void> {
  const repository = fullName.toLowerCase();
  const [owner, name] = repository.split('/') as [string, string];
  const scope = `${repository}:issues`;
  const position = await readSyncState(ctx.db, COLLECTOR_ID, scope);
  const resumed = ctx.since === null && position.cursor ? (JSON.parse(position.cursor) as PendingWalk) : null;
  const floor =
    ctx.since ?? (position.watermark ? new Date(position.watermark.getTime() - OVERLAP_MS) : null);
  const since = resumed ? resumed.since : (floor?.toISOString() ?? null);
  let highWater = resumed?.highWater ? new Date(resumed.highWater) : null;
  let after: string | null = resumed?.after ?? null;
  for (;;) {
    ctx.signal?.throwIfAborted();
    const result = await ctx.client.graphql<{ repository: { issues: Connection<GithubIssue> } | null }>(
      ISSUES_QUERY,
      { owner, name, since, cursor: after },
    );
    if (!result.repository) throw new Error(`repository ${repository} was not found`);
    add(ctx.counts, 'pages', 1);
    const page = result.repository.issues;
    const issues = present(page.nodes);
    const tickets: NewTicket[] = [];
    for (const issue of issues) {
      const timeline = await wholeTimeline(ctx, issue);
      tickets.push(mapGithubIssue(ctx.tickets, ctx.workflow, repository, issue, timeline));
      const updated = new Date(issue.updatedAt);
      if (!highWater || updated > highWater) highWater = updated;
    }
    const done = !page.pageInfo.hasNextPage || !page.pageInfo.endCursor;
    const next = nextPosition(
      position,
      done,
      highWater,
      () =>
        ({
          after: page.pageInfo.endCursor as string,
          since,
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
    after = page.pageInfo.endCursor;
  }
}

async function wholeTimeline(ctx: IssueQueueSyncContext, issue: GithubIssue): Promise<TimelineItem[]> {
  const items = present(issue.timelineItems.nodes);
  let pageInfo = issue.timelineItems.pageInfo;
  while (pageInfo.hasNextPage && pageInfo.endCursor) {
    const result = await ctx.client.graphql<{ node: { timelineItems: Connection<TimelineItem> } | null }>(
      ISSUE_TIMELINE_QUERY,
      { id: issue.id, cursor: pageInfo.endCursor },
    );
    if (!result.node) break;
    add(ctx.counts, 'pages', 1);
    items.push(...present(result.node.timelineItems.nodes));
    pageInfo = result.node.timelineItems.pageInfo;
  }
  return items;
}
