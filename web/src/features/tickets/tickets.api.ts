import { apiUrl } from '../../lib/api-client.ts';
import type { DrillMeasure, GroupBy } from './tickets.types.ts';

// URL builders for the ticket wait-time API (server/routes/tickets.routes.ts).

/** The key a drill-down names the group of tickets with no category or team by. */
export const NO_GROUP = '(none)';

export const waitTimesUrl = (period: string, groupBy: GroupBy) =>
  apiUrl('/api/v1/tickets/wait-times', { period, groupBy });

export const waitSeriesUrl = (period: string, groupBy: GroupBy) =>
  apiUrl('/api/v1/tickets/wait-times/series', { period, groupBy });

export const ticketsUrl = (
  period: string,
  groupBy: GroupBy,
  group: string | null,
  measure: DrillMeasure,
  page: { limit: number; offset: number } | { format: 'csv'; limit: number },
) =>
  apiUrl('/api/v1/tickets/wait-times/tickets', {
    period,
    groupBy,
    ...(group === null ? {} : { group }),
    measure,
    ...page,
  });
