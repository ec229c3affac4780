import type { DeliveryMetrics, MetricsSeries, TeamMetrics } from './metrics.types.ts';

/** The demo organisation's `checkout` over last-30d, as the API answered it (tests only). */
export const checkoutMetrics: DeliveryMetrics = {
  from: '2026-10-26T11:16:56.252Z',
  to: '2026-11-25T11:16:56.252Z',
  deploymentFrequency: {
    count: 46,
    perWeek: 10.73,
    perDay: 1.533,
    activeWeeksShare: 1,
    wholeWeeks: 3,
    sampleSize: 46,
    tier: 'elite',
  },
  leadTime: {
    medianHours: 46.72,
    p90Hours: 101.22,
    sampleSize: 175,
    coverage: {
      deploymentsWithCommits: 41,
      deployments: 46,
      share: 0.8913,
      fromPullRequests: 73,
      negativeExcluded: 0,
      implausibleStartExcluded: 0,
      implausibleDeploymentExcluded: 0,
    },
    breakdown: {
      coding: { sampleSize: 73, medianHours: 4.84 },
      pickup: { sampleSize: 73, medianHours: 7.25 },
      review: { sampleSize: 73, medianHours: 3.44 },
      deployWait: { sampleSize: 73, medianHours: 7.25 },
    },
    tier: 'high',
  },
  changeFailureRate: { rate: 0.3913, failed: 18, deployments: 46, failedByInferenceOnly: 0, tier: 'low' },
  recoveryTime: {
    medianHours: 12.81,
    p90Hours: 26.36,
    sampleSize: 16,
    unresolved: 2,
    allIncidents: { medianHours: 13.15, p90Hours: 26.29, sampleSize: 18, unresolved: 2 },
    tier: 'high',
  },
  reworkRate: { rate: 0.3478, reworkDeployments: 16, deployments: 46 },
  pullRequests: {
    merged: 75,
    medianSizeLines: 171,
    sizeSampleSize: 75,
    medianPickupHours: 7.21,
    p90PickupHours: 59.3,
    pickupSampleSize: 75,
  },
  ci: {
    sampleSize: 412,
    durationMedianMinutes: 11.5,
    durationP90Minutes: 24.1,
    pullRequest: { medianMinutes: 10.2, p90Minutes: 21.7, sampleSize: 301 },
    defaultBranch: { medianMinutes: 14.9, p90Minutes: 27.3, sampleSize: 111 },
    queueMedianMinutes: 0.8,
    queueP90Minutes: 3.4,
    queueSampleSize: 380,
    failureRate: 0.1214,
    failedAttempts: 50,
    runs: 380,
    attempts: 415,
    flakyRate: 0.0421,
    flakyRuns: 16,
    timeToGreen: { medianHours: 1.6, p90Hours: 5.2, sampleSize: 9, unresolved: 0 },
  },
};

const noDeployments = 'no successful production deployments in the period';

/** A team that sent nothing in the period, as the API answers it. */
export const emptyMetrics: DeliveryMetrics = {
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-04-01T00:00:00.000Z',
  deploymentFrequency: {
    count: 0,
    perWeek: 0,
    perDay: 0,
    activeWeeksShare: 0,
    wholeWeeks: 12,
    sampleSize: 0,
    tier: null,
    tierReason: 'fewer than 5 samples (0); a tier would be noise',
    reason: noDeployments,
  },
  leadTime: {
    medianHours: null,
    p90Hours: null,
    sampleSize: 0,
    reason: noDeployments,
    coverage: {
      deploymentsWithCommits: 0,
      deployments: 0,
      share: null,
      fromPullRequests: 0,
      negativeExcluded: 0,
      implausibleStartExcluded: 0,
      implausibleDeploymentExcluded: 0,
    },
    breakdown: {
      coding: {
        sampleSize: 0,
        medianHours: null,
        reason: 'no pull requests with a first commit time in the period',
      },
      pickup: { sampleSize: 0, medianHours: null, reason: 'no reviewed pull requests in the period' },
      review: { sampleSize: 0, medianHours: null, reason: 'no reviewed pull requests in the period' },
      deployWait: {
        sampleSize: 0,
        medianHours: null,
        reason: 'no merged pull requests deployed in the period',
      },
    },
    tier: null,
    tierReason: 'no data in the period',
  },
  changeFailureRate: {
    rate: null,
    failed: 0,
    deployments: 0,
    failedByInferenceOnly: 0,
    reason: noDeployments,
    tier: null,
    tierReason: 'no data in the period',
  },
  recoveryTime: {
    medianHours: null,
    p90Hours: null,
    sampleSize: 0,
    unresolved: 0,
    reason: 'no resolved incident caused by a deployment started in the period',
    allIncidents: { medianHours: null, p90Hours: null, sampleSize: 0, unresolved: 0 },
    tier: null,
    tierReason: 'no data in the period',
  },
  reworkRate: { rate: null, reworkDeployments: 0, deployments: 0, reason: noDeployments },
  pullRequests: {
    merged: 0,
    medianSizeLines: null,
    sizeSampleSize: 0,
    medianPickupHours: null,
    p90PickupHours: null,
    pickupSampleSize: 0,
  },
  ci: {
    sampleSize: 0,
    durationMedianMinutes: null,
    durationP90Minutes: null,
    pullRequest: { medianMinutes: null, p90Minutes: null, sampleSize: 0 },
    defaultBranch: { medianMinutes: null, p90Minutes: null, sampleSize: 0 },
    queueMedianMinutes: null,
    queueP90Minutes: null,
    queueSampleSize: 0,
    failureRate: null,
    failedAttempts: 0,
    runs: 0,
    attempts: 0,
    flakyRate: null,
    flakyRuns: 0,
    timeToGreen: { medianHours: null, p90Hours: null, sampleSize: 0, unresolved: 0 },
    reason: 'no CI run that passed or failed in the period',
  },
};

/** Two weeks of a series: a clipped first week with deployments, then a whole week without any. */
export const twoWeekSeries: MetricsSeries = {
  team: 'checkout',
  period: 'last-90d',
  interval: 'week',
  points: [
    {
      ...checkoutMetrics,
      week: '2026-08-24',
      from: '2026-08-27T11:16:59.375Z',
      to: '2026-08-31T00:00:00.000Z',
    },
    { ...emptyMetrics, week: '2026-08-31', from: '2026-08-31T00:00:00.000Z', to: '2026-09-07T00:00:00.000Z' },
  ],
};

/** A team's figures for table and ranking tests: a copy of checkout's, to adjust per test. */
export function teamMetricsFixture(team: string): TeamMetrics {
  return {
    ...structuredClone(checkoutMetrics),
    team,
    period: 'last-30d',
    benchmark: { id: 'dora-2023', title: 'DORA 2023', citation: 'Accelerate State of DevOps 2023' },
  };
}
