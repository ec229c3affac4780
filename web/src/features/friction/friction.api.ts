import { apiUrl } from '../../lib/api-client.ts';

// URL builders for the friction API (server/routes/friction.routes.ts). Without a period the server uses the
// current quarter (on its own clock) and names it in the response.
const withPeriod = (period: string | null, extra: Record<string, string> = {}) => ({
  ...(period ? { period } : {}),
  ...extra,
});

export const frictionUrl = (period: string | null, team?: string) =>
  apiUrl('/api/v1/friction', withPeriod(period, team ? { team } : {}));
export const recommendationsUrl = (period: string | null) =>
  apiUrl('/api/v1/recommendations', withPeriod(period));
export const readinessUrl = (period: string | null) => apiUrl('/api/v1/readiness', withPeriod(period));
export const reportUrl = (period: string, format: 'md' | 'csv' | 'html' | 'pdf') =>
  apiUrl('/api/v1/reports/friction', { period, format });

export const BUILD_NEXT_PATH = '/build-next';

export const buildNextPath = (period: string | null) =>
  period ? `${BUILD_NEXT_PATH}?period=${encodeURIComponent(period)}` : BUILD_NEXT_PATH;
