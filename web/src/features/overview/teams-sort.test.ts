import { describe, expect, test } from 'vitest';
import { teamMetricsFixture } from '../metrics/metrics.fixture.ts';
import { levelRank, sortFromSearch, sortRows } from './teams-sort.ts';
import type { TeamRow } from './teams-sort.ts';
import type { TeamScorecard } from '../scorecards/scorecards.types.ts';

function card(level: string | null): TeamScorecard {
  const ladder = ['bronze', 'silver', 'gold'].map((id) => ({ id, title: id, passed: false, rules: [] }));
  return {
    id: 'dora',
    title: 'DORA',
    description: null,
    level,
    levelTitle: level,
    levels: ladder,
    nextLevel: null,
    missingForNextLevel: [],
    history: [],
  };
}

function row(name: string, leadTimeHours: number | null, perWeek: number, level: string | null): TeamRow {
  const metrics = teamMetricsFixture(name);
  metrics.leadTime.medianHours = leadTimeHours;
  metrics.deploymentFrequency.perWeek = perWeek;
  return { metrics, name, scorecards: [card(level)] };
}

const rows = [row('b', 10, 3, 'gold'), row('a', null, 1, null), row('c', 40, 9, 'bronze')];
const names = (sorted: TeamRow[]) => sorted.map((r) => r.name);

describe('sorting the teams table', () => {
  test('by name by default; an unknown sort falls back to it', () => {
    expect(sortFromSearch(new URLSearchParams(''))).toEqual({ key: 'team', order: 'asc' });
    expect(sortFromSearch(new URLSearchParams('sort=bogus&order=up'))).toEqual({ key: 'team', order: 'asc' });
  });

  test('a first click puts the worst on top: most lead time, fewest deployments, lowest level', () => {
    const lead = sortFromSearch(new URLSearchParams('sort=leadTime'));
    expect(lead).toEqual({ key: 'leadTime', order: 'desc' });
    expect(names(sortRows(rows, lead.key, lead.order))).toEqual(['c', 'b', 'a']);
    expect(names(sortRows(rows, 'deploymentFrequency', 'asc'))).toEqual(['a', 'b', 'c']);
    expect(names(sortRows(rows, 'scorecards', 'asc'))).toEqual(['a', 'c', 'b']);
  });

  test('by CI build time: the slowest builds first', () => {
    const slow = row('slow', 10, 3, null);
    slow.metrics.ci.durationMedianMinutes = 40;
    const none = row('none', 10, 3, null);
    none.metrics.ci.durationMedianMinutes = null;
    const sorted = sortRows(
      [...rows, slow, none],
      'ci',
      sortFromSearch(new URLSearchParams('sort=ci')).order,
    );
    expect(names(sorted).slice(0, 1)).toEqual(['slow']);
    expect(names(sorted).at(-1)).toBe('none');
  });

  test('teams without a figure go last in either order', () => {
    expect(names(sortRows(rows, 'leadTime', 'asc'))).toEqual(['b', 'c', 'a']);
  });

  test('a level ranks by its place on the ladder, none is 0', () => {
    expect([levelRank(card(null)), levelRank(card('bronze')), levelRank(card('gold'))]).toEqual([0, 1, 3]);
  });
});
