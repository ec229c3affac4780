import type { AlertRule } from '../config/alerts-config.ts';
import { surveyDriver } from '../../scorecards/survey-drivers.ts';
import { DAY_MS } from '../time.ts';
import { METRIC_KINDS, STAGES } from './alert-types.ts';
import type {
  Drivers,
  Figures,
  MetricKind,
  SeriesSample,
  Stage,
  TeamEvaluation,
  WindowFigures,
} from './alert-types.ts';
import { benjaminiHochberg, mannWhitneyGreater, median, proportionGreater, rateDrop } from './statistics.ts';

/** Relative changes are capped here (+1000 %): a baseline of zero failures would make any failure infinite. */
export const MAX_CHANGE = 10;

export interface Windows {
  baseline: { from: Date; to: Date };
  recent: { from: Date; to: Date };
}

/** The recent window ends at `asOf`; the baseline is the `baselineDays` before it. Half-open. */
export function windowsAt(rule: AlertRule, asOf: Date): Windows {
  const recentFrom = new Date(asOf.getTime() - rule.recentDays * DAY_MS);
  return {
    recent: { from: recentFrom, to: asOf },
    baseline: { from: new Date(recentFrom.getTime() - rule.baselineDays * DAY_MS), to: recentFrom },
  };
}

/**
 * How much worse `recent` is than `baseline`: higher is worse for durations and failed shares, lower for rates
 * and favourable shares (a relative drop: 60 % → 45 % favourable is 0.25 worse).
 */
export function worsening(kind: MetricKind, baseline: number, recent: number): number {
  if (kind === 'share') return baseline > 0 ? Math.max(-MAX_CHANGE, (baseline - recent) / baseline) : 0;
  const change =
    kind === 'rate'
      ? recent === 0
        ? baseline > 0
          ? MAX_CHANGE
          : 0
        : baseline / recent - 1
      : baseline === 0
        ? recent > 0
          ? MAX_CHANGE
          : 0
        : (recent - baseline) / baseline;
  return Math.min(change, MAX_CHANGE);
}

const within = (samples: readonly SeriesSample[], window: { from: Date; to: Date }) =>
  samples.filter((s) => s.at >= window.from && s.at < window.to);

/**
 * The values a duration test compares: one per cluster (its median) where samples are clustered — changes
 * shipped by one deployment share its wait, and counting each as independent evidence would make a team
 * that deploys twice a week look significant on noise — else one per sample.
 */
export function clusterValues(samples: readonly SeriesSample[]): number[] {
  const clusters = new Map<number, number[]>();
  const single: number[] = [];
  for (const sample of samples) {
    if (sample.cluster === undefined) single.push(sample.value);
    else clusters.set(sample.cluster, [...(clusters.get(sample.cluster) ?? []), sample.value]);
  }
  return [...single, ...[...clusters.values()].map((values) => median(values))];
}

/** The recent and baseline figures of one team's samples, with the uncorrected p-value when testable. */
export function teamFigures(
  rule: AlertRule,
  samples: readonly SeriesSample[],
  windows: Windows,
): Figures & { testable: boolean } {
  const kind = METRIC_KINDS[rule.metric];
  if (kind === 'share') return roundFigures(rule, samples, windows);
  const recent = within(samples, windows.recent);
  const baseline = within(samples, windows.baseline);
  const values = (rows: SeriesSample[]) => rows.map((row) => row.value);
  const valueOf = (rows: SeriesSample[], days: number): number | null => {
    if (kind === 'rate') return rows.length / days;
    if (rows.length === 0) return null;
    return kind === 'proportion'
      ? rows.filter((row) => row.value > 0).length / rows.length
      : median(values(rows));
  };
  const figures: Figures = {
    recent: {
      from: windows.recent.from.toISOString(),
      to: windows.recent.to.toISOString(),
      samples: recent.length,
      value: valueOf(recent, rule.recentDays),
    },
    baseline: {
      from: windows.baseline.from.toISOString(),
      to: windows.baseline.to.toISOString(),
      samples: baseline.length,
      value: valueOf(baseline, rule.baselineDays),
    },
    change: null,
    pValue: null,
    qValue: null,
  };
  // A rate's recent window may well be empty: that is the regression. Other metrics need both windows.
  const testable =
    baseline.length >= rule.minSamples && (kind === 'rate' || recent.length >= rule.minSamples);
  if (!testable || figures.baseline.value === null || figures.recent.value === null) {
    return { ...figures, testable: false };
  }
  figures.change = worsening(kind, figures.baseline.value, figures.recent.value);
  figures.pValue =
    kind === 'duration'
      ? mannWhitneyGreater(clusterValues(recent), clusterValues(baseline)).pValue
      : kind === 'proportion'
        ? proportionGreater(
            { successes: recent.filter((r) => r.value > 0).length, trials: recent.length },
            { successes: baseline.filter((r) => r.value > 0).length, trials: baseline.length },
          ).pValue
        : rateDrop(
            { events: recent.length, days: rule.recentDays },
            { events: baseline.length, days: rule.baselineDays },
          ).pValue;
  return { ...figures, testable: true };
}

/**
 * A survey driver's favourable share in the latest round published by the end of `windows.recent` against
 * the round before it. A round withheld for the team (below minGroupSize, or complementary suppression) has
 * no figures, so nothing is tested and no number of it appears anywhere. The test counts respondents, not
 * answers: a driver's statements answered by one person are not independent evidence, so the share is
 * tested as if each respondent answered once (conservative where a driver has several statements).
 */
