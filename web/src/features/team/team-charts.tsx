import { ApiView, Empty } from '../../components/status.tsx';
import { formatDate, formatRange } from '../../lib/format.ts';
import { Link, useLocation } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import type { ApiState } from '../../lib/use-api.ts';
import { alertsUrl, chartMarkers } from '../alerts/alerts.api.ts';
import type { AlertList } from '../alerts/alerts.types.ts';
import type { MetricsSeries, TeamMetrics } from '../metrics/metrics.types.ts';
import { CycleTimeBreakdown } from './cycle-time-breakdown.tsx';
import {
  ChangeFailureRateTrend,
  DeploymentFrequencyTrend,
  LeadTimeTrend,
  RecoveryTimeTrend,
  ReworkRateTrend,
} from './trend-charts.tsx';
import { TrendRangePicker } from './trend-range-picker.tsx';
import { hasDeployments, trendRangeFrom, weeklyTrend, weeksNote } from './trend-series.ts';

/** The team page's charts (loaded on their own, with Recharts): weekly trends and the cycle-time breakdown. */
export default function TeamCharts({
  metrics,
  series,
}: {
  metrics: ApiState<TeamMetrics>;
  series: ApiState<MetricsSeries>;
}) {
  const team =
    series.status === 'ready' ? series.data.team : metrics.status === 'ready' ? metrics.data.team : null;
  const alerts = useApi<AlertList>(alertsUrl(team ? { team } : {}));
  const weeks = trendRangeFrom(useLocation().search);
  const leadTimeAlerts =
    team && alerts.status === 'ready'
      ? alerts.data.alerts.filter((alert) => alert.metric === 'leadTime')
      : [];
  return (
    <>
      <section aria-labelledby="trends-heading" className="panel">
        <div className="trends-heading">
          <h2 id="trends-heading">Weekly trends</h2>
          <TrendRangePicker weeks={weeks} />
        </div>
        <ApiView state={series} what="weekly trends">
          {(data) => {
            const points = weeklyTrend(data);
            if (!hasDeployments(points)) {
              return <Empty>No deployments in any of these weeks: nothing to chart.</Empty>;
            }
            return (
              <>
                <p className="muted">
                  {formatRange(data.from, data.to)}: {weeksNote(points, weeks)} Tiers from{' '}
                  {data.benchmark.title}.
                </p>
                <div className="charts">
                  <DeploymentFrequencyTrend points={points} bands={data.tiers.deploymentFrequency.bands} />
                  <LeadTimeTrend
                    points={points}
                    bands={data.tiers.leadTime.bands}
                    markers={chartMarkers(
                      leadTimeAlerts,
                      'leadTime',
                      points.map((point) => point.week),
                    )}
                  />
                  {leadTimeAlerts.length > 0 ? (
                    <p className="chart-note">
                      {leadTimeAlerts.map((alert) => (
                        <span key={alert.id}>
                          <Link href={`/alerts#alert-${alert.id}`}>Lead-time alert</Link> fired{' '}
                          {formatDate(alert.openedAt)}
                          {alert.resolvedAt
                            ? `, resolved ${formatDate(alert.resolvedAt)}`
                            : ` (${alert.status})`}
                          .{' '}
                        </span>
                      ))}
                    </p>
                  ) : null}
                  <ChangeFailureRateTrend points={points} bands={data.tiers.changeFailureRate.bands} />
                  <RecoveryTimeTrend points={points} bands={data.tiers.recoveryTime.bands} />
                  <ReworkRateTrend points={points} />
                </div>
              </>
            );
          }}
        </ApiView>
      </section>
      <section aria-labelledby="breakdown-heading" className="panel">
        <h2 id="breakdown-heading">Cycle-time breakdown</h2>
        <ApiView state={metrics} what="the cycle-time breakdown">
          {(data) => <CycleTimeBreakdown breakdown={data.leadTime.breakdown} />}
        </ApiView>
      </section>
    </>
  );
}
