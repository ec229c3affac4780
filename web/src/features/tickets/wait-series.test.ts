import { expect, test } from 'vitest';
import type { WaitSeries } from './tickets.types.ts';
import { WAIT_TREND_LINES, waitTrend } from './wait-series.ts';

const week = (monday: string, partial: boolean) => ({
  week: monday,
  from: `${monday}T00:00:00.000Z`,
  to: `${monday}T00:00:00.000Z`,
  partial,
});
const group = (key: string | null, started: number[], medians: (number | null)[]) => ({
  key,
  label: key ?? '(none)',
  points: ['2026-11-02', '2026-11-09'].map((monday, index) => ({
    ...week(monday, index === 0),
    started: started[index] ?? 0,
    waitBeforeStartMedianHours: medians[index] ?? null,
    resolved: 0,
    totalWaitMedianHours: null,
  })),
});
const series = (groups: ReturnType<typeof group>[]): WaitSeries => ({
  period: 'last-30d',
  from: '2026-11-04T00:00:00.000Z',
  to: '2026-11-16T00:00:00.000Z',
  groupBy: 'category',
  interval: 'week',
  series: groups,
});

test('the groups in the table’s order, quiet ones left out; an empty week is a gap, not a zero wait', () => {
  const trend = waitTrend(
    series([group('dns', [1, 0], [5, null]), group('access', [2, 3], [10, 20]), group('quiet', [0, 0], [])]),
    ['access', 'quiet', 'dns'],
  );
  expect(trend.groups.map((g) => g.key)).toEqual(['access', 'dns']);
  expect(trend.rows).toEqual([
    { ...week('2026-11-02', true), medians: [10, 5], started: [2, 1] },
    { ...week('2026-11-09', false), medians: [20, null], started: [3, 0] },
  ]);
});

test('at most WAIT_TREND_LINES lines; no group, no rows', () => {
  const many = Array.from({ length: 8 }, (_, i) => group(`g${i}`, [1, 1], [i, i]));
  expect(waitTrend(series(many), []).groups).toHaveLength(WAIT_TREND_LINES);
  expect(waitTrend(series([]), [])).toEqual({ groups: [], rows: [] });
});
