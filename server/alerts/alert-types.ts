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
  /**
   * Samples that are not independent share a cluster: the changes one deployment shipped wait for the same
   * deploy, so lead time is tested on each deployment's median, not on each change.
   */
  cluster?: number;
  /**
   * surveyDriver only: one team's published result in one survey round (`at`: when the round closed and its
   * result became final; `value`: the favourable share, 0–1). Withheld for anonymity: no figures at all.
   */
  round?: SurveyRoundRef & ({ suppressed: false; respondents: number } | { suppressed: true });
}

export interface SurveyRoundRef {
  surveyId: string;
  quarter: string;
  /** The round's first and last day (UTC, both included). */
  opens: string;
  closes: string;
}

/**
 * How a metric is judged: `duration` (higher is worse; median, Mann–Whitney U), `proportion` (a share of
 * deployments that failed; higher is worse; two-proportion test), `rate` (events per day; lower is worse;
 * rate-drop test) or `share` (a survey driver's favourable share between rounds; lower is worse;
 * two-proportion test over respondents).
 */
export type MetricKind = 'duration' | 'proportion' | 'rate' | 'share';

export const METRIC_KINDS: Record<AlertMetric, MetricKind> = {
  leadTime: 'duration',
  recoveryTime: 'duration',
  ticketWait: 'duration',
  changeFailureRate: 'proportion',
  deploymentFrequency: 'rate',
  surveyDriver: 'share',
};

export const METRIC_UNITS: Record<MetricKind, string> = {
  duration: 'hours',
  proportion: 'share',
  rate: 'per day',
  share: 'favourable share',
};

export interface WindowFigures {
  from: string;
  to: string;
  samples: number;
  /** Median hours, failed share, events per day, or favourable share; null without samples. */
  value: number | null;
  /** surveyDriver: the survey round these figures are from (the window is its days). */
  round?: SurveyRoundRef;
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
  /** surveyDriver: the driver whose favourable share dropped (both rounds are in the figures). */
  survey?: { driver: string; title: string };
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
