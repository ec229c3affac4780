import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  benjaminiHochberg,
  mannWhitneyGreater,
  median,
  normalCdf,
  proportionGreater,
  rateDrop,
} from './statistics.ts';

const close = (actual: number, expected: number, tolerance = 1e-4) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('the normal CDF at known points', () => {
  close(normalCdf(0), 0.5, 1e-7);
  close(normalCdf(1.959964), 0.975, 1e-6);
  close(normalCdf(-1.644854), 0.05, 1e-6);
});

test("Mann–Whitney U: scipy's documented example (males vs females)", () => {
  // scipy.stats.mannwhitneyu docs: x = [19, 22, 16, 29, 24], y = [20, 11, 17, 12]; U1 = 17, asymptotic
  // two-sided p = 0.11134688653314041. By hand: mean 5·4/2 = 10, variance 5·4·10/12 = 16.667,
  // z = (17 − 10 − 0.5)/4.0825 = 1.5922, one-sided p = 0.05567 (half the two-sided figure).
  const result = mannWhitneyGreater([19, 22, 16, 29, 24], [20, 11, 17, 12]);
  assert.equal(result.u, 17);
  close(result.z, 1.5922);
  close(result.pValue * 2, 0.11134688653314041, 1e-6);
});

test('Mann–Whitney U with ties: the variance shrinks by the tie term', () => {
  // recent [3, 3, 5], baseline [1, 3]: pooled ranks 1 (1), 3,3,3 → 3 each, 5 → 5. Rank sum of recent
  // 3 + 3 + 5 = 11, U = 11 − 6 = 5. n = 5, one tie group of 3: (27 − 3)/(5·4) = 1.2; variance
  // 3·2/12 · (6 − 1.2) = 2.4; z = (5 − 3 − 0.5)/√2.4 = 0.96825; p = 1 − Φ(0.96825) = 0.16646.
  const result = mannWhitneyGreater([3, 3, 5], [1, 3]);
  assert.equal(result.u, 5);
  close(result.z, 0.96825);
  close(result.pValue, 0.16646);
});

test('Mann–Whitney U: identical samples give no evidence; a clean shift gives strong evidence', () => {
  assert.equal(mannWhitneyGreater([4, 4, 4], [4, 4]).pValue, 1);
  const shifted = mannWhitneyGreater([11, 12, 13, 14, 15, 16, 17, 18], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(shifted.u, 64);
  assert.ok(shifted.pValue < 0.001);
  // The other direction (recent faster) is not a regression.
  assert.ok(mannWhitneyGreater([1, 2, 3, 4, 5, 6, 7, 8], [11, 12, 13, 14, 15, 16, 17, 18]).pValue > 0.999);
});

test('two-proportion z-test, one-sided', () => {
  // 30/100 vs 15/100: pooled 0.225, se = √(0.225·0.775·0.02) = 0.059055, z = 0.15/0.059055 = 2.5400,
  // p = 1 − Φ(2.54) = 0.005543.
  const result = proportionGreater({ successes: 30, trials: 100 }, { successes: 15, trials: 100 });
  close(result.z, 2.54, 1e-3);
  close(result.pValue, 0.005543, 1e-5);
  assert.equal(proportionGreater({ successes: 0, trials: 5 }, { successes: 0, trials: 50 }).pValue, 1);
});

test('a drop in an event rate', () => {
  // 14 recent days, 90 baseline days: each event falls in the recent window with p = 14/104 = 0.134615.
  // 4 recent of 94 events: expected 12.654, se = √(94·0.134615·0.865385) = 3.3085,
  // z = (4 + 0.5 − 12.654)/3.3085 = −2.4646, p = Φ(−2.4646) = 0.00686.
  const dropped = rateDrop({ events: 4, days: 14 }, { events: 90, days: 90 });
  close(dropped.z, -2.4646, 1e-3);
  close(dropped.pValue, 0.00686, 1e-4);
  // The same rate in both windows: no evidence.
  assert.ok(rateDrop({ events: 14, days: 14 }, { events: 90, days: 90 }).pValue > 0.4);
  assert.equal(rateDrop({ events: 0, days: 14 }, { events: 0, days: 90 }).pValue, 1);
});

test("Benjamini–Hochberg matches R's p.adjust(method = 'BH')", () => {
  // p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02: sorted 0.005, 0.01, 0.03, 0.04 times
  // 4/rank = 0.02, 0.02, 0.04, 0.04, then the running minimum from the largest.
  const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
  [0.02, 0.04, 0.04, 0.02].forEach((expected, i) => close(q[i] ?? NaN, expected, 1e-12));
  // A larger p can pull a smaller rank's q down: 0.04·3/3 = 0.04 < 0.03·3/2 = 0.045.
  const pulled = benjaminiHochberg([0.001, 0.03, 0.04]);
  [0.003, 0.04, 0.04].forEach((expected, i) => close(pulled[i] ?? NaN, expected, 1e-12));
  assert.deepEqual(benjaminiHochberg([]), []);
});

test('median of odd and even counts', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});
