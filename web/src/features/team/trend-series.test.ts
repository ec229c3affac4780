import { describe, expect, test } from 'vitest';
import { twoWeekSeries } from '../metrics/metrics.fixture.ts';
import { hasDeployments, weeklyTrend } from './trend-series.ts';

describe('weeklyTrend', () => {
  test('picks each week’s figures as the API computed them', () => {
    const [first] = weeklyTrend(twoWeekSeries);
    expect(first).toEqual({
      week: '2026-08-24',
      from: '2026-08-27T11:16:59.375Z',
      to: '2026-08-31T00:00:00.000Z',
      partial: true, // 27 Aug 11:17 → 31 Aug 00:00 is under 7 days
      deploymentsPerWeek: 10.73,
      deployments: 46,
      leadTimeMedianHours: 46.72,
      leadTimeP90Hours: 101.22,
      leadTimeSample: 175,
      changeFailureRate: 0.3913,
      failedDeployments: 18,
    });
  });

  test('a whole week without deployments keeps null figures (a gap), not zero', () => {
    const second = weeklyTrend(twoWeekSeries)[1];
    expect(second?.partial).toBe(false);
    expect(second?.leadTimeMedianHours).toBeNull();
    expect(second?.changeFailureRate).toBeNull();
    expect(second?.deployments).toBe(0);
  });

  test('hasDeployments', () => {
    expect(hasDeployments(weeklyTrend(twoWeekSeries))).toBe(true);
    expect(hasDeployments(weeklyTrend({ ...twoWeekSeries, points: twoWeekSeries.points.slice(1) }))).toBe(
      false,
    );
    expect(hasDeployments([])).toBe(false);
  });
});
