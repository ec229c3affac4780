import { formatDate } from '../../lib/format.ts';
import type { MetricsSeries, TierBand } from '../metrics/metrics.types.ts';

/**
 * The weekly series the trend charts draw, picked from `/metrics/series` as the API computed them (the
 * charts receive these ready and never fetch). A week with no figure keeps `null`, which the charts
 * draw as a gap, not as zero.
 */
export interface WeekPoint {
  /** The week's Monday, `2026-08-24`. */
  week: string;
  from: string;
  to: string;
  /** Decided by the server: the week is cut by the period, the data's start or now (fewer than 7 days). */
  partial: boolean;
  deploymentsPerWeek: number;
  deployments: number;
  leadTimeMedianHours: number | null;
  leadTimeP90Hours: number | null;
  leadTimeSample: number;
  changeFailureRate: number | null;
  failedDeployments: number;
  recoveryMedianHours: number | null;
  recoveryP90Hours: number | null;
  recoverySample: number;
  unresolvedIncidents: number;
  reworkRate: number | null;
  reworkDeployments: number;
  ciDurationMedianMinutes: number | null;
  ciDurationP90Minutes: number | null;
  ciFailureRate: number | null;
  ciFlakyRate: number | null;
  ciAttempts: number;
}

export function weeklyTrend(series: MetricsSeries): WeekPoint[] {
  return series.points.map((point) => ({
    week: point.week,
    from: point.from,
    to: point.to,
    partial: point.partial,
    deploymentsPerWeek: point.deploymentFrequency.perWeek,
    deployments: point.deploymentFrequency.count,
    leadTimeMedianHours: point.leadTime.medianHours,
    leadTimeP90Hours: point.leadTime.p90Hours,
    leadTimeSample: point.leadTime.sampleSize,
    changeFailureRate: point.changeFailureRate.rate,
    failedDeployments: point.changeFailureRate.failed,
    recoveryMedianHours: point.recoveryTime.medianHours,
    recoveryP90Hours: point.recoveryTime.p90Hours,
    recoverySample: point.recoveryTime.sampleSize,
    unresolvedIncidents: point.recoveryTime.unresolved,
    reworkRate: point.reworkRate.rate,
    reworkDeployments: point.reworkRate.reworkDeployments,
    ciDurationMedianMinutes: point.ci.durationMedianMinutes,
    ciDurationP90Minutes: point.ci.durationP90Minutes,
    ciFailureRate: point.ci.failureRate,
    ciFlakyRate: point.ci.flakyRate,
    ciAttempts: point.ci.attempts,
  }));
}

/** Whether the series has anything to draw at all. */
export function hasDeployments(points: WeekPoint[]): boolean {
  return points.some((point) => point.deployments > 0);
}

/** Whether any week has CI runs to chart. */
export function hasCiRuns(points: WeekPoint[]): boolean {
  return points.some((point) => point.ciAttempts > 0);
}

/** How many weeks the trends may span (`?weeks=`): a quarter, six months (the default) or a year. */
export const TREND_RANGES = [13, 26, 52] as const;
export type TrendRange = (typeof TREND_RANGES)[number];
export const DEFAULT_TREND_RANGE: TrendRange = 26;

export function trendRangeFrom(search: URLSearchParams): TrendRange {
  const asked = Number(search.get('weeks'));
  return TREND_RANGES.find((weeks) => weeks === asked) ?? DEFAULT_TREND_RANGE;
}

/** A tier band as the chart legend writes it: "elite: 0–24 h (less than one day)". */
export function describeBand(band: TierBand, format: (value: number) => string, unit = ''): string {
  const range =
    band.to === null
      ? `${format(band.from)}${unit} and more`
      : `${format(band.from)}–${format(band.to)}${unit}`;
  return `${band.tier}: ${range} (${band.meaning})`;
}

const NICE_STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * The top of a value axis that shows `max`: the next round number (14 → 15, 0.43 → 0.5). The charts set
 * it rather than leave it to Recharts so that tier bands without an upper edge can run exactly to it.
 */
export function axisTop(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const scale = 10 ** Math.floor(Math.log10(max));
  const step = NICE_STEPS.find((candidate) => candidate * scale >= max - 1e-9) ?? 10;
  return Number((step * scale).toPrecision(6));
}

/** What a chart says about the weeks it shows: how many, how many partial, and where the data begins. */
export function weeksNote(points: WeekPoint[], asked: number): string {
  const partial = points.filter((point) => point.partial).length;
  const shown = `${points.length} ${points.length === 1 ? 'week' : 'weeks'}`;
  const short = points.length < asked ? ` (the team’s data begins ${formatDate(points[0]?.from)})` : '';
  return `${shown}${short}; ${partial} partial (hollow), cut by the period, the data’s start or today.`;
}
