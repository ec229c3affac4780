import { describe, expect, test } from 'vitest';
import { deliveryFigures } from './metric-figures.ts';
import { checkoutMetrics, emptyMetrics } from './metrics.fixture.ts';

describe('deliveryFigures', () => {
  test('the five DORA figures in order, each with its unit, sample and tier', () => {
    const figures = deliveryFigures(checkoutMetrics);
    expect(figures.map((figure) => [figure.metric, figure.value, figure.sample, figure.tier])).toEqual([
      ['deploymentFrequency', '10.7 / week', 'n = 46 deployments', 'elite'],
      ['leadTime', '46.7 h', 'n = 175 changes', 'high'],
      ['changeFailureRate', '39 %', 'n = 46 deployments', 'low'],
      ['recoveryTime', '12.8 h', 'n = 16 resolved incidents', 'high'],
      ['reworkRate', '35 %', 'n = 46 deployments', null],
    ]);
    for (const figure of figures) expect(figure.unit).not.toBe('');
  });

  test('secondary figures come from the API as they are', () => {
    const [frequency, lead, failure, recovery, rework] = deliveryFigures(checkoutMetrics);
    expect(frequency?.details).toEqual(['46 deployments in the period', '100 % of 3 whole weeks had one']);
    expect(lead?.details).toEqual(['p90 4.2 d']);
    expect(failure?.details).toEqual(['18 of 46 deployments caused an incident']);
    expect(recovery?.details).toEqual([
      'p90 26.4 h',
      '2 incidents still open (not timed)',
      'all incidents: median 13.2 h (n = 18 incidents)',
    ]);
    expect(rework?.details).toEqual(['16 of 46 deployments were rework']);
  });

  test('rework rate is not tiered by the benchmarks, and says so rather than showing a tier', () => {
    const rework = deliveryFigures(checkoutMetrics).at(-1);
    expect(rework?.tiered).toBe(false);
    expect(
      deliveryFigures(checkoutMetrics)
        .slice(0, 4)
        .every((figure) => figure.tiered),
    ).toBe(true);
  });

  test('no data: a dash and the API’s reason, never 0 or NaN', () => {
    const figures = deliveryFigures(emptyMetrics);
    const [frequency, lead, failure, recovery, rework] = figures;
    // Zero deployments a week is a measurement, shown with its reason.
    expect(frequency?.value).toBe('0.0 / week');
    expect(frequency?.tierReason).toBe('fewer than 5 samples (0); a tier would be noise');
    for (const figure of [lead, failure, recovery, rework]) {
      expect(figure?.value).toBe('—');
      expect(figure?.reason).toMatch(/^no /);
    }
    expect(figures.map((figure) => figure.value).join(' ')).not.toMatch(/NaN/);
    // "0 of 0 deployments" says nothing the reason does not.
    expect([failure?.details, recovery?.details, rework?.details]).toEqual([[], [], []]);
  });

  test('a tier reason that only repeats "no data" gives way to the figure’s own reason', () => {
    const lead = deliveryFigures(emptyMetrics)[1];
    expect(lead?.reason).toBe('no successful production deployments in the period');
    expect(lead?.tierReason).toBeUndefined();
  });
});