function roundFigures(
  rule: AlertRule,
  samples: readonly SeriesSample[],
  windows: Windows,
): Figures & { testable: boolean } {
  const published = samples.filter((sample) => sample.round && sample.at <= windows.recent.to);
  const recent = published.at(-1);
  const baseline = published.length > 1 ? published.at(-2) : undefined;
  const side = (sample: SeriesSample | undefined, fallback: { from: Date; to: Date }): WindowFigures => {
    const round = sample?.round;
    if (!sample || !round) {
      return { from: fallback.from.toISOString(), to: fallback.to.toISOString(), samples: 0, value: null };
    }
    const { surveyId, quarter, opens, closes } = round;
    return {
      from: `${opens}T00:00:00.000Z`,
      to: sample.at.toISOString(),
      samples: round.suppressed ? 0 : round.respondents,
      value: round.suppressed ? null : sample.value,
      round: { surveyId, quarter, opens, closes },
    };
  };
  const figures: Figures = {
    recent: side(recent, windows.recent),
    baseline: side(baseline, windows.baseline),
    change: null,
    pValue: null,
    qValue: null,
  };
  const before = figures.baseline;
  const now = figures.recent;
  if (
    before.value === null ||
    now.value === null ||
    before.samples < rule.minSamples ||
    now.samples < rule.minSamples
  ) {
    return { ...figures, testable: false };
  }
  figures.change = worsening('share', before.value, now.value);
  // One-sided: the earlier round's favourable share is larger than the latest's.
  figures.pValue = proportionGreater(
    { successes: before.value * before.samples, trials: before.samples },
    { successes: now.value * now.samples, trials: now.samples },
  ).pValue;
  return { ...figures, testable: true };
}

export const surveyDriverRef = (driver: string) => ({ driver, title: surveyDriver(driver)?.title ?? driver });

/** The worst samples of the recent window and, for lead time, the breakdown stage that moved most. */
export function driversOf(rule: AlertRule, samples: readonly SeriesSample[], windows: Windows): Drivers {
  const kind = METRIC_KINDS[rule.metric];
  if (kind === 'share') return { top: [], stage: null, survey: surveyDriverRef(rule.driver ?? '') };
  const recent = within(samples, windows.recent);
  const worst =
    kind === 'duration'
      ? [...recent].sort((a, b) => b.value - a.value)
      : kind === 'proportion'
        ? recent.filter((row) => row.value > 0).sort((a, b) => b.at.getTime() - a.at.getTime())
        : [];
  const top = worst
    .slice(0, 5)
    .map((row) => ({ label: row.label, value: row.value, at: row.at.toISOString() }));
  if (rule.metric !== 'leadTime') return { top, stage: null };
  const baseline = within(samples, windows.baseline);
  const stageMedian = (rows: SeriesSample[], stage: Stage) => {
    const hours = rows.flatMap((row) => {
      const value = row.stages?.[stage];
      return value != null && value >= 0 ? [value] : [];
    });
    return hours.length > 0 ? median(hours) : null;
  };
  let stage: Drivers['stage'] = null;
  for (const name of STAGES) {
    const before = stageMedian(baseline, name);
    const now = stageMedian(recent, name);
    if (before === null || now === null || now <= before) continue;
    if (!stage || now - before > stage.recentHours - stage.baselineHours) {
      stage = { name, baselineHours: before, recentHours: now };
    }
  }
  return { top, stage };
}

/**
 * Evaluates a rule for each team as of `asOf`: each team's figures, one-sided test, the correction across
 * every team tested at once, and the outcome. Pure: the evaluator, the dry run and the backtest share it.
 */
export function evaluateRule(
  rule: AlertRule,
  samplesByTeam: ReadonlyMap<number, readonly SeriesSample[]>,
  teamIds: readonly number[],
  asOf: Date,
): TeamEvaluation[] {
  const windows = windowsAt(rule, asOf);
  const figures = teamIds.map((teamId) => ({
    teamId,
    ...teamFigures(rule, samplesByTeam.get(teamId) ?? [], windows),
  }));
  const tested = figures.filter((f) => f.testable);
  const adjusted =
    rule.correction === 'benjamini-hochberg'
      ? benjaminiHochberg(tested.map((f) => f.pValue as number))
      : tested.map((f) => f.pValue as number);
  tested.forEach((f, i) => (f.qValue = adjusted[i] ?? null));
  return figures.map(({ testable, teamId, ...team }): TeamEvaluation => {
    const change = team.change ?? 0;
    const outcome = !testable
      ? 'too-few'
      : change < rule.minChange
        ? 'within'
        : change >= rule.severity.warning && (team.qValue ?? 1) <= rule.alpha
          ? 'fires'
          : 'unconfirmed';
    return {
      teamId,
      figures: team,
      outcome,
      severity: outcome !== 'fires' ? null : change >= rule.severity.critical ? 'critical' : 'warning',
      drivers:
        outcome === 'fires'
          ? driversOf(rule, samplesByTeam.get(teamId) ?? [], windows)
          : { top: [], stage: null },
    };
  });
}

/** Groups samples by team, each team's oldest first. */
export function byTeam(samples: readonly SeriesSample[]): Map<number, SeriesSample[]> {
  const grouped = new Map<number, SeriesSample[]>();
  for (const sample of samples) {
    const rows = grouped.get(sample.teamId) ?? [];
    rows.push(sample);
    grouped.set(sample.teamId, rows);
  }
  for (const rows of grouped.values()) rows.sort((a, b) => a.at.getTime() - b.at.getTime());
  return grouped;
}
