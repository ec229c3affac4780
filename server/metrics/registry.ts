import type { DeliveryMetrics, Figure } from './delivery-metrics.ts';

/**
 * The metrics a scorecard rule (and later an alert or a report) may name. Each entry says how to read its
 * value and its sample size from a computed `DeliveryMetrics`; nothing here computes a metric, so a card
 * can never disagree with the metrics API. A null value carries the reason the metrics module gave.
 */

/** Which way a metric improves: a rule's operator must point the same way (`>=` for higher, `<=` for lower). */
export type Better = 'higher' | 'lower';

export interface MetricReading {
  value: number | null;
  sampleSize: number;
  /** Why the value is null. */
  reason?: string;
}

interface MetricDefinition {
  label: string;
  unit: string;
  better: Better;
  read(metrics: DeliveryMetrics): MetricReading;
}

export interface RegisteredMetric extends MetricDefinition {
  key: MetricKey;
}

const reading = (value: number | null, sampleSize: number, reason: string | undefined): MetricReading =>
  value === null ? { value, sampleSize, reason: reason ?? 'no data in the period' } : { value, sampleSize };

const stage = (figure: Figure): MetricReading =>
  reading(figure.medianHours, figure.sampleSize, figure.reason);

const noCiRuns = 'no CI run that passed or failed in the period';
const ciDuration = (
  figure: { medianMinutes: number | null; p90Minutes: number | null; sampleSize: number },
  p: 'medianMinutes' | 'p90Minutes',
  what: string,
) => reading(figure[p], figure.sampleSize, `no ${what} CI run that passed or failed in the period`);

/** CI pipeline telemetry (server/metrics/ci.metric.ts): durations and queue time in minutes. */
const CI_METRICS = {
  'ci.durationMedianMinutes': {
    label: 'CI duration (median)',
    unit: 'minutes',
    better: 'lower',
    read: (m) => reading(m.ci.durationMedianMinutes, m.ci.sampleSize, noCiRuns),
  },
  'ci.durationP90Minutes': {
    label: 'CI duration (p90)',
    unit: 'minutes',
    better: 'lower',
    read: (m) => reading(m.ci.durationP90Minutes, m.ci.sampleSize, noCiRuns),
  },
  'ci.pullRequest.durationMedianMinutes': {
    label: 'CI duration, pull-request runs (median)',
    unit: 'minutes',
    better: 'lower',
    read: (m) => ciDuration(m.ci.pullRequest, 'medianMinutes', 'pull-request'),
  },
  'ci.pullRequest.durationP90Minutes': {
    label: 'CI duration, pull-request runs (p90)',
    unit: 'minutes',
    better: 'lower',
    read: (m) => ciDuration(m.ci.pullRequest, 'p90Minutes', 'pull-request'),
  },
  'ci.defaultBranch.durationMedianMinutes': {
    label: 'CI duration, default-branch runs (median)',
    unit: 'minutes',
    better: 'lower',
    read: (m) => ciDuration(m.ci.defaultBranch, 'medianMinutes', 'default-branch'),
  },
  'ci.defaultBranch.durationP90Minutes': {
    label: 'CI duration, default-branch runs (p90)',
    unit: 'minutes',
    better: 'lower',
    read: (m) => ciDuration(m.ci.defaultBranch, 'p90Minutes', 'default-branch'),
  },
  'ci.queueMedianMinutes': {
    label: 'CI queue time (median)',
    unit: 'minutes',
    better: 'lower',
    read: (m) =>
      reading(m.ci.queueMedianMinutes, m.ci.queueSampleSize, 'no CI run with a queue time in the period'),
  },
  'ci.failureRate': {
    label: 'CI failure rate',
    unit: 'share of CI attempts',
    better: 'lower',
    read: (m) => reading(m.ci.failureRate, m.ci.sampleSize, noCiRuns),
  },
  'ci.flakyRate': {
    label: 'CI flaky rate',
    unit: 'share of CI runs that failed, then passed on a re-run',
    better: 'lower',
    read: (m) => reading(m.ci.flakyRate, m.ci.runs, noCiRuns),
  },
  'ci.timeToGreen.medianHours': {
    label: 'Time to green after a red default branch (median)',
    unit: 'hours',
    better: 'lower',
    read: (m) =>
      reading(
        m.ci.timeToGreen.medianHours,
        m.ci.timeToGreen.sampleSize,
        'no default branch turned red and green again in the period',
      ),
  },
} satisfies Record<string, MetricDefinition>;

