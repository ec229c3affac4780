/**
 * The uncertainty published with survey figures, so a small group looks small: the 95% interval of a mean
 * (hours lost) and of a share (% favourable, an option's share), and the "few responses" flag.
 */

/** Below this many respondents a figure is marked "few responses" (the friction ranking's minResponses default). */
export const FEW_RESPONSES = 10;

export const round1 = (value: number) => Math.round(value * 10) / 10;

// Two-sided 95% quantiles of Student's t for 1–30 degrees of freedom, then 40, 60, 120 and the normal limit.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
function t95(df: number): number {
  if (df <= 30) return T95[Math.max(df, 1) - 1]!;
  return df <= 40 ? 2.021 : df <= 60 ? 2.0 : df <= 120 ? 1.98 : 1.96;
}

/** The 95% confidence interval of a mean (Student's t), never below 0 hours. */
export function meanInterval(n: number, sum: number, sumSquares: number): { low: number; high: number } {
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0;
  const half = t95(n - 1) * Math.sqrt(variance / n);
  return { low: round1(Math.max(0, mean - half)), high: round1(mean + half) };
}

const Z95 = 1.96;

/**
 * The 95% Wilson score interval of a share, in percent (0.1): unlike the normal approximation it stays
 * within 0–100 and is honest at n = 5–9 and at shares of 0 or 100 %. `share` is 0–1 over `n` respondents;
 * a driver's share is over its answers (several statements per person), but answers of one person are not
 * independent, so its n is the respondents: the wider, honest interval.
 */
export function wilsonInterval(share: number, n: number): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 100 };
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / n;
  const centre = (share + z2 / (2 * n)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((share * (1 - share)) / n + z2 / (4 * n * n));
  return {
    low: round1(Math.max(0, centre - half) * 100),
    high: round1(Math.min(1, centre + half) * 100),
  };
}
