import type { DeliveryMetrics } from './delivery-metrics.ts';
import type { Period } from './period.ts';
import { registeredMetric } from './registry.ts';
import type { MetricKey } from './registry.ts';

/** The five headline figures the dashboard shows, each read the way the metric registry reads it. */
export const HEADLINE_METRICS = {
  deploymentFrequency: 'deploymentFrequency.perWeek',
  leadTime: 'leadTime.medianHours',
  changeFailureRate: 'changeFailureRate.rate',
  recoveryTime: 'recoveryTime.medianHours',
  reworkRate: 'reworkRate.rate',
} as const satisfies Record<string, MetricKey>;

export type HeadlineMetric = keyof typeof HEADLINE_METRICS;

/** How one figure moved against the period of the same length just before. */
export interface Change {
  previous: number | null;
  previousSampleSize: number;
  /** current − previous, in the figure's unit; null when either is missing. */
  difference: number | null;
  /** current ÷ previous; null when either is missing or the previous is 0. */
  ratio: number | null;
  /** Which way it moved for the team: each metric knows whether higher or lower is better. */
  direction: 'better' | 'worse' | 'unchanged' | null;
  /** Either side has fewer samples than the tier minimum: the move may be noise. */
  smallSample: boolean;
}

export type Changes = Record<HeadlineMetric, Change>;

/** Moves smaller than this share of the previous value are "unchanged": week-to-week noise, not news. */
const UNCHANGED_WITHIN = 0.05;

/** The period of the same length just before `period`. */
export function previousPeriod(period: Period): Period {
  const length = period.to.getTime() - period.from.getTime();
  return { from: new Date(period.from.getTime() - length), to: period.from, label: `before ${period.label}` };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

export function periodChanges(
  current: DeliveryMetrics,
  previous: DeliveryMetrics,
  minSample: number,
): Changes {
  const entries = Object.entries(HEADLINE_METRICS).map(([name, key]) => {
    const metric = registeredMetric(key);
    const now = metric.read(current);
    const before = metric.read(previous);
    const known = now.value !== null && before.value !== null;
    const difference = known ? round((now.value as number) - (before.value as number)) : null;
    const ratio =
      known && before.value !== 0 ? round((now.value as number) / (before.value as number)) : null;
    let direction: Change['direction'] = null;
    if (difference !== null && before.value !== null) {
      const scale = Math.max(Math.abs(before.value), Number.EPSILON);
      if (Math.abs(difference) <= UNCHANGED_WITHIN * scale) direction = 'unchanged';
      else direction = difference > 0 === (metric.better === 'higher') ? 'better' : 'worse';
    }
    const change: Change = {
      previous: before.value,
      previousSampleSize: before.sampleSize,
      difference,
      ratio,
      direction,
      smallSample: now.sampleSize < minSample || before.sampleSize < minSample,
    };
    return [name, change] as const;
  });
  return Object.fromEntries(entries) as Changes;
}
