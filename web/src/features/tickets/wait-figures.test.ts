import { describe, expect, test } from 'vitest';
import type { WaitFigures, WaitGroup } from './tickets.types.ts';
import { chartRows, drillMeasureFrom, figureViews, groupByFrom } from './wait-figures.ts';

const empty: WaitFigures = {
  counts: { created: 0, started: 0, resolved: 0 },
  waitBeforeStart: {
    sampleSize: 0,
    medianHours: null,
    p90Hours: null,
    reason: 'no ticket started in the period',
  },
  totalWait: {
    sampleSize: 0,
    medianHours: null,
    p90Hours: null,
    totalHours: null,
    reason: 'no ticket resolved',
  },
  flowEfficiency: { sampleSize: 0, median: null, pooled: null, reason: 'no resolved ticket' },
  timeToFirstResponse: { sampleSize: 0, medianHours: null, p90Hours: null, reason: 'no first response' },
  timeToResolution: { sampleSize: 0, medianHours: null, p90Hours: null, reason: 'no ticket resolved' },
  stillWaiting: { count: 0, medianAgeHours: null, oldestAgeHours: null },
};

const group = (key: string, median: number | null, p90: number | null, n: number): WaitGroup => ({
  ...empty,
  key,
  label: key,
  waitBeforeStart: { sampleSize: n, medianHours: median, p90Hours: p90 },
});

describe('wait figures', () => {
  test('durations carry their unit and sample size; a missing figure says why', () => {
    const views = figureViews({
      ...empty,
      waitBeforeStart: { sampleSize: 12, medianHours: 96, p90Hours: 150 },
      flowEfficiency: { sampleSize: 3, median: 0.25, pooled: 0.2 },
      stillWaiting: { count: 2, medianAgeHours: 30, oldestAgeHours: 300 },
    });
    expect(views[0]).toMatchObject({
      value: '4.0 d',
      detail: 'p90 6.3 d',
      sample: 'n = 12 tickets',
      reason: null,
    });
    expect(views[1]).toMatchObject({ value: '—', reason: 'no ticket resolved', count: 0 });
    expect(views[2]).toMatchObject({ value: '20 %', detail: 'median 25 %' });
    expect(views[5]).toMatchObject({ value: '2', detail: 'oldest 12.5 d', sample: 'median age 30.0 h' });
  });

  test('the chart keeps the API’s slowest-first order and leaves out groups with nothing started', () => {
    expect(
      chartRows([group('environment', 96, 150, 12), group('dns', null, null, 0), group('access', 4, 9, 30)]),
    ).toEqual([
      { label: 'environment', medianHours: 96, p90Hours: 150, sampleSize: 12 },
      { label: 'access', medianHours: 4, p90Hours: 9, sampleSize: 30 },
    ]);
  });

  test('the URL’s groupBy and drill are checked', () => {
    expect(groupByFrom(new URLSearchParams('groupBy=requestingTeam'))).toBe('requestingTeam');
    expect(groupByFrom(new URLSearchParams('groupBy=person'))).toBe('category');
    expect(drillMeasureFrom(new URLSearchParams('drill=stillWaiting'))).toBe('stillWaiting');
    expect(drillMeasureFrom(new URLSearchParams('drill=leadTime'))).toBe(null);
  });
});
