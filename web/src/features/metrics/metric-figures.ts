import { formatCount, formatHours, formatPerWeek, formatRate, formatSample } from '../../lib/format.ts';
import { describeChange } from './change-text.ts';
import type { ChangeView } from './change-text.ts';
import type { Change, ChangedMetric, DeliveryMetrics, SampleMetric, Tier } from './metrics.types.ts';

/** One of the five DORA figures, written out for a card or a table cell. */
export interface FigureView {
  metric: SampleMetric;
  title: string;
  /** What the headline number measures, with its unit. */
  unit: string;
  /** The headline number, formatted with its unit; "—" when the API has none. */
  value: string;
  /** Secondary figures (p90, counts behind a rate). */
  details: string[];
  /** "n = 46 deployments": what the figure was computed from. */
  sample: string;
  /** Whether the benchmark tables tier this metric at all. */
  tiered: boolean;
  tier: Tier | null;
  tierReason?: string;
  /** Why the headline number is missing. */
  reason?: string;
  /** Against the previous period, when the API was asked to compare; null when there is nothing to compare. */
  change?: ChangeView | null;
  /** A figure but fewer samples than the tier minimum: show it, marked as thin. */
  smallSample: boolean;
}

/**
 * The five DORA figures of a team (or the organisation) in display order, each formatted with its unit,
 * sample size, tier and, when the API has no figure, its reason. Formatting only: every number comes
 * from the API as is.
 */
export function deliveryFigures(
  metrics: DeliveryMetrics & { change?: Record<ChangedMetric, Change> },
): FigureView[] {
  const {
    deploymentFrequency: df,
    leadTime: lt,
    changeFailureRate: cfr,
    recoveryTime: rt,
    reworkRate: rw,
  } = metrics;
  const figures: Omit<FigureView, 'change' | 'smallSample'>[] = [
    {
      metric: 'deploymentFrequency',
      title: 'Deployment frequency',
      unit: 'successful production deployments per week',
      value: formatPerWeek(df.perWeek),
      details: [
        formatCount(df.count, 'deployment') + ' in the period',
        df.activeWeeksShare === null
          ? 'no whole week in the period'
          : `${formatRate(df.activeWeeksShare)} of ${formatCount(df.wholeWeeks, 'whole week')} had one`,
      ],
      sample: formatSample(df.sampleSize, 'deployment'),
      tiered: true,
      tier: df.tier,
      tierReason: df.tierReason,
      reason: df.reason,
    },
    {
      metric: 'leadTime',
      title: 'Lead time for changes',
      unit: 'median time from a change’s start to production',
      value: formatHours(lt.medianHours),
      details: lt.p90Hours === null ? [] : [`p90 ${formatHours(lt.p90Hours)}`],
      sample: formatSample(lt.sampleSize, 'change'),
      tiered: true,
      tier: lt.tier,
      tierReason: lt.tierReason,
      reason: lt.reason,
    },
    {
      metric: 'changeFailureRate',
      title: 'Change failure rate',
      unit: 'share of production deployments that caused an incident',
      value: formatRate(cfr.rate),
      details: [
        ...(cfr.deployments === 0
          ? []
          : [`${cfr.failed} of ${formatCount(cfr.deployments, 'deployment')} caused an incident`]),
        ...(cfr.failedByInferenceOnly > 0
          ? [`${cfr.failedByInferenceOnly} linked by inference only (same service, shortly before)`]
          : []),
      ],
      sample: formatSample(cfr.deployments, 'deployment'),
      tiered: true,
      tier: cfr.tier,
      tierReason: cfr.tierReason,
      reason: cfr.reason,
    },
    {
      metric: 'recoveryTime',
      title: 'Failed deployment recovery time',
      unit: 'median time to restore service after a deployment caused an incident',
      value: formatHours(rt.medianHours),
      details: [
        ...(rt.p90Hours === null ? [] : [`p90 ${formatHours(rt.p90Hours)}`]),
        ...(rt.unresolved > 0 ? [`${formatCount(rt.unresolved, 'incident')} still open (not timed)`] : []),
        ...(rt.allIncidents.sampleSize === 0
          ? []
          : [
              `all incidents: median ${formatHours(rt.allIncidents.medianHours)} (${formatSample(rt.allIncidents.sampleSize, 'incident')})`,
            ]),
      ],
      sample: formatSample(rt.sampleSize, 'resolved incident'),
      tiered: true,
      tier: rt.tier,
      tierReason: rt.tierReason,
      reason: rt.reason,
    },
    {
      metric: 'reworkRate',
      title: 'Deployment rework rate',
      unit: 'share of production deployments that were hotfixes or rollbacks',
      value: formatRate(rw.rate),
      details:
        rw.deployments === 0
          ? []
          : [`${rw.reworkDeployments} of ${formatCount(rw.deployments, 'deployment')} were rework`],
      sample: formatSample(rw.deployments, 'deployment'),
      tiered: false,
      tier: null,
      reason: rw.reason,
    },
  ];
  return withoutRepeatedReasons(
    figures.map((figure) => ({
      ...figure,
      ...(metrics.change
        ? {
            change: describeChange(
              figure.metric as ChangedMetric,
              metrics.change[figure.metric as ChangedMetric],
            ),
          }
        : {}),
      // The server marks a figure from fewer samples than the tier minimum: thin, not absent.
      smallSample: (metrics[figure.metric as ChangedMetric] as { smallSample?: true }).smallSample === true,
    })),
  );
}

/** With no figure at all, its `reason` already says why there is no tier; "no data in the period" would repeat it. */
function withoutRepeatedReasons(figures: FigureView[]): FigureView[] {
  return figures.map((figure) =>
    figure.reason && figure.tierReason === 'no data in the period'
      ? { ...figure, tierReason: undefined }
      : figure,
  );
}
