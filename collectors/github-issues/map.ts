import type { TicketsConfig } from '../../server/config/config.ts';
import type { NewTicket } from '../../server/db/tickets.repository.ts';
import { servingTeamOf, ticketCategory } from '../shared/ticket-mapping.ts';
import { buildTicketTimeline, timelineColumns } from '../shared/ticket-timeline.ts';
import type { StatusChange, TicketActivity, TicketStatus } from '../shared/ticket-timeline.ts';

// GitHub GraphQL shapes the queries in queries.ts select.

export interface Login {
  login: string;
}

export type TimelineItem =
  | {
      __typename: 'LabeledEvent' | 'UnlabeledEvent';
      createdAt: string;
      actor: Login | null;
      label: { name: string };
    }
  | {
      __typename: 'AssignedEvent' | 'UnassignedEvent';
      createdAt: string;
      actor: Login | null;
      assignee: Partial<Login> | null;
    }
  | { __typename: 'ClosedEvent'; createdAt: string; actor: Login | null; stateReason: string | null }
  | { __typename: 'ReopenedEvent'; createdAt: string; actor: Login | null }
  | { __typename: 'IssueComment'; createdAt: string; author: Login | null };

export interface Connection<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (T | null)[] | null;
}

export interface GithubIssue {
  id: string;
  number: number;
  title: string;
  url: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  state: 'OPEN' | 'CLOSED';
  author: Login | null;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
  timelineItems: Connection<TimelineItem>;
}

/** How a repository's issues say where a request stands (`sources.githubIssues`, lower-cased). */
export interface IssueWorkflow {
  /** A label that says work is under way. */
  inProgressLabels: readonly string[];
  /** A label that sends a request back to waiting (blocked, waiting on someone). */
  waitingLabels: readonly string[];
}

export const DEFAULT_IN_PROGRESS_LABELS = ['in progress', 'in-progress', 'status: in progress', 'doing'];
export const DEFAULT_WAITING_LABELS = ['blocked', 'waiting'];

export const present = <T>(nodes: readonly (T | null)[] | null | undefined): T[] =>
  (nodes ?? []).filter((node): node is T => node !== null);

const OPEN: TicketStatus = { name: 'Open', category: 'new' };
const CLOSED: TicketStatus = { name: 'Closed', category: 'done' };

/**
 * GitHub issues have no workflow statuses, so one is derived from the timeline, in this order: closed → done;
 * a waiting label → waiting (named after the label); an in-progress label or an assignee → In Progress; else
 * Open (waiting). So assigning a request starts work, and unassigning it or reopening it sends it back.
 */
function derivedStatus(
  workflow: IssueWorkflow,
  state: { open: boolean; labels: Set<string>; assignees: Set<string> },
): TicketStatus {
  if (!state.open) return CLOSED;
  const waiting = workflow.waitingLabels.find((label) => state.labels.has(label));
  if (waiting) return { name: waiting, category: 'new' };
  if (workflow.inProgressLabels.some((label) => state.labels.has(label)))
    return { name: 'In progress', category: 'indeterminate' };
  if (state.assignees.size > 0) return { name: 'Assigned', category: 'indeterminate' };
  return OPEN;
}

/** The status changes and comments an issue's timeline holds, replayed in time order. */
export function replayTimeline(
  workflow: IssueWorkflow,
  items: readonly TimelineItem[],
): { changes: StatusChange[]; responses: TicketActivity[] } {
  const state = { open: true, labels: new Set<string>(), assignees: new Set<string>() };
  let current = OPEN;
  const changes: StatusChange[] = [];
  const responses: TicketActivity[] = [];
  const ordered = [...items].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  for (const item of ordered) {
    const at = new Date(item.createdAt);
    switch (item.__typename) {
      case 'IssueComment':
        responses.push({ at, actor: item.author?.login.toLowerCase() ?? null });
        continue;
      case 'LabeledEvent':
        state.labels.add(item.label.name.toLowerCase());
        break;
      case 'UnlabeledEvent':
        state.labels.delete(item.label.name.toLowerCase());
        break;
      case 'AssignedEvent':
        state.assignees.add(item.assignee?.login?.toLowerCase() ?? '(someone)');
        break;
      case 'UnassignedEvent':
        state.assignees.delete(item.assignee?.login?.toLowerCase() ?? '(someone)');
        break;
      case 'ClosedEvent':
        state.open = false;
        break;
      case 'ReopenedEvent':
        state.open = true;
        break;
    }
    const next = derivedStatus(workflow, state);
    if (next.name !== current.name || next.category !== current.category) {
      changes.push({ at, to: next, actor: item.actor?.login.toLowerCase() ?? null });
      current = next;
    }
  }
  return { changes, responses };
}

/** One issue of a queue repository (`owner/name`, lower-case) and its whole timeline as a ticket. */
export function mapGithubIssue(
  tickets: TicketsConfig,
  workflow: IssueWorkflow,
  repository: string,
  issue: GithubIssue,
  timeline: readonly TimelineItem[],
): NewTicket {
  const createdAt = new Date(issue.createdAt);
  const reporter = issue.author?.login.toLowerCase() ?? null;
  const { changes, responses } = replayTimeline(workflow, timeline);
  // A closed issue whose ClosedEvent the timeline did not show (a deleted actor's, say) is closed all the same.
  const last = changes[changes.length - 1]?.to ?? OPEN;
  if (issue.state === 'CLOSED' && issue.closedAt && last.category !== 'done') {
    changes.push({ at: new Date(issue.closedAt), to: CLOSED, actor: null });
  }
  const built = buildTicketTimeline({
    createdAt,
    initial: OPEN,
    changes,
    reporter,
    responses,
    resolvedAt: issue.closedAt ? new Date(issue.closedAt) : null,
  });
  const labels = present(issue.labels?.nodes).map((label) => label.name);
  return {
    source: 'github-issues',
    key: `${repository}#${issue.number}`,
    externalId: issue.id,
    queue: repository,
    title: issue.title,
    url: issue.url,
    issueType: null,
    labels,
    components: [],
    category: ticketCategory(tickets, { labels, components: [], issueType: null }),
    requesterJiraAccountId: null,
    requesterGithubLogin: reporter,
    requesterEmail: null,
    requestingTeamHint: null,
    servingTeam: servingTeamOf(tickets, repository),
    createdAt,
    sourceUpdatedAt: new Date(issue.updatedAt),
    ...timelineColumns(built),
  };
}
