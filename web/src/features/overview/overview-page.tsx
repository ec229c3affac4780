import { lazy, Suspense, useEffect } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { PeriodPicker } from '../../components/period-picker.tsx';
import { NoDeployments } from '../../components/no-deployments.tsx';
import { ApiView, Loading } from '../../components/status.tsx';
import { formatRange } from '../../lib/format.ts';
import { describePeriod, periodFromSearch, periodPhrase } from '../../lib/period.ts';
import { useLocation } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { organizationMetricsUrl } from '../metrics/metrics.api.ts';
import type { OrganizationMetrics } from '../metrics/metrics.types.ts';
import { allScorecardsUrl } from '../scorecards/scorecards.api.ts';
import type { AllTeamScorecards } from '../scorecards/scorecards.types.ts';
import { TEAMS_URL } from '../teams/teams.api.ts';
import type { TeamsResponse } from '../teams/teams.api.ts';
import { AttentionPanel } from './attention-panel.tsx';
import { TeamsTable } from './teams-table.tsx';
import { isSampleMetric, OVERVIEW_DRILL_PARAMS } from '../team/drill-params.ts';

// The organisation's drill-down shares the team page's table, which loads when first opened.
const DrillDown = lazy(() =>
  import('../team/drill-down.tsx').then((module) => ({ default: module.DrillDown })),
);

/**
 * `/`: where to look first, then every team's DORA figures and scorecard levels side by side, sortable,
 * each team linking to its page and every figure to the rows behind it (the organisation's open here,
 * `?drill=<metric>`).
 */
export function OverviewPage() {
  const location = useLocation();
  const period = periodFromSearch(location.search);
  const drillParam = location.search.get('drill');
  const drill = isSampleMetric(drillParam) ? drillParam : null;
  const metrics = useApi<OrganizationMetrics>(organizationMetricsUrl(period));
  const teams = useApi<TeamsResponse>(TEAMS_URL, { keep: true });
  const scorecards = useApi<AllTeamScorecards>(allScorecardsUrl(period));
  useEffect(() => {
    document.title = `Overview · ${describePeriod(period)} · Groundwork`;
  }, [period]);

  return (
    <>
      <div className="page-heading">
        <div>
          <PageHeading>Delivery overview</PageHeading>
          <p className="lede">
            Where developers lose the most time, and which team is struggling on what: DORA metrics with their
            tiers and scorecard levels. Open a team for trends and the rows behind every number.
          </p>
        </div>
        <PeriodPicker period={period} />
      </div>
      <ApiView state={metrics} what="the organisation’s metrics">
        {(data) => {
          const names = new Map(
            teams.status === 'ready' ? teams.data.teams.map((team) => [team.slug, team.name]) : [],
          );
          const cards = new Map(
            scorecards.status === 'ready'
              ? scorecards.data.teams.map((team) => [team.team, team.scorecards])
              : [],
          );
          const org = data.organization;
          const rows = (data.teams ?? []).map((team) => ({
            metrics: team,
            name: names.get(team.team) ?? team.team,
            scorecards: cards.get(team.team) ?? [],
          }));
          return (
            <>
              <p className="period-line">
                {describePeriod(period)}: {formatRange(org.from, org.to)} (UTC) · tiers from{' '}
                <span title={org.benchmark.citation}>{org.benchmark.title}</span>
              </p>
              {org.deploymentFrequency.count === 0 ? (
                <NoDeployments who="any team" period={periodPhrase(period)} />
              ) : null}
              <AttentionPanel period={period} />
              <TeamsTable
                organization={org}
                rows={rows}
                scorecardsLoaded={scorecards.status === 'ready'}
                period={period}
              />
              {drill ? (
                <Suspense fallback={<Loading what="the rows" />}>
                  <DrillDown
                    key={`${drill}|${period}`}
                    team={null}
                    metric={drill}
                    period={period}
                    params={OVERVIEW_DRILL_PARAMS}
                  />
                </Suspense>
              ) : null}
            </>
          );
        }}
      </ApiView>
    </>
  );
}
