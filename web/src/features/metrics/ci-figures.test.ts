import { describe, expect, test } from 'vitest';
import { ciFigures, ciTableFigure } from './ci-figures.ts';
import { checkoutMetrics, emptyMetrics } from './metrics.fixture.ts';

describe('the Build and test figures', () => {
  test('each with its unit, sample size and drill-down', () => {
    const figures = ciFigures(checkoutMetrics.ci);
    expect(figures.map((f) => [f.title, f.value, f.sample, f.drill])).toEqual([
      ['Pull-request builds', '10 min', 'n = 301 run attempts', 'ci'],
      ['Default-branch builds', '15 min', 'n = 111 run attempts', 'ci'],
      ['Queue time', '1 min', 'n = 380 run attempts', 'ci'],
      ['Failure rate', '12 %', 'n = 412 run attempts', 'ci'],
      ['Flaky rate', '4.2 %', 'n = 380 runs', 'ci'],
      ['Time to green', '1.6 h', 'n = 9 red stretches', 'ciTimeToGreen'],
    ]);
    expect(figures[4]?.details).toEqual(['16 of 380 runs were flaky']);
    expect(figures[0]?.details).toEqual(['p90 22 min']);
  });

  test('without runs: dashes and the reason, never zeros', () => {
    const figures = ciFigures(emptyMetrics.ci);
    expect(figures.every((f) => f.value === '—' && f.reason)).toBe(true);
    expect(ciTableFigure(emptyMetrics.ci)).toEqual({
      value: '—',
      detail: '',
      sample: 'n = 0 runs',
      reason: 'no CI run that passed or failed in the period',
    });
    expect(ciTableFigure(checkoutMetrics.ci)).toEqual({
      value: '12 min',
      detail: 'flaky 4.2 %',
      sample: 'n = 380 runs',
    });
  });
});
