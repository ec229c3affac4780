import type { MetricsSeries } from '../metrics/metrics.types.ts';

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
  /** The week is clipped by the period's start or end, so it covers fewer than 7 days. */
  partial: boolean;
  deploymentsPerWeek: number;
  deployments: number;
  leadTimeMedianHours: number | null;
  leadTimeP90Hours: number | null;
  leadTimeSample: number;
  changeFailureRate: number | null;
  failedDeployments: number;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export function weeklyTrend(series: MetricsSeries): WeekPoint[] {
  return series.points.map((point) => ({
    week: point.week,
    from: point.from,
    to: point.to,
    partial: new Date(point.to).getTime() - new Date(point.from).getTime() < WEEK_MS,
    deploymentsPerWeek: point.deploymentFrequency.perWeek,
    deployments: point.deploymentFrequency.count,
    leadTimeMedianHours: point.leadTime.medianHours,
    leadTimeP90Hours: point.leadTime.p90Hours,
    leadTimeSample: point.leadTime.sampleSize,
    changeFailureRate: point.changeFailureRate.rate,
    failedDeployments: point.changeFailureRate.failed,
  }));
}

/** Whether the series has anything to draw at all. */
export function hasDeployments(points: WeekPoint[]): boolean {
  return points.some((point) => point.deployments > 0);
}
