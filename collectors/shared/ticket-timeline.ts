import type { StatusCategory } from '../../server/db/tables.ts';
import type { NewTicketInterval } from '../../server/db/tickets.repository.ts';

/**
 * The source-independent history of one ticket, built the same way for Jira, GitHub issues and the demo:
 * which status it sat in from when to when, when work first started, when it was resolved, and when someone
 * other than the reporter first responded. Wait times are computed from these facts in
 * server/metrics/ticket-waits.metric.ts, never here.
 */

export interface TicketStatus {
  name: string;
  category: StatusCategory;
}

export interface StatusChange {
  at: Date;
  to: TicketStatus;
  /** Who made the change (Jira account id, GitHub login); null when unknown (automation, deleted user). */
  actor: string | null;
}

export interface TicketActivity {
  at: Date;
  actor: string | null;
}

export interface TimelineInput {
  createdAt: Date;
  /** The status the ticket was created in. */
  initial: TicketStatus;
  /** Status changes in any order; a change to the status it is already in is ignored. */
  changes: readonly StatusChange[];
  /** Who filed it; their own comments and transitions are not a response. */
  reporter: string | null;
  /** Comments (and other responses a source has, such as a GitHub assignment). */
  responses: readonly TicketActivity[];
  /** The source's resolution time (Jira `resolutiondate`), used while the ticket is in a done status. */
  resolvedAt: Date | null;
  /** Statuses of category In Progress that are waiting all the same (`Waiting for approval`): entering one
   * does not start work. */
  waitingStatuses?: readonly string[];
}

export interface TicketTimeline {
  intervals: NewTicketInterval[];
  status: TicketStatus;
  /** Start of the first interval in a status of category In Progress (`indeterminate`) that is not a
   * waiting one. */
  workStartedAt: Date | null;
  /** Only while the ticket is in a done status: the source's resolution time, else when it entered it. */
  resolvedAt: Date | null;
  firstResponseAt: Date | null;
}

export function buildTicketTimeline(input: TimelineInput): TicketTimeline {
  const created = input.createdAt.getTime();
  // A change stamped before creation (clock skew between systems) happened at creation as far as we know.
  const changes = input.changes
    .map((change) => ({ ...change, at: new Date(Math.max(change.at.getTime(), created)) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const intervals: NewTicketInterval[] = [
    {
      seq: 0,
      status: input.initial.name,
      statusCategory: input.initial.category,
      startedAt: input.createdAt,
      endedAt: null,
    },
  ];
  for (const change of changes) {
    const current = intervals[intervals.length - 1] as NewTicketInterval;
    if (current.status === change.to.name && current.statusCategory === change.to.category) continue;
    current.endedAt = change.at;
    intervals.push({
      seq: intervals.length,
      status: change.to.name,
      statusCategory: change.to.category,
      startedAt: change.at,
      endedAt: null,
    });
  }
  const current = intervals[intervals.length - 1] as NewTicketInterval;
  const waiting = new Set((input.waitingStatuses ?? []).map((name) => name.toLowerCase()));
  const started = intervals.find(
    (interval) => interval.statusCategory === 'indeterminate' && !waiting.has(interval.status.toLowerCase()),
  );
  const notReporter = (actor: string | null) => actor !== null && actor !== input.reporter;
  const responseTimes = [
    ...input.responses.filter((response) => notReporter(response.actor)).map((response) => response.at),
    ...changes.filter((change) => notReporter(change.actor)).map((change) => change.at),
  ]
    .map((at) => at.getTime())
    .filter((at) => at >= created);
  let resolvedAt: Date | null = null;
  if (current.statusCategory === 'done') {
    const entered = current.startedAt;
    resolvedAt = input.resolvedAt && input.resolvedAt >= input.createdAt ? input.resolvedAt : entered;
  }
  return {
    intervals,
    status: { name: current.status, category: current.statusCategory },
    workStartedAt: started?.startedAt ?? null,
    resolvedAt,
    firstResponseAt: responseTimes.length > 0 ? new Date(Math.min(...responseTimes)) : null,
  };
}

/** The ticket columns a timeline fills in, as the tickets repository takes them. */
export function timelineColumns(timeline: TicketTimeline) {
  return {
    status: timeline.status.name,
    statusCategory: timeline.status.category,
    firstResponseAt: timeline.firstResponseAt,
    workStartedAt: timeline.workStartedAt,
    resolvedAt: timeline.resolvedAt,
    intervals: timeline.intervals,
  };
}
