import { describe, expect, test } from 'vitest';
import { twoWeekSeries } from '../metrics/metrics.fixture.ts';
import {
  axisTop,
  describeBand,
  hasCiRuns,
  hasDeployments,
  trendRangeFrom,
  weeklyTrend,
  weeksNote,
} from './trend-series.ts';

describe('weeklyTrend', () => {
  test('picks each week’s five DORA figures and CI as the API computed them, partial as the server said', () => {
    const [first] = weeklyTrend(twoWeekSeries);
    expect(first).toEqual({
      week: '2026-08-24',
      from: '2026-08-27T11:16:59.375Z',
      to: '2026-08-31T00:00:00.000Z',
      partial: true,
      deploymentsPerWeek: 10.73,
      deployments: 46,
      leadTimeMedianHours: 46.72,
      leadTimeP90Hours: 101.22,
      leadTimeSample: 175,
      changeFailureRate: 0.3913,
      failedDeployments: 18,
      recoveryMedianHours: 12.81,
      recoveryP90Hours: 26.36,
      recoverySample: 16,
      unresolvedIncidents: 2,
      reworkRate: 0.3478,
      reworkDeployments: 16,
      ciDurationMedianMinutes: 11.5,
      ciDurationP90Minutes: 24.1,
      ciFailureRate: 0.1214,
      ciFlakyRate: 0.0421,
      ciAttempts: 415,
    });
  });

  test('a whole week without deployments keeps null figures (a gap), not zero', () => {
    const second = weeklyTrend(twoWeekSeries)[1];
    expect(second?.partial).toBe(false);
    expect(second?.leadTimeMedianHours).toBeNull();
    expect(second?.changeFailureRate).toBeNull();
    expect(second?.recoveryMedianHours).toBeNull();
    expect(second?.reworkRate).toBeNull();
    expect(second?.ciDurationMedianMinutes).toBeNull();
    expect(second?.deployments).toBe(0);
  });

  test('hasDeployments and hasCiRuns', () => {
    const rest = weeklyTrend({ ...twoWeekSeries, points: twoWeekSeries.points.slice(1) });
    expect(hasDeployments(weeklyTrend(twoWeekSeries))).toBe(true);
    expect(hasDeployments(rest)).toBe(false);
    expect(hasDeployments([])).toBe(false);
    expect(hasCiRuns(weeklyTrend(twoWeekSeries))).toBe(true);
    expect(hasCiRuns(rest)).toBe(false);
  });
});

test('trendRangeFrom: 13, 26 or 52 weeks from the URL, 26 otherwise', () => {
  expect(trendRangeFrom(new URLSearchParams(''))).toBe(26);
  expect(trendRangeFrom(new URLSearchParams('weeks=52'))).toBe(52);
  expect(trendRangeFrom(new URLSearchParams('weeks=13'))).toBe(13);
  expect(trendRangeFrom(new URLSearchParams('weeks=1000'))).toBe(26);
  expect(trendRangeFrom(new URLSearchParams('weeks=abc'))).toBe(26);
});

test('describeBand writes a band with its edges and meaning', () => {
  const [low, , , elite] = twoWeekSeries.tiers.deploymentFrequency.bands;
  const format = (value: number) => String(value);
  expect(describeBand(low!, format)).toBe('low: 0–0.2308 (less than once per month)');
  expect(describeBand(elite!, format, ' a week')).toBe('elite: 7 a week and more (on demand)');
});

test('weeksNote counts the partial weeks and says where the data begins when it is short', () => {
  const points = weeklyTrend(twoWeekSeries);
  expect(weeksNote(points, 2)).toBe(
    '2 weeks; 1 partial (hollow), cut by the period, the data’s start or today.',
  );
  expect(weeksNote(points, 26)).toBe(
    '2 weeks (the team’s data begins 27 Aug 2026); 1 partial (hollow), cut by the period, the data’s start or today.',
  );
});

test('axisTop: the next round number above the largest value', () => {
  expect(axisTop(14)).toBe(15);
  expect(axisTop(0.43)).toBe(0.5);
  expect(axisTop(7)).toBe(8);
  expect(axisTop(100)).toBe(100);
  expect(axisTop(0)).toBe(1);
  expect(axisTop(Number.NEGATIVE_INFINITY)).toBe(1);
});
