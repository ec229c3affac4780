import { describe, expect, test } from 'vitest';
import {
  DEFAULT_PERIOD,
  describePeriod,
  monthOf,
  periodFromSearch,
  periodOptions,
  periodPhrase,
  quarterOf,
} from './period.ts';

const now = new Date('2026-11-25T11:00:00Z');

describe('quarters and months, UTC', () => {
  test('the quarter and month an instant falls in, and their neighbours', () => {
    expect(quarterOf(now)).toBe('2026-Q4');
    expect(quarterOf(now, -1)).toBe('2026-Q3');
    expect(quarterOf(new Date('2026-02-01T00:00:00Z'), -1)).toBe('2025-Q4'); // across a year
    expect(monthOf(now)).toBe('2026-11');
    expect(monthOf(new Date('2026-01-15T00:00:00Z'), -1)).toBe('2025-12');
  });

  test('an instant just before midnight UTC on 31 December stays in that year', () => {
    expect(quarterOf(new Date('2026-12-31T23:59:59Z'))).toBe('2026-Q4');
    expect(monthOf(new Date('2027-01-01T00:00:00Z'))).toBe('2027-01');
  });
});

describe('describePeriod', () => {
  test('names every label the API takes', () => {
    expect(describePeriod('last-30d')).toBe('Last 30 days');
    expect(describePeriod('2026-Q4')).toBe('2026 Q4 (Oct–Dec)');
    expect(describePeriod('2026-11')).toBe('November 2026');
    expect(describePeriod('2026')).toBe('Year 2026');
  });

  test('shows a label it does not know as it is', () => {
    expect(describePeriod('2026-13')).toBe('2026-13');
    expect(describePeriod('soon')).toBe('soon');
  });
});

test('periodPhrase reads inside a sentence', () => {
  expect(`in ${periodPhrase('last-90d')}`).toBe('in the last 90 days');
  expect(`in ${periodPhrase('2026-Q1')}`).toBe('in 2026 Q1 (Jan–Mar)');
});

describe('periodOptions', () => {
  test('last 30 and 90 days, this and last quarter, then twelve months, newest first', () => {
    const options = periodOptions(now);
    expect(options.map((option) => option.value).slice(0, 6)).toEqual([
      'last-30d',
      'last-90d',
      '2026-Q4',
      '2026-Q3',
      '2026-11',
      '2026-10',
    ]);
    expect(options).toHaveLength(4 + 12);
    expect(options.at(-1)?.value).toBe('2025-12');
    expect(options[2]?.label).toBe('This quarter: 2026 Q4 (Oct–Dec)');
  });

  test('keeps a shared link’s period as a choice', () => {
    expect(periodOptions(now, '2025-Q2')[0]).toEqual({ value: '2025-Q2', label: '2025 Q2 (Apr–Jun)' });
    expect(periodOptions(now, '2026-10')).toHaveLength(16);
  });
});

describe('periodFromSearch', () => {
  test('the period in the query string, or the default', () => {
    expect(periodFromSearch(new URLSearchParams('period=2026-Q3'))).toBe('2026-Q3');
    expect(periodFromSearch(new URLSearchParams(''))).toBe(DEFAULT_PERIOD);
    expect(periodFromSearch(new URLSearchParams('period='))).toBe(DEFAULT_PERIOD);
  });
});
