// jstat ships no types. The declaration beside this file says what Groundwork uses of it; a reference (not a
// tsconfig entry) so the dashboard's type check, which reaches this file through the API schemas, finds it too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./jstat.d.ts" />
import jstat from 'jstat';

/** The two-sided 95 % critical value of Student's t with `degreesOfFreedom` (any positive real). */
export function tCritical95(degreesOfFreedom: number): number {
  return jstat.jStat.studentt.inv(0.975, degreesOfFreedom);
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Sample variance (n − 1); 0 for fewer than two values. */
export function variance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1);
}

/** Mean with its 95 % t-interval half-width (null for fewer than two values: no spread to measure). */
export function meanInterval(values: readonly number[]): { mean: number; halfWidth: number | null } {
  const m = mean(values);
  if (values.length < 2) return { mean: m, halfWidth: null };
  return { mean: m, halfWidth: tCritical95(values.length - 1) * Math.sqrt(variance(values) / values.length) };
}

/**
 * Welch's 95 % interval for the difference of two means (a − b), with Welch–Satterthwaite degrees of
 * freedom. Needs at least two values on each side.
 */
export function welchInterval(
  a: readonly number[],
  b: readonly number[],
): { difference: number; low: number; high: number; degreesOfFreedom: number } {
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const difference = mean(a) - mean(b);
  const se = Math.sqrt(va + vb);
  if (se === 0)
    return { difference, low: difference, high: difference, degreesOfFreedom: a.length + b.length - 2 };
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const half = tCritical95(df) * se;
  return { difference, low: difference - half, high: difference + half, degreesOfFreedom: df };
}

export const round2 = (value: number): number => Math.round(value * 100) / 100;
