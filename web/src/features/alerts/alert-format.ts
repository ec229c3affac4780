import { formatHours } from '../../lib/format.ts';

// An alert's figures as the Alerts page and the overview's "where to look first" show them.

/** A window's figure in the metric's unit, as the server computed it. */
export function formatAlertFigure(metric: string, value: number | null): string {
  if (value === null) return '—';
  if (metric === 'changeFailureRate') return `${(value * 100).toFixed(1)} %`;
  if (metric === 'deploymentFrequency') return `${value.toFixed(2)}/day`;
  if (metric === 'surveyDriver') return `${(value * 100).toFixed(1)} % favourable`;
  return formatHours(value);
}

/** How much worse, signed as the figure moved: a favourable share that dropped by a quarter is −25 %. */
export function formatAlertChange(metric: string, change: number | null): string {
  if (change === null) return '—';
  const moved = metric === 'surveyDriver' ? -change : change;
  return `${moved >= 0 ? '+' : '-'}${Math.round(Math.abs(moved) * 100)} %`;
}
