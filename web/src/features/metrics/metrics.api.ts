import { apiUrl } from '../../lib/api-client.ts';
import type { SampleMetric } from './metrics.types.ts';

// URL builders for the metrics API (server/routes/metrics.routes.ts); pages fetch them with useApi.

export const organizationMetricsUrl = (period: string) =>
  apiUrl('/api/v1/metrics', { period, groupBy: 'team', compare: 'previous' });

export const teamMetricsUrl = (team: string, period: string) =>
  apiUrl(`/api/v1/teams/${encodeURIComponent(team)}/metrics`, { period, compare: 'previous' });

export const teamSeriesUrl = (team: string, period: string) =>
  apiUrl(`/api/v1/teams/${encodeURIComponent(team)}/metrics/series`, { period, interval: 'week' });

/** The rows behind a team's figure, or (team null) the organisation's, every team pooled. */
export const samplesUrl = (
  team: string | null,
  metric: SampleMetric,
  period: string,
  page:
    | { limit: number; offset: number; sort?: string; order?: 'asc' | 'desc' }
    | { format: 'csv'; limit: number },
) =>
  apiUrl(
    team === null
      ? `/api/v1/metrics/${metric}/samples`
      : `/api/v1/teams/${encodeURIComponent(team)}/metrics/${metric}/samples`,
    { period, ...page },
  );
