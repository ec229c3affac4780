import { errorFunction, wilcoxonRankSum } from 'simple-statistics';

// The tests behind "this is a regression, not noise". Each returns a one-sided p-value for "the recent window
// is worse than the baseline"; the evaluator corrects them across the teams a rule tests at once.

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

export interface RankTest {
  /** Mann–Whitney U of `recent` (the number of (recent, baseline) pairs where the recent value is larger). */
  u: number;
  z: number;
  /** One-sided: P(a U at least this large | both windows come from one distribution). */
  pValue: number;
}

/**
 * Mann–Whitney U, one-sided (`recent` tends to be larger than `baseline`), normal approximation with the tie
 * correction of the variance and a continuity correction — what scipy's `mannwhitneyu(method='asymptotic',
 * alternative='greater')` computes. Rank-based, so a few very slow changes cannot carry it alone, and lead
 * times' heavy right tail needs no transform. The approximation is fair from about 8 values per window; the
 * rules' `minSamples` keeps smaller windows out.
 */
export function mannWhitneyGreater(recent: readonly number[], baseline: readonly number[]): RankTest {
  const n1 = recent.length;
  const n2 = baseline.length;
  if (n1 === 0 || n2 === 0) throw new Error('Mann–Whitney U needs values in both samples');
  const rankSum = wilcoxonRankSum([...recent], [...baseline]);
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const ties = tieCounts([...recent, ...baseline]);
  const tieTerm = ties.reduce((sum, t) => sum + (t ** 3 - t), 0) / (n * (n - 1));
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm);
  const mean = (n1 * n2) / 2;
  if (variance <= 0) return { u, z: 0, pValue: 1 }; // every value equal: no evidence either way
  const z = (u - mean - 0.5) / Math.sqrt(variance);
  return { u, z, pValue: 1 - normalCdf(z) };
}

function tieCounts(values: number[]): number[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.values()].filter((count) => count > 1);
}

export interface ProportionTest {
  z: number;
  pValue: number;
}

/**
 * Two-proportion z-test (pooled), one-sided: the recent share of `successes` (failed deployments) is larger
 * than the baseline's. Used for change failure rate.
 */
export function proportionGreater(
  recent: { successes: number; trials: number },
  baseline: { successes: number; trials: number },
): ProportionTest {
  const p1 = recent.successes / recent.trials;
  const p2 = baseline.successes / baseline.trials;
  const pooled = (recent.successes + baseline.successes) / (recent.trials + baseline.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / recent.trials + 1 / baseline.trials));
  if (se === 0) return { z: 0, pValue: 1 }; // all failed or none did, in both windows
  const z = (p1 - p2) / se;
  return { z, pValue: 1 - normalCdf(z) };
}

/**
 * A drop in an event rate (deployment frequency) as a proportion test: if the rate did not change, each of
 * the `recent + baseline` events falls in the recent window with probability recentDays / (recentDays +
 * baselineDays); one-sided z-test (with continuity correction) that fewer fell there.
 */
export function rateDrop(
  recent: { events: number; days: number },
  baseline: { events: number; days: number },
): ProportionTest {
  const n = recent.events + baseline.events;
  if (n === 0) return { z: 0, pValue: 1 };
  const expectedShare = recent.days / (recent.days + baseline.days);
  const se = Math.sqrt(n * expectedShare * (1 - expectedShare));
  const z = (recent.events + 0.5 - n * expectedShare) / se;
  return { z, pValue: normalCdf(z) };
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the input's order: reject where q <= alpha and the
 * expected share of false alarms among the alerts raised stays at most alpha, however many teams are tested.
 * Without it, 50 steady teams at p < 0.05 raise about 2.5 false alerts per evaluation.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const entry = order[rank - 1] as { p: number; i: number };
    running = Math.min(running, (entry.p * m) / rank);
    adjusted[entry.i] = running;
  }
  return adjusted;
}

/** The median of a non-empty sample (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
