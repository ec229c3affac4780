import type { AlertMetric } from '../config/alerts.schema.ts';
import type { AlertSeverity } from '../db/tables.ts';

/** The cycle-time breakdown stages of lead time (server/metrics/lead-time.metric.ts). */
export const STAGES = ['coding', 'pickup', 'review', 'deployWait'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * One observation a rule is evaluated on: a change's lead time, an incident's recovery time, a ticket's wait
 * (hours); a production deployment (value 1 when it caused an incident, else 0) for change failure rate and
 * deployment frequency.
 */
export interface SeriesSample {
  teamId: number;
  at: Date;
  value: number;
  /** Lead time only: hours in each breakdown stage (null where the change had no pull request). */
  stages?: Partial<Record<Stage, number | null>>;
  /** What the sample is, for "what drove it": `acme/web#42`, a commit, a ticket key. */
  label: string;
}

/**
 * How a metric is judged: `duration` (higher is worse; median, Mann–Whitney U), `proportion` (a share of
 * deployments that failed; higher is worse; two-proportion test) or `rate` (events per day; lower is worse;
 * rate-drop test).
 */
export type MetricKind = 'duration' | 'proportion' | 'rate';

export const METRIC_KINDS: Record<AlertMetric, MetricKind> = {
  leadTime: 'duration',
  recoveryTime: 'duration',
  ticketWait: 'duration',
  changeFailureRate: 'proportion',
  deploymentFrequency: 'rate',
};

export const METRIC_UNITS: Record<MetricKind, string> = {
  duration: 'hours',
  proportion: 'share',
  rate: 'per day',
};

export interface WindowFigures {
  from: string;
  to: string;
  samples: number;
  /** Median hours, failed share, or events per day; null without samples. */
  value: number | null;
}

export interface Figures {
  recent: WindowFigures;
  baseline: WindowFigures;
  /** How much worse the recent window is, relative to the baseline (0.3: 30 % worse); null when untestable. */
  change: number | null;
  pValue: number | null;
  /** The p-value after the correction across teams (Benjamini–Hochberg); equal to it with correction none. */
  qValue: number | null;
}

export interface Drivers {
  /** The worst samples of the recent window: the slowest changes, the failed deployments. */
  top: { label: string; value: number; at: string }[];
  /** Lead time: the breakdown stage whose median grew most (hours), null when none grew. */
  stage: { name: Stage; baselineHours: number; recentHours: number } | null;
}

/**
 * `fires`: worse by at least the warning threshold, significant after correction, enough samples;
 * `within`: less worse than minChange; `unconfirmed`: worse, but not significantly (or below the warning
 * threshold); `too-few`: not enough samples in a window to judge.
 */
export type Outcome = 'fires' | 'within' | 'unconfirmed' | 'too-few';

export interface TeamEvaluation {
  teamId: number;
  figures: Figures;
  outcome: Outcome;
  severity: AlertSeverity | null;
  drivers: Drivers;
}
