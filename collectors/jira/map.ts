import type { TicketsConfig } from '../../server/config/config.ts';
import type { StatusCategory } from '../../server/db/tables.ts';
import type { NewTicket } from '../../server/db/tickets.repository.ts';
import { servingTeamOf, ticketCategory } from '../shared/ticket-mapping.ts';
import { buildTicketTimeline, timelineColumns } from '../shared/ticket-timeline.ts';
import type { StatusChange, TicketStatus } from '../shared/ticket-timeline.ts';

// Jira Cloud REST v3 shapes, only the fields the collector asks for.

export interface JiraStatusCategory {
  id: number;
  key: string;
  name: string;
}

/** `GET /rest/api/3/status`: names are localised; ids and category keys are not. */
export interface JiraStatusDetails {
  id: string;
  name: string;
  statusCategory: JiraStatusCategory;
}

/** Cloud identifies people by `accountId`; Data Center and Server by `key` (and `name`, the login). */
export interface JiraUser {
  accountId?: string;
  key?: string;
  name?: string;
  emailAddress?: string | null;
  displayName?: string;
}

export interface JiraComment {
  id: string;
  author?: JiraUser | null;
  created: string;
}

export interface JiraIssue {
  id: string;
  key: string;
  fields: {
    summary?: string;
    issuetype?: { name: string } | null;
    project: { key: string };
    status: { id: string; name: string; statusCategory?: JiraStatusCategory };
    created: string;
    updated: string;
    resolutiondate?: string | null;
    reporter?: JiraUser | null;
    labels?: string[];
    components?: { name: string }[];
    comment?: { comments: JiraComment[]; total: number; startAt: number; maxResults: number };
    [field: string]: unknown;
  };
  /** Data Center search with `expand: changelog`: the first entries of the issue's changelog. */
  changelog?: { startAt: number; maxResults: number; total: number; histories: JiraChangelog[] };
}

/** A person's stable id: Cloud's account id, else Data Center's user key, else the login name. */
export const userId = (user: JiraUser | null | undefined): string | null =>
  user?.accountId ?? user?.key ?? user?.name ?? null;

export interface JiraChangeItem {
  field: string;
  fieldId?: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

/** A changelog entry; bulk fetch gives `created` as epoch milliseconds, the issue changelog as a string. */
export interface JiraChangelog {
  id: string;
  author?: JiraUser | null;
  created: string | number;
  items: JiraChangeItem[];
}

/** The fields `search/jql` is asked for (its default is only `id`). */
export const ISSUE_FIELDS = [
  'summary',
  'issuetype',
  'project',
  'status',
  'created',
  'updated',
  'resolutiondate',
  'reporter',
  'labels',
  'components',
  'comment',
];

/**
 * Jira timestamps: ISO with a `+0100` offset (no colon, which `Date` does not reliably parse), or epoch
 * milliseconds in bulk changelogs.
 */
export function parseJiraTime(value: string | number): Date {
  const date =
    typeof value === 'number' ? new Date(value) : new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(date.getTime())) throw new Error(`not a Jira timestamp: ${String(value)}`);
  return date;
}

const CATEGORY_KEYS: readonly StatusCategory[] = ['new', 'indeterminate', 'done', 'undefined'];

const categoryOf = (key: string): StatusCategory =>
  CATEGORY_KEYS.includes(key as StatusCategory) ? (key as StatusCategory) : 'undefined';

/** Status id → its name and category; statuses in another language are mapped through their category. */
export function statusIndex(statuses: readonly JiraStatusDetails[]): Map<string, TicketStatus> {
  return new Map(
    statuses.map((status) => [
      status.id,
      { name: status.name, category: categoryOf(status.statusCategory.key) },
    ]),
  );
}

export interface JiraMapContext {
  tickets: TicketsConfig;
  /** Status id → name and category: from `/status`, and learnt from every issue fetched. */
  statuses: Map<string, TicketStatus>;
  /** `sources.jira.statusCategories`: status id or lower-cased name → category, for statuses Jira no
   * longer lists (retired workflows) and no fetched issue is in. */
  statusCategories: Readonly<Record<string, StatusCategory>>;
  /** Called once per status whose category is unknown: it is kept, as category `undefined`. */
  onUnknownStatus: (status: { id: string | null; name: string }) => void;
  baseUrl: string;
  /** `sources.jira.requestingTeamField`: a field naming the requesting team. */
  requestingTeamField: string | null;
  /** `sources.jira.requestTypeField`: the service desk's request type field, a category signal. */
  requestTypeField: string | null;
}

/**
 * Learns each status id's category from the issues themselves (`fields.status` carries it): a status a
 * retired workflow still holds issues in is missing from `/status` but not from its issues.
 */
export function learnStatuses(statuses: Map<string, TicketStatus>, issues: readonly JiraIssue[]): void {
  for (const { fields } of issues) {
    const category = fields.status.statusCategory;
    if (category && !statuses.has(fields.status.id)) {
      statuses.set(fields.status.id, { name: fields.status.name, category: categoryOf(category.key) });
    }
  }
}

