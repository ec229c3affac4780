import type { DeliveryMetrics } from './delivery-metrics.ts';
import { registeredMetric } from './registry.ts';
import type { MetricKey } from './registry.ts';

/**
 * The delivery measures a friction point can cite as evidence of hours lost (scorecards/friction/*.yaml,
 * `evidence.delivery[].measure`). Each is a metric-registry key; here it says which events it counts and
 * how many hours each costs, read from the same computed `DeliveryMetrics` as every other view, so the
 * friction figure T = events per week × median hours × the catalogue's factor never re-derives a metric.
 * CI duration joins once CI runs are collected.
 */
export interface FrictionMeasure {
  key: MetricKey;
  label: string;
  /** What one event is, for the evidence line ("reviewed pull requests"). */
  events: string;
  read(metrics: DeliveryMetrics): { events: number; medianHours: number | null; sampleSize: number };
}

/** A measure whose events are the very sample its median is taken over. */
function perSample(
  key: MetricKey,
  events: string,
  sample: (m: DeliveryMetrics) => { sampleSize: number; medianHours: number | null },
): FrictionMeasure {
  return {
    key,
    label: registeredMetric(key).label,
    events,
    read: (m) => {
      const { sampleSize, medianHours } = sample(m);
      return { events: sampleSize, medianHours, sampleSize };
    },
  };
}

const measures: FrictionMeasure[] = [
  perSample('pullRequests.medianPickupHours', 'reviewed pull requests', (m) => ({
    sampleSize: m.pullRequests.pickupSampleSize,
    medianHours: m.pullRequests.medianPickupHours,
  })),
  perSample(
    'leadTime.breakdown.deployWaitMedianHours',
    'changes waiting to deploy',
    (m) => m.leadTime.breakdown.deployWait,
  ),
  {
    // A failed deployment costs the time until service is restored: failures × median recovery time.
    key: 'changeFailureRate.rate',
    label: registeredMetric('changeFailureRate.rate').label,
    events: 'failed deployments (× median recovery time)',
    read: (m) => ({
      events: m.changeFailureRate.failed,
      medianHours: m.recoveryTime.medianHours,
      sampleSize: m.changeFailureRate.deployments,
    }),
  },
  perSample('recoveryTime.medianHours', 'recovered failed deployments', (m) => m.recoveryTime),
];

export const FRICTION_MEASURES: ReadonlyMap<string, FrictionMeasure> = new Map(
  measures.map((m) => [m.key, m]),
);
