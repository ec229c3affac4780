import type { TeamMetrics } from '../metrics/metrics.types.ts';
import type { TeamScorecard } from '../scorecards/scorecards.types.ts';

/**
 * Sorting the overview's teams table. The sort is in the URL (`?sort=leadTime&order=desc`) so a shared
 * link shows the same order. A first click on a column puts the worst teams on top: the most lead time,
 * the fewest deployments, the slowest builds, the lowest scorecard levels. Teams without a figure always go last.
 */
export type SortKey =
  | 'team'
  | 'deploymentFrequency'
  | 'leadTime'
  | 'changeFailureRate'
  | 'recoveryTime'
  | 'reworkRate'
  | 'ci'
  | 'scorecards';
export type SortOrder = 'asc' | 'desc';

export interface TeamRow {
  metrics: TeamMetrics;
  name: string;
  scorecards: TeamScorecard[];
}

const KEYS: readonly SortKey[] = [
  'team',
  'deploymentFrequency',
  'leadTime',
  'changeFailureRate',
  'recoveryTime',
  'reworkRate',
  'ci',
  'scorecards',
];

/** The order a first click gives: worst first. */
export const WORST_FIRST: Record<SortKey, SortOrder> = {
  team: 'asc',
  deploymentFrequency: 'asc',
  leadTime: 'desc',
  changeFailureRate: 'desc',
  recoveryTime: 'desc',
  reworkRate: 'desc',
  ci: 'desc',
  scorecards: 'asc',
};

export function sortFromSearch(params: URLSearchParams): { key: SortKey; order: SortOrder } {
  const key = KEYS.find((candidate) => candidate === params.get('sort')) ?? 'team';
  const order = params.get('order');
  return { key, order: order === 'asc' || order === 'desc' ? order : WORST_FIRST[key] };
}

/** The ladder position of a team's level on a card: 1 for the first level, 0 for none. */
export function levelRank(card: TeamScorecard): number {
  return card.levels.findIndex((level) => level.id === card.level) + 1;
}

function value(row: TeamRow, key: SortKey): number | string | null {
  const m = row.metrics;
  switch (key) {
    case 'team':
      return row.name;
    case 'deploymentFrequency':
      return m.deploymentFrequency.perWeek;
    case 'leadTime':
      return m.leadTime.medianHours;
    case 'changeFailureRate':
      return m.changeFailureRate.rate;
    case 'recoveryTime':
      return m.recoveryTime.medianHours;
    case 'reworkRate':
      return m.reworkRate.rate;
    case 'ci':
      return m.ci.durationMedianMinutes;
    case 'scorecards':
      return row.scorecards.length === 0
        ? null
        : row.scorecards.reduce((sum, card) => sum + levelRank(card), 0);
  }
}

export function sortRows(rows: TeamRow[], key: SortKey, order: SortOrder): TeamRow[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a, key);
    const y = value(b, key);
    if (x === null || y === null) return x === y ? a.name.localeCompare(b.name) : x === null ? 1 : -1;
    const compared =
      typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return compared === 0 ? a.name.localeCompare(b.name) : sign * compared;
  });
}
