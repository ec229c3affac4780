import { describe, expect, test } from 'vitest';
import { describeChange } from './change-text.ts';

const change = (previous: number, difference: number, direction: 'better' | 'worse' | 'unchanged') => ({
  previous,
  previousSampleSize: 30,
  difference,
  ratio: (previous + difference) / previous,
  direction,
  smallSample: false,
});

describe('a figure against the previous period', () => {
  test('a large move reads as a factor, with the previous value and the server’s direction', () => {
    expect(describeChange('leadTime', change(20, 46, 'worse'))).toEqual({
      direction: 'worse',
      text: '▲ 3.3×',
      was: 'was 20.0 h',
      smallSample: false,
    });
  });
  test('rates move in points, small moves in per cent', () => {
    expect(describeChange('changeFailureRate', change(0.2, -0.05, 'better'))?.text).toBe('▼ 5 pts');
    expect(describeChange('deploymentFrequency', change(10, 2, 'better'))?.text).toBe('▲ 20 %');
  });
  test('nothing to compare with: no change, never a made-up zero', () => {
    expect(describeChange('recoveryTime', undefined)).toBeNull();
    expect(
      describeChange('recoveryTime', {
        ...change(1, 1, 'worse'),
        previous: null,
        difference: null,
        direction: null,
      }),
    ).toBeNull();
  });
});
