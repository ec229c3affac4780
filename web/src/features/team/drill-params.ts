import type { SampleMetric } from '../metrics/metrics.types.ts';

// What a drill-down is about, as the URL names it (`?drill=<metric>`): small, so pages that only link to
// drill-downs do not load the table.

export const DRILL_TITLES: Record<SampleMetric, { title: string; rows: [string, string] }> = {
  deploymentFrequency: {
    title: 'Deployment frequency',
    rows: ['successful production deployment', 'successful production deployments'],
  },
  changeFailureRate: {
    title: 'Change failure rate',
    rows: ['successful production deployment', 'successful production deployments'],
  },
  reworkRate: { title: 'Deployment rework rate', rows: ['production deployment', 'production deployments'] },
  leadTime: { title: 'Lead time for changes', rows: ['change', 'changes'] },
  recoveryTime: { title: 'Failed deployment recovery time', rows: ['incident', 'incidents'] },
  pullRequests: { title: 'Merged pull requests', rows: ['merged pull request', 'merged pull requests'] },
  ci: { title: 'Build and test', rows: ['CI run attempt', 'CI run attempts'] },
  ciTimeToGreen: {
    title: 'Time to green',
    rows: ['red stretch of a default branch', 'red stretches of a default branch'],
  },
};

export interface DrillParams {
  page: string;
  sort: string;
  order: string;
}
export const TEAM_PAGE_PARAMS: DrillParams = { page: 'page', sort: 'sort', order: 'order' };
/** On the overview, whose `sort` and `order` belong to the teams table. */
export const OVERVIEW_DRILL_PARAMS: DrillParams = { page: 'rowsPage', sort: 'rowsSort', order: 'rowsOrder' };

export function isSampleMetric(value: string | null): value is SampleMetric {
  return value !== null && value in DRILL_TITLES;
}
