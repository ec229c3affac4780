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

const measures: FrictionMeasure[] = [
  {
    key: 'pullRequests.medianPickupHours',
    label: registeredMetric('pullRequests.medianPickupHours').label,
    events: 'reviewed pull requests',
    read: (m) => ({
      events: m.pullRequests.pickupSampleSize,
      medianHours: m.pullRequests.medianPickupHours,
      sampleSize: m.pullRequests.pickupSampleSize,
    }),
  },
  {
    key: 'leadTime.breakdown.deployWaitMedianHours',
    label: registeredMetric('leadTime.breakdown.deployWaitMedianHours').label,
    events: 'changes waiting to deploy',
    read: (m) => ({
      events: m.leadTime.breakdown.deployWait.sampleSize,
      medianHours: m.leadTime.breakdown.deployWait.medianHours,
      sampleSize: m.leadTime.breakdown.deployWait.sampleSize,
    }),
  },
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
  {
    key: 'recoveryTime.medianHours',
    label: registeredMetric('recoveryTime.medianHours').label,
    events: 'recovered failed deployments',
    read: (m) => ({
      events: m.recoveryTime.sampleSize,
      medianHours: m.recoveryTime.medianHours,
      sampleSize: m.recoveryTime.sampleSize,
    }),
  },
];

export const FRICTION_MEASURES: ReadonlyMap<string, FrictionMeasure> = new Map(
  measures.map((m) => [m.key, m]),
);
