import { formatCount, formatHours, formatRate, formatSample } from '../../lib/format.ts';
import type { CiMetrics, SampleMetric } from './metrics.types.ts';

/** One CI figure, written out for a card on the team page's "Build and test" section. */
export interface CiFigureView {
  key: string;
  title: string;
  unit: string;
  value: string;
  details: string[];
  sample: string;
  /** The drill-down listing the rows behind it. */
  drill: Extract<SampleMetric, 'ci' | 'ciTimeToGreen'>;
  reason?: string;
}

/** Minutes as the dashboard writes every duration ("12 min", "1.4 h"). */
export const formatMinutes = (minutes: number | null) => formatHours(minutes === null ? null : minutes / 60);

const noRuns = (kind: string) => `no ${kind} CI run that passed or failed in the period`;

/**
 * A team's CI feedback loop as cards: build time for pull requests and for the default branch apart, queue
 * time, failure and flaky rates, time to green. Formatting only: every number comes from the API.
 */
export function ciFigures(ci: CiMetrics): CiFigureView[] {
  const duration = (
    key: string,
    title: string,
    figure: CiMetrics['pullRequest'],
    kind: string,
  ): CiFigureView => ({
    key,
    title,
    unit: `median time a ${kind} CI run takes`,
    value: formatMinutes(figure.medianMinutes),
    details: figure.p90Minutes === null ? [] : [`p90 ${formatMinutes(figure.p90Minutes)}`],
    sample: formatSample(figure.sampleSize, 'run attempt'),
    drill: 'ci',
    ...(figure.sampleSize === 0 ? { reason: noRuns(kind) } : {}),
  });
  return [
    duration('pullRequest', 'Pull-request builds', ci.pullRequest, 'pull-request'),
    duration('defaultBranch', 'Default-branch builds', ci.defaultBranch, 'default-branch'),
    {
      key: 'queue',
      title: 'Queue time',
      unit: 'median wait for a runner',
      value: formatMinutes(ci.queueMedianMinutes),
      details: ci.queueP90Minutes === null ? [] : [`p90 ${formatMinutes(ci.queueP90Minutes)}`],
      sample: formatSample(ci.queueSampleSize, 'run attempt'),
      drill: 'ci',
      ...(ci.queueSampleSize === 0 ? { reason: 'no CI run with a queue time in the period' } : {}),
    },
    {
      key: 'failure',
      title: 'Failure rate',
      unit: 'share of CI run attempts that failed',
      value: formatRate(ci.failureRate),
      details:
        ci.sampleSize === 0
          ? []
          : [`${ci.failedAttempts} of ${formatCount(ci.sampleSize, 'attempt')} failed`],
      sample: formatSample(ci.sampleSize, 'run attempt'),
      drill: 'ci',
      ...(ci.reason ? { reason: ci.reason } : {}),
    },
    {
      key: 'flaky',
      title: 'Flaky rate',
      unit: 'share of CI runs that failed, then passed on a re-run',
      value: formatRate(ci.flakyRate),
      details: ci.runs === 0 ? [] : [`${ci.flakyRuns} of ${formatCount(ci.runs, 'run')} were flaky`],
      sample: formatSample(ci.runs, 'run'),
      drill: 'ci',
      ...(ci.reason ? { reason: ci.reason } : {}),
    },
    {
      key: 'timeToGreen',
      title: 'Time to green',
      unit: 'median time a red default branch stays red',
      value: formatHours(ci.timeToGreen.medianHours),
      details: [
        ...(ci.timeToGreen.p90Hours === null ? [] : [`p90 ${formatHours(ci.timeToGreen.p90Hours)}`]),
        ...(ci.timeToGreen.unresolved > 0
          ? [
              `${formatCount(ci.timeToGreen.unresolved, 'red stretch', 'red stretches')} still red (not timed)`,
            ]
          : []),
      ],
      sample: formatSample(ci.timeToGreen.sampleSize, 'red stretch', 'red stretches'),
      drill: 'ciTimeToGreen',
      ...(ci.timeToGreen.sampleSize === 0
        ? { reason: 'the default branch did not turn red and green again in the period' }
        : {}),
    },
  ];
}

/** The teams table's CI cell: the median build, the flaky rate, what they were computed from. */
export function ciTableFigure(ci: CiMetrics): {
  value: string;
  detail: string;
  sample: string;
  reason?: string;
} {
  return {
    value: formatMinutes(ci.durationMedianMinutes),
    detail: ci.flakyRate === null ? '' : `flaky ${formatRate(ci.flakyRate)}`,
    sample: formatSample(ci.runs, 'run'),
    ...(ci.reason ? { reason: ci.reason } : {}),
  };
}
