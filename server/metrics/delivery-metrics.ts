import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import { ciFigures, ciMeasures, ciTimeToGreen } from './ci.metric.ts';
import type { CiMetrics, CiRow, TimeToGreenRow } from './ci.metric.ts';
import { productionDeploymentCounts, wholeWeeksIn } from './deployment-frequency.metric.ts';
import type { DeploymentCountsRow } from './deployment-frequency.metric.ts';
import { leadTime } from './lead-time.metric.ts';
import { leadTimeSampleSource } from './lead-time-facts.ts';
import type { LeadTimeRow } from './lead-time.metric.ts';
import { periodDays } from './period.ts';
import type { Period } from './period.ts';
import { pullRequestHygiene } from './pull-request-hygiene.metric.ts';
import type { PullRequestHygieneRow } from './pull-request-hygiene.metric.ts';
import { recoveryTime } from './recovery-time.metric.ts';
import type { RecoveryRow } from './recovery-time.metric.ts';
import type { MetricScope } from './scope.ts';
import { tierFor } from './tiers.ts';
import type { Benchmark, TierResult } from './tiers.ts';

const round = (value: number | null, digits = 2): number | null =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
const share = (part: number, whole: number): number | null => (whole === 0 ? null : round(part / whole, 4));

export interface Figure {
  sampleSize: number;
  medianHours: number | null;
  /** Why the figure is null. */
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
      /** Successful production deployments that came with the commits they shipped. */
      deploymentsWithCommits: number;
      deployments: number;
      share: number | null;
      /** Changes whose start is their pull request's first commit rather than the commit itself. */
      fromPullRequests: number;
      /** Changes left out because they, or their shipped commit, are dated after their deployment (clock skew). */
      negativeExcluded: number;
      /** Changes left out because they started before 2000 (a reset clock). */
      implausibleStartExcluded: number;
      /** Changes left out because their first deployment is dated before 2000 or over a day ahead. */
      implausibleDeploymentExcluded: number;
    };
    breakdown: { coding: Figure; pickup: Figure; review: Figure; deployWait: Figure };
  } & TierResult;
  changeFailureRate: {
    rate: number | null;
    failed: number;
    deployments: number;
    /** Failed deployments whose only incident links were inferred (by time and service), not explicit. */
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
    /** Merged pull requests with a known size (additions and deletions). */
    sizeSampleSize: number;
    medianPickupHours: number | null;
    p90PickupHours: number | null;
    pickupSampleSize: number;
  };
  /** CI pipeline telemetry (ci.metric.ts). */
  ci: CiMetrics;
}

export interface MetricsOptions {
  productionEnvironments: readonly string[];
  benchmark: Benchmark;
  minSampleForTier: number;
}

type Key = string;
const keyOf = (teamId: number | null, bucket: Date | null): Key =>
  `${teamId ?? ''}|${bucket?.toISOString() ?? ''}`;

/**
 * Every delivery metric for a scope, in one place: each figure with its sample size, a reason when it is
 * null, its tier and what the data covers. Returns one entry per group asked for (a team, the organisation,
 * or a team's week, whose `bucket` is its Monday), including groups with no data at all.
 */
export async function computeDeliveryMetrics(
  db: Kysely<Database>,
  scope: MetricScope,
  options: MetricsOptions,
  groups: { teamId: number | null; period: Period; bucket?: Date }[],
): Promise<Map<Key, DeliveryMetrics>> {
  const [deployments, leadTimes, recoveries, hygiene, ci, timeToGreen] = await Promise.all([
    productionDeploymentCounts(db, scope),
    leadTimeSampleSource(db, scope).then((samples) => leadTime(db, scope, samples)),
    recoveryTime(db, scope),
    pullRequestHygiene(db, scope),
    ciMeasures(db, scope),
    ciTimeToGreen(db, scope),
  ]);
  const index = <T extends { teamId: number | null; bucket: Date | null }>(rows: T[]) =>
    new Map(rows.map((row) => [keyOf(row.teamId, row.bucket), row]));
  const byKey = {
    d: index(deployments),
    l: index(leadTimes),
    r: index(recoveries),
    h: index(hygiene),
    c: index(ci),
    g: index(timeToGreen),
  };
  const result = new Map<Key, DeliveryMetrics>();
  for (const group of groups) {
    const key = keyOf(scope.byTeam ? group.teamId : null, group.bucket ?? null);
    result.set(
      key,
      assemble(
        group.period,
        options,
        byKey.d.get(key),
        byKey.l.get(key),
        byKey.r.get(key),
        byKey.h.get(key),
        [byKey.c.get(key), byKey.g.get(key)],
      ),
    );
  }
  return result;
}

export { keyOf as metricsKey };

