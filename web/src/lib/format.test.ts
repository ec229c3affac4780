import { describe, expect, test } from 'vitest';
import {
  durationTicks,
  formatCount,
  formatDate,
  formatDateTime,
  formatHours,
  formatHoursTick,
  formatInUnit,
  formatPerWeek,
  formatRange,
  formatRate,
  formatSample,
  formatWeek,
} from './format.ts';

describe('formatHours', () => {
  test('minutes under an hour, hours under two days, days beyond', () => {
    expect(formatHours(0.76)).toBe('46 min'); // 0.76 × 60 = 45.6 → 46
    expect(formatHours(3.24)).toBe('3.2 h');
    expect(formatHours(46.72)).toBe('46.7 h');
    expect(formatHours(47.99)).toBe('48.0 h');
    expect(formatHours(48)).toBe('2.0 d');
    expect(formatHours(50.4)).toBe('2.1 d'); // 50.4 / 24 = 2.1
    expect(formatHours(101.22)).toBe('4.2 d'); // 101.22 / 24 = 4.2175
  });

  test('zero is a measurement; null, undefined and NaN are not', () => {
    expect(formatHours(0)).toBe('0 min');
    expect(formatHours(null)).toBe('—');
    expect(formatHours(undefined)).toBe('—');
    expect(formatHours(Number.NaN)).toBe('—');
  });
});

describe('formatHoursTick', () => {
  test('drops needless decimals', () => {
    expect(formatHoursTick(0)).toBe('0');
    expect(formatHoursTick(6)).toBe('6 h');
    expect(formatHoursTick(2.5)).toBe('2.5 h');
    expect(formatHoursTick(30)).toBe('30 h');
    expect(formatHoursTick(48)).toBe('2 d');
    expect(formatHoursTick(60)).toBe('2.5 d');
    expect(formatHoursTick(24 * 14)).toBe('14 d');
  });
});

describe('durationTicks', () => {
  test('round hour steps up to two days', () => {
    expect(durationTicks(20)).toEqual([0, 6, 12, 18, 24]); // 20 / 4 = 5 → step 6 h
    expect(durationTicks(3)).toEqual([0, 1, 2, 3]);
  });

  test('whole days beyond two days', () => {
    expect(durationTicks(101.22)).toEqual([0, 48, 96, 144]); // 101.22 / 4 = 25.3 h → step 2 d
    expect(durationTicks(24 * 20)).toEqual([0, 168, 336, 504]); // 5 d wanted → step 7 d
  });

  test('nothing to show still gives an axis', () => {
    expect(durationTicks(0)).toEqual([0, 1]);
  });
});

describe('formatRate', () => {
  test('whole percents, one decimal under 10 %', () => {
    expect(formatRate(0.12)).toBe('12 %');
    expect(formatRate(0.3913)).toBe('39 %');
    expect(formatRate(0.0463)).toBe('4.6 %');
    expect(formatRate(0.05)).toBe('5 %');
    expect(formatRate(0.0996)).toBe('10 %'); // 9.96 → 10.0 → "10"
    expect(formatRate(0)).toBe('0 %');
    expect(formatRate(1)).toBe('100 %');
    expect(formatRate(null)).toBe('—');
  });
});

describe('formatPerWeek', () => {
  test('one decimal, two below one a week', () => {
    expect(formatPerWeek(10.73)).toBe('10.7 / week');
    expect(formatPerWeek(3)).toBe('3.0 / week');
    expect(formatPerWeek(0.23)).toBe('0.23 / week');
    expect(formatPerWeek(0)).toBe('0.0 / week');
    expect(formatPerWeek(null)).toBe('—');
  });
});

describe('counts and samples', () => {
  test('singular and plural', () => {
    expect(formatCount(1, 'deployment')).toBe('1 deployment');
    expect(formatCount(46, 'deployment')).toBe('46 deployments');
    expect(formatCount(0, 'change')).toBe('0 changes');
    expect(formatCount(1390, 'change')).toBe('1,390 changes');
    expect(formatCount(2, 'pull request', 'pull requests')).toBe('2 pull requests');
    expect(formatSample(16, 'resolved incident')).toBe('n = 16 resolved incidents');
  });
});

describe('dates', () => {
  test('shown in UTC', () => {
    expect(formatDate('2026-10-26T23:30:00Z')).toBe('26 Oct 2026');
    expect(formatDateTime('2026-10-26T15:17:23.159Z')).toBe('26 Oct 2026, 15:17 UTC');
    expect(formatWeek('2026-08-24')).toBe('24 Aug');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('—');
  });

  test('a half-open range ends on the day before an exclusive midnight', () => {
    expect(formatRange('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z')).toBe('1 Oct 2026 – 31 Oct 2026');
    expect(formatRange('2026-10-26T11:16:56Z', '2026-11-25T11:16:56Z')).toBe('26 Oct 2026 – 25 Nov 2026');
  });
});

describe('formatInUnit', () => {
  test('follows the metric registry units', () => {
    expect(formatInUnit(168, 'hours')).toBe('7.0 d');
    expect(formatInUnit(0.95, 'share of successful production deployments')).toBe('95 %');
    expect(formatInUnit(0.23, 'deployments per week')).toBe('0.23 / week');
    expect(formatInUnit(171, 'changed lines')).toBe('171 changed lines');
    expect(formatInUnit(1.53, 'deployments per day')).toBe('1.5 deployments per day');
    expect(formatInUnit(null, 'hours')).toBe('—');
  });
});