const definitions = {
  'deploymentFrequency.perWeek': {
    label: 'Deployment frequency',
    unit: 'deployments per week',
    better: 'higher',
    // Zero deployments is a measurement (the team did not deploy), not missing data.
    read: (m) => reading(m.deploymentFrequency.perWeek, m.deploymentFrequency.count, undefined),
  },
  'deploymentFrequency.perDay': {
    label: 'Deployment frequency',
    unit: 'deployments per day',
    better: 'higher',
    read: (m) => reading(m.deploymentFrequency.perDay, m.deploymentFrequency.count, undefined),
  },
  'deploymentFrequency.activeWeeksShare': {
    label: 'Weeks with a deployment',
    unit: 'share of whole ISO weeks in the period',
    better: 'higher',
    read: (m) =>
      reading(
        m.deploymentFrequency.activeWeeksShare,
        m.deploymentFrequency.wholeWeeks,
        'the period holds no whole ISO week',
      ),
  },
  'leadTime.medianHours': {
    label: 'Lead time for changes (median)',
    unit: 'hours',
    better: 'lower',
    read: (m) => reading(m.leadTime.medianHours, m.leadTime.sampleSize, m.leadTime.reason),
  },
  'leadTime.p90Hours': {
    label: 'Lead time for changes (p90)',
    unit: 'hours',
    better: 'lower',
    read: (m) => reading(m.leadTime.p90Hours, m.leadTime.sampleSize, m.leadTime.reason),
  },
  'leadTime.coverage.share': {
    label: 'Deployments with commit data',
    unit: 'share of successful production deployments',
    better: 'higher',
    read: (m) =>
      reading(m.leadTime.coverage.share, m.leadTime.coverage.deployments, m.deploymentFrequency.reason),
  },
  'leadTime.breakdown.codingMedianHours': {
    label: 'Coding time (median)',
    unit: 'hours',
    better: 'lower',
    read: (m) => stage(m.leadTime.breakdown.coding),
  },
  'leadTime.breakdown.pickupMedianHours': {
    label: 'Review pickup of shipped changes (median)',
    unit: 'hours',
    better: 'lower',
    read: (m) => stage(m.leadTime.breakdown.pickup),
  },
  'leadTime.breakdown.reviewMedianHours': {
    label: 'Review time (median)',
    unit: 'hours',
    better: 'lower',
    read: (m) => stage(m.leadTime.breakdown.review),
  },
  'leadTime.breakdown.deployWaitMedianHours': {
    label: 'Deploy wait (median)',
    unit: 'hours',
    better: 'lower',
    read: (m) => stage(m.leadTime.breakdown.deployWait),
  },
  'changeFailureRate.rate': {
    label: 'Change failure rate',
    unit: 'share of deployments',
    better: 'lower',
    read: (m) =>
      reading(m.changeFailureRate.rate, m.changeFailureRate.deployments, m.changeFailureRate.reason),
  },
  'recoveryTime.medianHours': {
    label: 'Failed deployment recovery time (median)',
    unit: 'hours',
    better: 'lower',
    read: (m) => reading(m.recoveryTime.medianHours, m.recoveryTime.sampleSize, m.recoveryTime.reason),
  },
  'recoveryTime.p90Hours': {
    label: 'Failed deployment recovery time (p90)',
    unit: 'hours',
    better: 'lower',
    read: (m) => reading(m.recoveryTime.p90Hours, m.recoveryTime.sampleSize, m.recoveryTime.reason),
  },
  'recoveryTime.allIncidents.medianHours': {
    label: 'Incident recovery time, every incident (median)',
    unit: 'hours',
    better: 'lower',
    read: (m) =>
      reading(
        m.recoveryTime.allIncidents.medianHours,
        m.recoveryTime.allIncidents.sampleSize,
        'no resolved incident started in the period',
      ),
  },
  'reworkRate.rate': {
    label: 'Deployment rework rate',
    unit: 'share of deployments',
    better: 'lower',
    read: (m) => reading(m.reworkRate.rate, m.reworkRate.deployments, m.reworkRate.reason),
  },
  'pullRequests.medianSizeLines': {
    label: 'Pull request size (median)',
    unit: 'changed lines',
    better: 'lower',
    read: (m) =>
      reading(
        m.pullRequests.medianSizeLines,
        m.pullRequests.sizeSampleSize,
        'no merged pull request with a size in the period',
      ),
  },
  'pullRequests.medianPickupHours': {
    label: 'Review pickup (median)',
    unit: 'hours',
    better: 'lower',
    read: (m) =>
      reading(
        m.pullRequests.medianPickupHours,
        m.pullRequests.pickupSampleSize,
        'no reviewed pull request merged in the period',
      ),
  },
  'pullRequests.p90PickupHours': {
    label: 'Review pickup (p90)',
    unit: 'hours',
    better: 'lower',
    read: (m) =>
      reading(
        m.pullRequests.p90PickupHours,
        m.pullRequests.pickupSampleSize,
        'no reviewed pull request merged in the period',
      ),
  },
  ...CI_METRICS,
} satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof definitions;

export const METRIC_REGISTRY: ReadonlyMap<MetricKey, RegisteredMetric> = new Map(
  (Object.entries(definitions) as [MetricKey, MetricDefinition][]).map(([key, metric]) => [
    key,
    { key, ...metric },
  ]),
);

export function isMetricKey(key: string): key is MetricKey {
  return METRIC_REGISTRY.has(key as MetricKey);
}

export function registeredMetric(key: MetricKey): RegisteredMetric {
  return METRIC_REGISTRY.get(key) as RegisteredMetric;
}

/** A reader over one computed result: what scorecard evaluation takes, so evaluation stays pure. */
export function metricReader(metrics: DeliveryMetrics): (key: MetricKey) => MetricReading {
  return (key) => registeredMetric(key).read(metrics);
}
