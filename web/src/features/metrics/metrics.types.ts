/**
 * The metrics API's response types, mirrored type-only from the server: `DeliveryMetrics` in
 * server/metrics/delivery-metrics.ts and the TypeBox schemas in server/routes/metrics.schemas.ts
 * (metrics.types.check.ts fails the web type-check when the two drift apart). The web app renders these
 * figures; it never computes one.
 */

export type Tier = 'elite' | 'high' | 'medium' | 'low';

export interface TierResult {
  tier: Tier | null;
  /** Why there is no tier (too few samples, no data). */
  tierReason?: string;
  /** Fewer samples than the tier minimum: the figure is shown, marked as thin. */
  smallSample?: true;
}

export interface StageFigure {
  sampleSize: number;
  medianHours: number | null;
  reason?: string;
}

export interface DeliveryMetrics {
  from: string;
  to: string;
  deploymentFrequency: {
    count: number;
    perWeek: number;
    perDay: number;
    activeWeeksShare: number | null;
    wholeWeeks: number;
    sampleSize: number;
    reason?: string;
  } & TierResult;
  leadTime: {
    medianHours: number | null;
    p90Hours: number | null;
    sampleSize: number;
    reason?: string;
    coverage: {
      deploymentsWithCommits: number;
      deployments: number;
      share: number | null;
      fromPullRequests: number;
      /** Changes dated, or with a commit dated, after their deployment. */
      negativeExcluded: number;
      /** Changes started before 2000. */
      implausibleStartExcluded: number;
      /** Changes first deployed before 2000 or more than a day after the server's clock. */
      implausibleDeploymentExcluded: number;
    };
    breakdown: { coding: StageFigure; pickup: StageFigure; review: StageFigure; deployWait: StageFigure };
  } & TierResult;
  changeFailureRate: {
    rate: number | null;
    failed: number;
    deployments: number;
    failedByInferenceOnly: number;
    reason?: string;
  } & TierResult;
  recoveryTime: {
    medianHours: number | null;
    p90Hours: number | null;
    sampleSize: number;
    unresolved: number;
    reason?: string;
    allIncidents: {
      medianHours: number | null;
      p90Hours: number | null;
      sampleSize: number;
      unresolved: number;
    };
  } & TierResult;
  reworkRate: { rate: number | null; reworkDeployments: number; deployments: number; reason?: string };
  pullRequests: {
    merged: number;
    medianSizeLines: number | null;
    sizeSampleSize: number;
    medianPickupHours: number | null;
    p90PickupHours: number | null;
    pickupSampleSize: number;
  };
  ci: CiMetrics;
}

export interface CiDurationFigure {
  medianMinutes: number | null;
  p90Minutes: number | null;
  sampleSize: number;
}

/** CI pipeline telemetry: `ci` in the metrics (server/metrics/ci.metric.ts). */
export interface CiMetrics {
  sampleSize: number;
  durationMedianMinutes: number | null;
  durationP90Minutes: number | null;
  pullRequest: CiDurationFigure;
  defaultBranch: CiDurationFigure;
  queueMedianMinutes: number | null;
  queueP90Minutes: number | null;
  queueSampleSize: number;
  failureRate: number | null;
  failedAttempts: number;
  runs: number;
  attempts: number;
  flakyRate: number | null;
  flakyRuns: number;
  timeToGreen: {
    medianHours: number | null;
    p90Hours: number | null;
    sampleSize: number;
    unresolved: number;
  };
  reason?: string;
}

export interface BenchmarkRef {
  id: string;
  title: string;
  citation: string;
}

/** How a figure moved against the period of the same length just before (`compare=previous`). */
export interface Change {
  previous: number | null;
  previousSampleSize: number;
  difference: number | null;
  ratio: number | null;
  /** Decided on the server: each metric knows whether higher or lower is better. */
  direction: 'better' | 'worse' | 'unchanged' | null;
  smallSample: boolean;
}

export type ChangedMetric =
  'deploymentFrequency' | 'leadTime' | 'changeFailureRate' | 'recoveryTime' | 'reworkRate';

/** GET /api/v1/teams/:team/metrics */
export type TeamMetrics = {
  team: string;
  period: string;
  benchmark: BenchmarkRef;
  change?: Record<ChangedMetric, Change>;
} & DeliveryMetrics;

/** GET /api/v1/metrics?groupBy=team */
export interface OrganizationMetrics {
  organization: {
    name: string;
    period: string;
    benchmark: BenchmarkRef;
    change?: Record<ChangedMetric, Change>;
  } & DeliveryMetrics;
  teams?: TeamMetrics[];
}

/** GET /api/v1/teams/:team/metrics/series: one point per Monday-aligned week, clipped to the period. */
export interface MetricsSeries {
  team: string;
  period: string;
  interval: 'week';
  points: ({ week: string } & DeliveryMetrics)[];
}

/** The figures that have a drill-down (`SAMPLE_METRICS` in server/metrics/samples.service.ts). */
export type SampleMetric =
  | 'deploymentFrequency'
  | 'leadTime'
  | 'changeFailureRate'
  | 'recoveryTime'
  | 'reworkRate'
  | 'pullRequests'
  | 'ci'
  | 'ciTimeToGreen';

/** GET /api/v1/teams/:team/metrics/:metric/samples: the rows behind a figure, oldest first. */
export interface SamplesPage {
  team: string;
  metric: string;
  from: string;
  to: string;
  total: number;
  samples: Record<string, unknown>[];
}
