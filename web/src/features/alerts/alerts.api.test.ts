import { describe, expect, test } from 'vitest';
import { chartMarkers, weekOf } from './alerts.api.ts';
import type { Alert } from './alerts.types.ts';

describe('alert markers on the weekly charts', () => {
  test('the week is the Monday (UTC) the time falls in', () => {
    expect(weekOf('2026-11-09T00:00:00.000Z')).toBe('2026-11-09'); // a Monday
    expect(weekOf('2026-11-15T23:59:00.000Z')).toBe('2026-11-09'); // its Sunday
    expect(weekOf('2026-11-16T00:00:00.000Z')).toBe('2026-11-16');
  });

  test('fired and resolved markers of the metric, on the weeks shown only', () => {
    const alert = (id: number, metric: string, openedAt: string, resolvedAt: string | null) =>
      ({ id, metric, openedAt, resolvedAt }) as Alert;
    const markers = chartMarkers(
      [
        alert(1, 'leadTime', '2026-10-08T00:00:00.000Z', '2026-10-29T00:00:00.000Z'),
        alert(2, 'leadTime', '2026-11-11T00:00:00.000Z', null),
        alert(3, 'changeFailureRate', '2026-11-11T00:00:00.000Z', null),
        alert(4, 'leadTime', '2026-01-05T00:00:00.000Z', '2026-01-20T00:00:00.000Z'),
      ],
      'leadTime',
      ['2026-10-05', '2026-10-26', '2026-11-09'],
    );
    expect(markers).toEqual([
      { week: '2026-10-05', kind: 'fired', alertId: 1 },
      { week: '2026-10-26', kind: 'resolved', alertId: 1 },
      { week: '2026-11-09', kind: 'fired', alertId: 2 },
    ]);
  });
});
