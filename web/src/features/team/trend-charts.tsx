import type { ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { TooltipContentProps } from 'recharts';
import {
  durationTicks,
  formatCount,
  formatHours,
  formatHoursTick,
  formatPerWeek,
  formatRange,
  formatRate,
  formatWeek,
} from '../../lib/format.ts';
import { CHART_COLOURS, ChartFrame, legendText } from './chart-frame.tsx';
import type { WeekPoint } from './trend-series.ts';
import type { ChartMarker } from '../alerts/alerts.api.ts';

const CHART_HEIGHT = 240;
const axisTick = { fontSize: 12, fill: '#424a53' };
const margin = { top: 8, right: 16, bottom: 8, left: 8 };

/** A tooltip that names the week and shows the sample behind each point, not just the value. */
function weekTooltip(lines: (point: WeekPoint) => ReactNode[]) {
  return function WeekTooltip({ active, payload }: TooltipContentProps) {
    const point = payload[0]?.payload as WeekPoint | undefined;
    if (!active || !point) return null;
    return (
      <div className="chart-tooltip">
        <strong>Week of {formatWeek(point.week)}</strong>
        {point.partial ? <div className="muted">partial: {formatRange(point.from, point.to)}</div> : null}
        {lines(point).map((line, index) => (
          <div key={index}>{line}</div>
        ))}
      </div>
    );
  };
}

function WeekTable({
  points,
  columns,
}: {
  points: WeekPoint[];
  columns: [string, (point: WeekPoint) => string][];
}) {
  return (
    <table className="chart-table">
      <thead>
        <tr>
          <th scope="col">Week of</th>
          {columns.map(([title]) => (
            <th scope="col" key={title}>
              {title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {points.map((point) => (
          <tr key={point.week}>
            <th scope="row">
              {formatWeek(point.week)}
              {point.partial ? ' (partial)' : ''}
            </th>
            {columns.map(([title, cell]) => (
              <td key={title}>{cell(point)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const xAxis = (
  <XAxis
    dataKey="week"
    tickFormatter={formatWeek}
    tick={axisTick}
    label={{ value: 'week (Monday, UTC)', position: 'insideBottom', offset: -4, fontSize: 12 }}
    height={40}
  />
);

export function DeploymentFrequencyTrend({ points }: { points: WeekPoint[] }) {
  return (
    <ChartFrame
      title="Deployment frequency"
      description="Successful production deployments per week. Partial weeks at the period’s edges are lighter; their rate is scaled to a full week."
      table={
        <WeekTable
          points={points}
          columns={[
            ['Per week', (p) => formatPerWeek(p.deploymentsPerWeek)],
            ['Deployments', (p) => String(p.deployments)],
          ]}
        />
      }
    >
      <BarChart data={points} margin={margin} responsive style={{ width: '100%', height: CHART_HEIGHT }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        {xAxis}
        <YAxis
          tick={axisTick}
          allowDecimals={false}
          width={56}
          label={{
            value: 'deployments / week',
            angle: -90,
            position: 'insideLeft',
            offset: 10,
            fontSize: 12,
            style: { textAnchor: 'middle' },
          }}
        />
        <Tooltip
          content={weekTooltip((p) => [
            `${formatPerWeek(p.deploymentsPerWeek)}`,
            `${formatCount(p.deployments, 'deployment')} in the week`,
          ])}
        />
        <Legend verticalAlign="top" height={28} formatter={legendText} />
        <Bar
          dataKey="deploymentsPerWeek"
          name="Deployments per week"
          fill={CHART_COLOURS.blue}
          isAnimationActive={false}
        >
          {points.map((point) => (
            <Cell key={point.week} fillOpacity={point.partial ? 0.4 : 1} />
          ))}
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}

/** `markers`: the weeks a lead-time alert fired (red) and resolved (green). */
export function LeadTimeTrend({ points, markers = [] }: { points: WeekPoint[]; markers?: ChartMarker[] }) {
  const ticks = durationTicks(
    Math.max(0, ...points.map((point) => point.leadTimeP90Hours ?? point.leadTimeMedianHours ?? 0)),
  );
  return (
    <ChartFrame
      title="Lead time for changes"
      description="Median and p90 lead time of the changes deployed each week. Gaps are weeks with no deployed change."
      table={
        <WeekTable
          points={points}
          columns={[
            ['Median', (p) => formatHours(p.leadTimeMedianHours)],
            ['p90', (p) => formatHours(p.leadTimeP90Hours)],
            ['Changes', (p) => String(p.leadTimeSample)],
          ]}
        />
      }
    >
      <LineChart data={points} margin={margin} responsive style={{ width: '100%', height: CHART_HEIGHT }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        {xAxis}
        <YAxis
          tick={axisTick}
          tickFormatter={formatHoursTick}
          ticks={ticks}
          domain={[0, ticks.at(-1) ?? 'auto']}
          width={56}
          label={{
            value: 'lead time',
            angle: -90,
            position: 'insideLeft',
            offset: 10,
            fontSize: 12,
            style: { textAnchor: 'middle' },
          }}
        />
        <Tooltip
          content={weekTooltip((p) => [
            `Median ${formatHours(p.leadTimeMedianHours)}`,
            `p90 ${formatHours(p.leadTimeP90Hours)}`,
            `n = ${formatCount(p.leadTimeSample, 'change')}`,
          ])}
        />
        <Legend verticalAlign="top" height={28} formatter={legendText} />
        <Line
          dataKey="leadTimeMedianHours"
          name="Median"
          stroke={CHART_COLOURS.blue}
          strokeWidth={2}
          isAnimationActive={false}
        />
        <Line
          dataKey="leadTimeP90Hours"
          name="p90"
          stroke={CHART_COLOURS.orange}
          strokeWidth={2}
          strokeDasharray="6 4"
          isAnimationActive={false}
        />
        {markers.map((marker) => (
          <ReferenceLine
            key={`${marker.alertId}-${marker.kind}`}
            x={marker.week}
            stroke={marker.kind === 'fired' ? '#cf222e' : '#1a7f37'}
            strokeDasharray="4 2"
            className={`alert-marker alert-marker-${marker.kind}`}
            label={{
              value: marker.kind === 'fired' ? 'alert fired' : 'resolved',
              position: 'insideTopLeft',
              fontSize: 11,
              fill: marker.kind === 'fired' ? '#cf222e' : '#1a7f37',
            }}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}

export function ChangeFailureRateTrend({ points }: { points: WeekPoint[] }) {
  return (
    <ChartFrame
      title="Change failure rate"
      description="Share of each week’s successful production deployments that caused an incident. Gaps are weeks without deployments."
      table={
        <WeekTable
          points={points}
          columns={[
            ['Rate', (p) => formatRate(p.changeFailureRate)],
            ['Failed / deployments', (p) => `${p.failedDeployments} / ${p.deployments}`],
          ]}
        />
      }
    >
      <LineChart data={points} margin={margin} responsive style={{ width: '100%', height: CHART_HEIGHT }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        {xAxis}
        <YAxis
          tick={axisTick}
          tickFormatter={(rate: number) => formatRate(rate)}
          domain={[0, 'auto']}
          width={56}
          label={{
            value: 'share of deployments',
            angle: -90,
            position: 'insideLeft',
            offset: 10,
            fontSize: 12,
            style: { textAnchor: 'middle' },
          }}
        />
        <Tooltip
          content={weekTooltip((p) => [
            formatRate(p.changeFailureRate),
            `${p.failedDeployments} of ${formatCount(p.deployments, 'deployment')} caused an incident`,
          ])}
        />
        <Legend verticalAlign="top" height={28} formatter={legendText} />
        <Line
          dataKey="changeFailureRate"
          name="Change failure rate"
          stroke={CHART_COLOURS.vermillion}
          strokeWidth={2}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  );
}
