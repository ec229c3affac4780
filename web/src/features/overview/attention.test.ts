import { describe, expect, test } from 'vitest';
import { teamMetricsFixture } from '../metrics/metrics.fixture.ts';
import { deliveryAttention, previousRange, rankAttention, surveyAttention } from './attention.ts';

function team(name: string, changes: { leadTimeHours?: number; perWeek?: number; cfrTier?: 'low' | 'high' }) {
  const metrics = teamMetricsFixture(name);
  metrics.leadTime.medianHours = changes.leadTimeHours ?? 10;
  metrics.leadTime.sampleSize = 20;
  metrics.deploymentFrequency.perWeek = changes.perWeek ?? 5;
  metrics.deploymentFrequency.count = 20;
  metrics.changeFailureRate.tier = changes.cfrTier ?? 'high';
  metrics.changeFailureRate.rate = changes.cfrTier === 'low' ? 0.34 : 0.05;
  metrics.leadTime.tier = 'high';
  metrics.deploymentFrequency.tier = 'high';
  metrics.recoveryTime.tier = 'high';
  return metrics;
}

describe('where to look first', () => {
  test('a bottom-tier metric, a lead time up by half and halved deployments are named, worst first', () => {
    const now = [
      team('checkout', { cfrTier: 'low' }),
      team('search', { leadTimeHours: 72 }),
      team('growth', { perWeek: 2 }),
      team('payments', {}),
    ];
    const before = new Map(
      [team('search', { leadTimeHours: 19 }), team('growth', { perWeek: 6 }), team('payments', {})].map(
        (m) => [m.team, m],
      ),
    );
    const items = rankAttention(deliveryAttention(now, before, 'the previous period'));
    expect(items.map((item) => [item.team, item.text])).toEqual([
      ['checkout', 'Change failure rate 34 %, tier Low'],
      ['search', 'Lead time for changes 3.0 d, was 19.0 h in the previous period (3.8×)'],
      ['growth', 'Deployment frequency 2.0 / week, was 6.0 / week in the previous period'],
    ]);
  });

  test('moves on fewer than 5 samples are noise', () => {
    const now = team('search', { leadTimeHours: 72 });
    now.leadTime.sampleSize = 4;
    const before = team('search', { leadTimeHours: 10 });
    expect(deliveryAttention([now], new Map([['search', before]]), 'x')).toEqual([]);
  });

  test('the previous period has the same length and ends where the period starts', () => {
    expect(previousRange('2026-10-21T12:00:00.000Z', '2026-11-20T12:00:00.000Z')).toEqual({
      from: '2026-09-21T12:00:00.000Z',
      to: '2026-10-21T12:00:00.000Z',
    });
  });

  test('a 3.3× lead time regression outranks survey items from groups of 5–9', () => {
    const regression = deliveryAttention(
      [team('search', { leadTimeHours: 66 })],
      new Map([['search', team('search', { leadTimeHours: 20 })]]),
      'the previous 30 days',
    );
    const cell = (slug: string, respondents: number) => ({
      team: { slug },
      result: {
        suppressed: false as const,
        respondents,
        favourablePercent: 10,
        vsOrganization: { difference: -60 },
      },
    });
    const survey = surveyAttention([
      { title: 'Tooling', teams: [cell('growth', 6), cell('identity', 9), cell('payments', 7)] },
      { title: 'Focus', teams: [cell('growth', 5), cell('identity', 8), cell('payments', 6)] },
    ]);
    const ranked = rankAttention([...survey, ...regression]);
    expect(ranked[0]?.team).toBe('search');
    expect(ranked[0]?.text).toMatch(/was 20\.0 h in the previous 30 days \(3\.3×\)/);
    expect(survey[0]?.text).toMatch(/few responses: 6/);
  });
});