function assemble(
  period: Period,
  options: MetricsOptions,
  d: DeploymentCountsRow | undefined,
  l: LeadTimeRow | undefined,
  r: RecoveryRow | undefined,
  h: PullRequestHygieneRow | undefined,
  [c, g]: [CiRow | undefined, TimeToGreenRow | undefined],
): DeliveryMetrics {
  const days = periodDays(period);
  const count = d?.count ?? 0;
  const wholeWeeks = wholeWeeksIn(period.from, period.to);
  const tier = (metric: Parameters<typeof tierFor>[1], value: number | null, n: number) =>
    tierFor(options.benchmark, metric, value, n, options.minSampleForTier);
  const noDeployments = 'no successful production deployments in the period';
  const perWeek = round((count / days) * 7) ?? 0;
  const leadSample = l?.sampleSize ?? 0;
  const figure = (median: number | null | undefined, n: number | undefined, what: string): Figure => ({
    sampleSize: n ?? 0,
    medianHours: round(median ?? null),
    ...(n ? {} : { reason: `no ${what} in the period` }),
  });
  const failed = d?.failed ?? 0;
  const cfr = count === 0 ? null : round(failed / count, 4);
  const recoveryMedian = round(r?.medianHours ?? null);
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    deploymentFrequency: {
      count,
      perWeek,
      perDay: round(count / days, 3) ?? 0,
      activeWeeksShare: wholeWeeks === 0 ? null : share(d?.activeWholeWeeks ?? 0, wholeWeeks),
      wholeWeeks,
      sampleSize: count,
      ...(count === 0 ? { reason: noDeployments } : {}),
      ...tier('deploymentFrequency', perWeek, count),
    },
    leadTime: {
      medianHours: round(l?.medianHours ?? null),
      p90Hours: round(l?.p90Hours ?? null),
      sampleSize: leadSample,
      ...(leadSample === 0
        ? {
            reason:
              count === 0 ? noDeployments : 'no deployment in the period came with the commits it shipped',
          }
        : {}),
      coverage: {
        deploymentsWithCommits: d?.withCommits ?? 0,
        deployments: count,
        share: share(d?.withCommits ?? 0, count),
        fromPullRequests: l?.fromPullRequests ?? 0,
        negativeExcluded: l?.negativeExcluded ?? 0,
        implausibleStartExcluded: l?.implausibleStartExcluded ?? 0,
        implausibleDeploymentExcluded: l?.implausibleDeploymentExcluded ?? 0,
      },
      breakdown: {
        coding: figure(l?.codingMedianHours, l?.codingSampleSize, 'pull requests with a first commit time'),
        pickup: figure(l?.pickupMedianHours, l?.pickupSampleSize, 'reviewed pull requests'),
        review: figure(l?.reviewMedianHours, l?.reviewSampleSize, 'reviewed pull requests'),
        deployWait: figure(
          l?.deployWaitMedianHours,
          l?.deployWaitSampleSize,
          'merged pull requests deployed',
        ),
      },
      ...tier('leadTime', round(l?.medianHours ?? null), leadSample),
    },
    changeFailureRate: {
      rate: cfr,
      failed,
      deployments: count,
      failedByInferenceOnly: d?.failedInferredOnly ?? 0,
      ...(count === 0 ? { reason: noDeployments } : {}),
      ...tier('changeFailureRate', cfr, count),
    },
    recoveryTime: {
      medianHours: recoveryMedian,
      p90Hours: round(r?.p90Hours ?? null),
      sampleSize: r?.sampleSize ?? 0,
      unresolved: r?.unresolved ?? 0,
      ...(r?.sampleSize
        ? {}
        : { reason: 'no resolved incident caused by a deployment started in the period' }),
      allIncidents: {
        medianHours: round(r?.allMedianHours ?? null),
        p90Hours: round(r?.allP90Hours ?? null),
        sampleSize: r?.allSampleSize ?? 0,
        unresolved: r?.allUnresolved ?? 0,
      },
      ...tier('recoveryTime', recoveryMedian, r?.sampleSize ?? 0),
    },
    reworkRate: {
      rate: count === 0 ? null : round((d?.rework ?? 0) / count, 4),
      reworkDeployments: d?.rework ?? 0,
      deployments: count,
      ...(count === 0 ? { reason: noDeployments } : {}),
    },
    pullRequests: {
      merged: h?.merged ?? 0,
      medianSizeLines: round(h?.medianSizeLines ?? null, 1),
      sizeSampleSize: h?.sizeSampleSize ?? 0,
      medianPickupHours: round(h?.medianPickupHours ?? null),
      p90PickupHours: round(h?.p90PickupHours ?? null),
      pickupSampleSize: h?.pickupSampleSize ?? 0,
    },
    ci: ciFigures(c, g),
  };
}