function statusOf(ctx: JiraMapContext, id: string | null, name: string | null): TicketStatus {
  const known = id === null ? undefined : ctx.statuses.get(id);
  if (known) return known;
  const label = name ?? `status ${id ?? '?'}`;
  const configured =
    (id === null ? undefined : ctx.statusCategories[id]) ?? ctx.statusCategories[label.toLowerCase()];
  if (configured) return { name: label, category: configured };
  // Kept, never dropped: its time counts neither as waiting nor as work until it is configured.
  ctx.onUnknownStatus({ id, name: label });
  return { name: label, category: 'undefined' };
}

/** A select, text or team field's value as a team name: `"payments"`, `{ value }`, `{ name }` or `{ title }`. */
function fieldText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (value && typeof value === 'object') {
    for (const key of ['value', 'name', 'title'] as const) {
      const text = (value as Record<string, unknown>)[key];
      if (typeof text === 'string' && text.trim()) return text.trim();
    }
  }
  return null;
}

/**
 * One Jira issue and its status changelog (any order) as a ticket. The initial status is the `from` of the
 * first status change, else the current status.
 */
export function mapJiraIssue(
  ctx: JiraMapContext,
  issue: JiraIssue,
  changelogs: readonly JiraChangelog[],
  comments: readonly JiraComment[],
): NewTicket {
  const { fields } = issue;
  const createdAt = parseJiraTime(fields.created);
  const statusChanges = changelogs
    .flatMap((entry) =>
      entry.items
        .filter((item) => item.field === 'status' || item.fieldId === 'status')
        .map((item) => ({ entry, item, at: parseJiraTime(entry.created) })),
    )
    .sort((a, b) => a.at.getTime() - b.at.getTime() || Number(a.entry.id) - Number(b.entry.id));
  const first = statusChanges[0];
  learnStatuses(ctx.statuses, [issue]);
  const current = statusOf(ctx, fields.status.id, fields.status.name);
  const initial = first ? statusOf(ctx, first.item.from, first.item.fromString) : current;
  const changes: StatusChange[] = statusChanges.map(({ entry, item, at }) => ({
    at,
    to: statusOf(ctx, item.to, item.toString),
    actor: userId(entry.author),
  }));
  const reporter = userId(fields.reporter);
  const timeline = buildTicketTimeline({
    createdAt,
    initial,
    changes,
    reporter,
    responses: comments.map((comment) => ({
      at: parseJiraTime(comment.created),
      actor: userId(comment.author),
    })),
    resolvedAt: fields.resolutiondate ? parseJiraTime(fields.resolutiondate) : null,
    waitingStatuses: ctx.tickets.waitingStatuses,
  });
  const labels = fields.labels ?? [];
  const components = (fields.components ?? []).map((component) => component.name);
  const issueType = fields.issuetype?.name ?? null;
  const queue = fields.project.key;
  return {
    source: 'jira',
    key: issue.key,
    externalId: issue.id,
    queue,
    title: fields.summary ?? null,
    url: `${ctx.baseUrl}/browse/${issue.key}`,
    issueType,
    labels,
    components,
    category: ticketCategory(ctx.tickets, {
      labels,
      components,
      issueType,
      requestType: ctx.requestTypeField ? requestTypeName(fields[ctx.requestTypeField]) : null,
    }),
    requesterJiraAccountId: reporter,
    requesterGithubLogin: null,
    requesterEmail: fields.reporter?.emailAddress?.toLowerCase() ?? null,
    requestingTeamHint: ctx.requestingTeamField ? fieldText(fields[ctx.requestingTeamField]) : null,
    servingTeam: servingTeamOf(ctx.tickets, queue),
    createdAt,
    sourceUpdatedAt: parseJiraTime(fields.updated),
    ...timelineColumns(timeline),
  };
}

/** A Jira Service Management request type field: `{ requestType: { name } }`, or a plain select value. */
function requestTypeName(value: unknown): string | null {
  if (value && typeof value === 'object' && 'requestType' in value) {
    return fieldText((value as { requestType: unknown }).requestType);
  }
  return fieldText(value);
}

/** Whether the comments on hand already hold the first one by someone other than the reporter. */
export function hasResponseComment(issue: JiraIssue, comments: readonly JiraComment[]): boolean {
  const reporter = userId(issue.fields.reporter);
  return comments.some((comment) => {
    const author = userId(comment.author);
    return author !== null && author !== reporter;
  });
}

/**
 * JQL dates have minute precision and are read in the API user's time zone: `2026-11-05 14:07` as that
 * zone's wall clock, rounded down (so the bound never skips a minute).
 */
export function jqlDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** Issues of the projects updated at or after `since` (none: all), oldest change first. */
export function issuesJql(projects: readonly string[], since: Date | null, timeZone: string): string {
  const inProjects = `project in (${projects.map((key) => `"${key}"`).join(', ')})`;
  const updated = since ? ` AND updated >= "${jqlDate(since, timeZone)}"` : '';
  return `${inProjects}${updated} ORDER BY updated ASC, key ASC`;
}
