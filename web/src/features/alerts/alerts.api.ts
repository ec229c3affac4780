import { apiUrl } from '../../lib/api-client.ts';
import type { Alert } from './alerts.types.ts';

// URL builders for the alerts API (server/routes/alerts.routes.ts).

export const alertsUrl = (query: { status?: string | undefined; team?: string | undefined } = {}) =>
  apiUrl('/api/v1/alerts', query);

export const METRIC_TITLES: Record<string, string> = {
  leadTime: 'Lead time',
  deploymentFrequency: 'Deployment frequency',
  changeFailureRate: 'Change failure rate',
  recoveryTime: 'Recovery time',
  ticketWait: 'Ticket wait',
  surveyDriver: 'Survey favourable share',
};

export interface ChartMarker {
  /** The chart's week (its Monday, YYYY-MM-DD) the event falls in. */
  week: string;
  kind: 'fired' | 'resolved';
  alertId: number;
}

/** Monday (UTC) of the week an ISO timestamp falls in: the weekly charts' x value. */
export function weekOf(iso: string): string {
  const at = new Date(iso);
  const monday = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return monday.toISOString().slice(0, 10);
}

/** Where a metric's alerts fired and resolved, on the weeks a chart shows. */
export function chartMarkers(
  alerts: readonly Alert[],
  metric: string,
  weeks: readonly string[],
): ChartMarker[] {
  const shown = new Set(weeks);
  return alerts
    .filter((alert) => alert.metric === metric)
    .flatMap((alert): ChartMarker[] => [
      { week: weekOf(alert.openedAt), kind: 'fired', alertId: alert.id },
      ...(alert.resolvedAt
        ? [{ week: weekOf(alert.resolvedAt), kind: 'resolved' as const, alertId: alert.id }]
        : []),
    ])
    .filter((marker) => shown.has(marker.week));
}
