import { CartesianGrid, Legend, Line, LineChart, Tooltip, YAxis } from 'recharts';
import { ApiView } from '../../components/status.tsx';
import { formatCount, formatRate } from '../../lib/format.ts';
import type { ApiState } from '../../lib/use-api.ts';
import { formatMinutes } from '../metrics/ci-figures.ts';
import type { MetricsSeries } from '../metrics/metrics.types.ts';
import { CHART_COLOURS, ChartFrame, legendText } from './chart-frame.tsx';
import {
  axisTick,
  CHART_HEIGHT,
  margin,
  weekAxis,
  WeekTable,
  weekLine,
  weekTooltip,
  yLabel,
} from './trend-chart-parts.tsx';
import { hasCiRuns, weeklyTrend } from './trend-series.ts';
import type { WeekPoint } from './trend-series.ts';

const minutesTick = (minutes: number) => `${Math.round(minutes)} min`;

/**
 * "Build and test" week by week (loaded with Recharts, on its own): the median CI run's duration and the
 * share of attempts that failed, over the same weeks as the team's trends.
 */
export default function CiTrend({ series }: { series: ApiState<MetricsSeries> }) {
  return (
    <ApiView state={series} what="the weekly CI figures">
      {(data) => {
        const points = weeklyTrend(data);
        if (!hasCiRuns(points)) return null;
        return (
          <div className="ci-trend">
            <ChartFrame
              title="CI week by week"
              description="Median duration of the CI run attempts that passed or failed each week (left axis), and the share that failed (right axis). Gaps are weeks without runs; hollow points are partial weeks."
              table={
                <WeekTable
                  points={points}
                  columns={[
                    ['Median', (p) => formatMinutes(p.ciDurationMedianMinutes)],
                    ['p90', (p) => formatMinutes(p.ciDurationP90Minutes)],
                    ['Failed', (p) => formatRate(p.ciFailureRate)],
                    ['Flaky', (p) => formatRate(p.ciFlakyRate)],
                    ['Attempts', (p) => String(p.ciAttempts)],
                  ]}
                />
              }
            >
              <LineChart
                data={points}
                margin={margin}
                responsive
                style={{ width: '100%', height: CHART_HEIGHT }}
              >
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                {weekAxis}
                <YAxis
                  yAxisId="minutes"
                  tick={axisTick}
                  tickFormatter={minutesTick}
                  domain={[0, 'auto']}
                  width={72}
                  label={yLabel('run duration')}
                />
                <YAxis
                  yAxisId="share"
                  orientation="right"
                  tick={axisTick}
                  tickFormatter={(value: number) => formatRate(value)}
                  domain={[0, 'auto']}
                  width={48}
                />
                <Tooltip
                  content={weekTooltip<WeekPoint>((p) => [
                    `Median ${formatMinutes(p.ciDurationMedianMinutes)}, p90 ${formatMinutes(p.ciDurationP90Minutes)}`,
                    `${formatRate(p.ciFailureRate)} failed, ${formatRate(p.ciFlakyRate)} flaky`,
                    `n = ${formatCount(p.ciAttempts, 'run attempt')}`,
                  ])}
                />
                <Legend verticalAlign="top" height={28} formatter={legendText} />
                <Line
                  yAxisId="minutes"
                  dataKey="ciDurationMedianMinutes"
                  name="Median duration"
                  {...weekLine(CHART_COLOURS.blue)}
                />
                <Line
                  yAxisId="share"
                  dataKey="ciFailureRate"
                  name="Failed attempts"
                  {...weekLine(CHART_COLOURS.vermillion, '6 4')}
                />
              </LineChart>
            </ChartFrame>
          </div>
        );
      }}
    </ApiView>
  );
}
