import type { WaitSeries } from './tickets.types.ts';

/** Lines a weekly wait chart draws at most: more would be unreadable; the table below it has them all. */
export const WAIT_TREND_LINES = 5;

/** One week of the weekly wait chart: each drawn group's median wait before start, null for a gap. */
export interface WaitWeekRow {
  week: string;
  from: string;
  to: string;
  partial: boolean;
  medians: (number | null)[];
  started: number[];
}

export interface WaitTrend {
  groups: { key: string | null; label: string }[];
  rows: WaitWeekRow[];
}

/**
 * The weekly series as chart rows, for the first `WAIT_TREND_LINES` groups in `order` (the page's table
 * order, slowest first) that started any ticket in the period. A week where a group started nothing keeps
 * null: a gap, never a zero wait.
 */
export function waitTrend(series: WaitSeries, order: readonly (string | null)[]): WaitTrend {
  const active = series.series.filter((group) => group.points.some((point) => point.started > 0));
  const rank = (key: string | null) => {
    const index = order.indexOf(key);
    return index === -1 ? order.length : index;
  };
  const drawn = [...active].sort((a, b) => rank(a.key) - rank(b.key)).slice(0, WAIT_TREND_LINES);
  const weeks = drawn[0]?.points ?? [];
  return {
    groups: drawn.map((group) => ({ key: group.key, label: group.label })),
    rows: weeks.map((week, index) => ({
      week: week.week,
      from: week.from,
      to: week.to,
      partial: week.partial,
      medians: drawn.map((group) => group.points[index]?.waitBeforeStartMedianHours ?? null),
      started: drawn.map((group) => group.points[index]?.started ?? 0),
    })),
  };
}
