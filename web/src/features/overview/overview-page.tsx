import { useEffect } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { PeriodPicker } from '../../components/period-picker.tsx';
import { NoDeployments } from '../../components/no-deployments.tsx';
import { ApiView } from '../../components/status.tsx';
import { formatRange } from '../../lib/format.ts';
import { describePeriod, periodFromSearch, periodPhrase } from '../../lib/period.ts';
import { useLocation } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { organizationMetricsUrl } from '../metrics/metrics.api.ts';
import type { OrganizationMetrics } from '../metrics/metrics.types.ts';
import { TEAMS_URL } from '../teams/teams.api.ts';
import type { TeamsResponse } from '../teams/teams.api.ts';
import { TeamsTable } from './teams-table.tsx';

/** `/`: the organisation and every team's five DORA figures side by side, each linking to its team page. */
export function OverviewPage() {
  const location = useLocation();
  const period = periodFromSearch(location.search);
  const metrics = useApi<OrganizationMetrics>(organizationMetricsUrl(period));
  const teams = useApi<TeamsResponse>(TEAMS_URL, { keep: true });
  useEffect(() => {
    document.title = `Overview · ${describePeriod(period)} · Groundwork`;
  }, [period]);

  return (
    <>
      <div className="page-heading">
        <div>
          <PageHeading>Delivery overview</PageHeading>
          <p className="lede">
            Each team’s DORA metrics for the period, with their tiers. Open a team for trends, its scorecards
            and the rows behind every number.
          </p>
        </div>
        <PeriodPicker period={period} />
      </div>
      <ApiView state={metrics} what="the organisation’s metrics">
        {(data) => {
          const names = new Map(
            teams.status === 'ready' ? teams.data.teams.map((team) => [team.slug, team.name]) : [],
          );
          const org = data.organization;
          return (
            <>
              <p className="period-line">
                {describePeriod(period)}: {formatRange(org.from, org.to)} (UTC) · tiers from{' '}
                <span title={org.benchmark.citation}>{org.benchmark.title}</span>
              </p>
              {org.deploymentFrequency.count === 0 ? (
                <NoDeployments who="any team" period={periodPhrase(period)} />
              ) : null}
              <TeamsTable organization={org} teams={data.teams ?? []} names={names} period={period} />
            </>
          );
        }}
      </ApiView>
    </>
  );
}
