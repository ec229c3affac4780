import { lazy, Suspense, useEffect, useId } from 'react';
import { TeamFrictionPanel } from '../friction/team-friction-panel.tsx';
import { NoDeployments } from '../../components/no-deployments.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { PeriodPicker } from '../../components/period-picker.tsx';
import { ApiView, Empty, ErrorMessage, Loading } from '../../components/status.tsx';
import { ApiError } from '../../lib/api-client.ts';
import { formatRange } from '../../lib/format.ts';
import { describePeriod, periodFromSearch, periodPhrase } from '../../lib/period.ts';
import { Link, navigate, useLocation } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import type { ApiState } from '../../lib/use-api.ts';
import { teamMetricsUrl, teamSeriesUrl } from '../metrics/metrics.api.ts';
import type { MetricsSeries, SampleMetric, TeamMetrics } from '../metrics/metrics.types.ts';
import { ScorecardsPanel } from '../scorecards/scorecards-panel.tsx';
import { TEAMS_URL, teamPath } from '../teams/teams.api.ts';
import type { TeamsResponse } from '../teams/teams.api.ts';
import { BuildAndTest } from './build-and-test.tsx';
import { CoverageNotes } from './coverage-notes.tsx';
import { TeamSurveyDrivers, TeamWaits } from './team-survey-waits.tsx';
import { DrillDown } from './drill-down.tsx';
import { isSampleMetric } from './drill-params.ts';
import { MetricCards } from './metric-cards.tsx';

/** Drill-downs opened from the "Build and test" section open under it. */
const CI_DRILLS = new Set<SampleMetric>(['ci', 'ciTimeToGreen']);

// Recharts is most of this page's weight: the figures, scorecards and drill-down render while it loads.
const TeamCharts = lazy(() => import('./team-charts.tsx'));

function TeamSwitcher({
  slug,
  period,
  teams,
}: {
  slug: string;
  period: string;
  teams: TeamsResponse | null;
}) {
  const id = useId();
  if (!teams || teams.teams.length < 2) return null;
  return (
    <div className="picker">
      <label htmlFor={id}>Team</label>
      <select id={id} value={slug} onChange={(event) => navigate(teamPath(event.target.value, period))}>
        {teams.teams.some((team) => team.slug === slug) ? null : <option value={slug}>{slug}</option>}
        {teams.teams.map((team) => (
          <option key={team.slug} value={team.slug}>
            {team.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** `/teams/:slug?period=…&drill=…`: one team's DORA figures, scorecards, weekly trends and breakdown. */
export default function TeamPage({ slug }: { slug: string }) {
  const location = useLocation();
  const period = periodFromSearch(location.search);
  const drillParam = location.search.get('drill');
  const drill = isSampleMetric(drillParam) ? drillParam : null;
  const metrics = useApi<TeamMetrics>(teamMetricsUrl(slug, period));
  const series = useApi<MetricsSeries>(teamSeriesUrl(slug, period));
  const teams = useApi<TeamsResponse>(TEAMS_URL, { keep: true });
  const teamList = teams.status === 'ready' ? teams.data : null;
  const name = teamList?.teams.find((team) => team.slug === slug)?.name ?? slug;

  useEffect(() => {
    document.title = `${name} · ${describePeriod(period)} · Groundwork`;
  }, [name, period]);

  const failure = metrics.status === 'error' && metrics.error instanceof ApiError ? metrics.error : null;
  if (failure?.code === 'TEAM_NOT_FOUND') {
    return (
      <>
        <PageHeading>No team “{slug}”</PageHeading>
        <Empty>
          There is no team “{slug}”.{' '}
          <Link href={`/?period=${encodeURIComponent(period)}`}>Pick one on the overview.</Link>
        </Empty>
      </>
    );
  }

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href={`/?period=${encodeURIComponent(period)}`}>Overview</Link>{' '}
        <span aria-hidden="true">›</span> <span aria-current="page">{name}</span>
      </nav>
      <div className="page-heading">
        <PageHeading>{name}</PageHeading>
        <div className="toolbar">
          <TeamSwitcher slug={slug} period={period} teams={teamList} />
          <PeriodPicker period={period} />
        </div>
      </div>
      {failure?.code === 'INVALID_PERIOD' ? (
        // Every panel would fail the same way: say it once, under the picker that fixes it.
        <ErrorMessage what={`${name}’s metrics`} error={failure} />
      ) : (
        <TeamSections slug={slug} period={period} drill={drill} metrics={metrics} series={series} />
      )}
    </>
  );
}

function TeamSections({
  slug,
  period,
  drill,
  metrics,
  series,
}: {
  slug: string;
  period: string;
  drill: SampleMetric | null;
  metrics: ApiState<TeamMetrics>;
  series: ApiState<MetricsSeries>;
}) {
  return (
    <>
      <ApiView state={metrics} what="the team’s metrics">
        {(data) => (
          <>
            <p className="period-line">
              {describePeriod(period)}: {formatRange(data.from, data.to)} (UTC) · tiers from{' '}
              <span title={data.benchmark.citation}>{data.benchmark.title}</span>
            </p>
            {data.deploymentFrequency.count === 0 ? (
              <NoDeployments who="this team" period={periodPhrase(period)} />
            ) : null}
            <section aria-labelledby="dora-heading">
              <h2 id="dora-heading">Delivery metrics (DORA)</h2>
              <MetricCards metrics={data} drill={drill} />
            </section>
            {drill && !CI_DRILLS.has(drill) ? (
              <DrillDown key={`${drill}|${period}`} team={slug} metric={drill} period={period} />
            ) : null}
            <section aria-labelledby="build-heading" className="panel">
              <h2 id="build-heading">Build and test</h2>
              <BuildAndTest ci={data.ci} drill={drill} />
            </section>
            {drill && CI_DRILLS.has(drill) ? (
              <DrillDown key={`${drill}|${period}`} team={slug} metric={drill} period={period} />
            ) : null}
          </>
        )}
      </ApiView>
      <section aria-labelledby="friction-heading" className="panel">
        <h2 id="friction-heading">Top friction</h2>
        <TeamFrictionPanel team={slug} period={period} />
      </section>
      <section aria-labelledby="scorecards-heading" className="panel">
        <h2 id="scorecards-heading">Scorecards</h2>
        <ScorecardsPanel team={slug} period={period} />
      </section>
      <section aria-labelledby="survey-heading" className="panel">
        <h2 id="survey-heading">Survey drivers</h2>
        <TeamSurveyDrivers team={slug} />
      </section>
      <section aria-labelledby="waits-heading" className="panel">
        <h2 id="waits-heading">Waiting on other teams</h2>
        <TeamWaits team={slug} period={period} />
      </section>
      <Suspense fallback={<Loading what="charts" />}>
        <TeamCharts metrics={metrics} series={series} />
      </Suspense>
      {metrics.status === 'ready' ? (
        <section aria-labelledby="coverage-heading" className="panel">
          <h2 id="coverage-heading">Data coverage</h2>
          <CoverageNotes metrics={metrics.data} />
          <p className="muted citation">Benchmark: {metrics.data.benchmark.citation}</p>
        </section>
      ) : null}
    </>
  );
}
