import type { TicketsConfig } from '../../server/config/config.ts';

/** What a ticket is categorised by: its labels, components and issue type, as the source names them. */
export interface CategorySignals {
  labels: readonly string[];
  components: readonly string[];
  issueType: string | null;
  /** A service desk's request type (Jira Service Management), when the source has one. */
  requestType?: string | null;
}

/**
 * The request category (`environment`, `access`, …): the first configured category any of whose labels,
 * components, issue types or request types the ticket has (case-insensitive), else the default category.
 */
export function ticketCategory(config: TicketsConfig, signals: CategorySignals): string {
  const labels = new Set(signals.labels.map((label) => label.toLowerCase()));
  const components = new Set(signals.components.map((component) => component.toLowerCase()));
  const issueType = signals.issueType?.toLowerCase() ?? null;
  const requestType = signals.requestType?.toLowerCase() ?? null;
  const match = config.categories.find(
    (category) =>
      category.labels.some((label) => labels.has(label)) ||
      category.components.some((component) => components.has(component)) ||
      (issueType !== null && category.issueTypes.includes(issueType)) ||
      (requestType !== null && category.requestTypes.includes(requestType)),
  );
  return match?.name ?? config.defaultCategory;
}

/** The team that works a queue (a Jira project key, or a repository's owner/name), or null when unmapped. */
export function servingTeamOf(config: TicketsConfig, queue: string): string | null {
  return config.servingTeams[queue.includes('/') ? queue.toLowerCase() : queue] ?? null;
}
