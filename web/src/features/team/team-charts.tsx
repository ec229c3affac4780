import { ApiView, Empty } from '../../components/status.tsx';
import type { ApiState } from '../../lib/use-api.ts';
import type { MetricsSeries, TeamMetrics } from '../metrics/metrics.types.ts';
import { CycleTimeBreakdown } from './cycle-time-breakdown.tsx';
import { ChangeFailureRateTrend, DeploymentFrequencyTrend, LeadTimeTrend } from './trend-charts.tsx';
import { hasDeployments, weeklyTrend } from './trend-series.ts';

/** The team page's charts (loaded on their own, with Recharts): weekly trends and the cycle-time breakdown. */
export default function TeamCharts({
  metrics,
  series,
}: {
  metrics: ApiState<TeamMetrics>;
  series: ApiState<MetricsSeries>;
}) {
  return (
    <>
      <section aria-labelledby="trends-heading" className="panel">
        <h2 id="trends-heading">Weekly trends</h2>
        <ApiView state={series} what="weekly trends">
          {(data) => {
            const points = weeklyTrend(data);
            if (!hasDeployments(points)) {
              return <Empty>No deployments in any week of this period: nothing to chart.</Empty>;
            }
            return (
              <div className="charts">
                <DeploymentFrequencyTrend points={points} />
                <LeadTimeTrend points={points} />
                <ChangeFailureRateTrend points={points} />
              </div>
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
