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
  YAxis,
} from 'recharts';
import {
  durationTicks,
  formatCount,
  formatHours,
  formatHoursTick,
  formatPerWeek,
  formatRate,
} from '../../lib/format.ts';
import type { TierBand } from '../metrics/metrics.types.ts';
import type { ChartMarker } from '../alerts/alerts.api.ts';
import { CHART_COLOURS, ChartFrame, legendText } from './chart-frame.tsx';
import {
  axisTick,
  BandLegend,
  CHART_HEIGHT,
  hoursAxis,
  margin,
  tierBandAreas,
  weekAxis,
  WeekTable,
  weekLine,
  weekTooltip,
  yLabel,
} from './trend-chart-parts.tsx';
import { axisTop } from './trend-series.ts';
import type { WeekPoint } from './trend-series.ts';

const PARTIAL_NOTE = 'Hollow points are partial weeks.';
const BANDS_NOTE = 'Shaded: the benchmark’s tiers.';

const plain = (value: number) => String(Number(value.toFixed(2)));
const percent = (value: number) => String(Number((value * 100).toFixed(1)));

export function DeploymentFrequencyTrend({ points, bands }: { points: WeekPoint[]; bands: TierBand[] }) {
  const top = axisTop(Math.max(...points.map((point) => point.deploymentsPerWeek)));
  return (
    <ChartFrame
      title="Deployment frequency"
      description={`Successful production deployments per week. ${BANDS_NOTE} Partial weeks are pale with a dashed edge; their rate is scaled to a full week.`}
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
        {tierBandAreas(bands, top)}
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        {weekAxis}
        <YAxis tick={axisTick} domain={[0, top]} width={56} label={yLabel('deployments / week')} />
        <Tooltip
          content={weekTooltip<WeekPoint>((p) => [
            formatPerWeek(p.deploymentsPerWeek),
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
            <Cell
              key={point.week}
              fillOpacity={point.partial ? 0.35 : 1}
              stroke={point.partial ? CHART_COLOURS.blue : 'none'}
              strokeDasharray={point.partial ? '3 2' : undefined}
              className={point.partial ? 'week-bar-partial' : undefined}
            />
          ))}
        </Bar>
      </BarChart>
      <BandLegend bands={bands} format={plain} unit=" a week" />
    </ChartFrame>
  );
}

/** Median and p90 durations per week (lead time, recovery time) over the metric's tier bands. */
function HoursTrend({
  title,
  description,
  points,
  bands,
  median,
  p90,
  sample,
  axisLabel,
  markers = [],
}: {
  title: string;
  description: string;
  points: WeekPoint[];
  bands: TierBand[];
  median: 'leadTimeMedianHours' | 'recoveryMedianHours';
  p90: 'leadTimeP90Hours' | 'recoveryP90Hours';
  sample: (point: WeekPoint) => string;
  axisLabel: string;
  markers?: ChartMarker[];
}) {
  const ticks = durationTicks(Math.max(0, ...points.map((point) => point[p90] ?? point[median] ?? 0)));
  return (
    <ChartFrame
      title={title}
      description={`${description} ${BANDS_NOTE} ${PARTIAL_NOTE}`}
      table={
        <WeekTable
          points={points}
          columns={[
            ['Median', (p) => formatHours(p[median])],
            ['p90', (p) => formatHours(p[p90])],
            ['Sample', sample],
          ]}
        />
      }
    >
      <LineChart data={points} margin={margin} responsive style={{ width: '100%', height: CHART_HEIGHT }}>
        {tierBandAreas(bands, ticks.at(-1) ?? 1)}
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        {weekAxis}
        {hoursAxis(ticks, axisLabel)}
        <Tooltip
          content={weekTooltip<WeekPoint>((p) => [
            `Median ${formatHours(p[median])}`,
            `p90 ${formatHours(p[p90])}`,
            sample(p),
          ])}
        />
        <Legend verticalAlign="top" height={28} formatter={legendText} />
        <Line dataKey={median} name="Median" {...weekLine(CHART_COLOURS.blue)} />
        <Line dataKey={p90} name="p90" {...weekLine(CHART_COLOURS.orange, '6 4')} />
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
      <BandLegend bands={bands} format={formatHoursTick} />
    </ChartFrame>
  );
}

/** `markers`: the weeks a lead-time alert fired (red) and resolved (green). */
export function LeadTimeTrend(props: { points: WeekPoint[]; bands: TierBand[]; markers?: ChartMarker[] }) {
  return (
    <HoursTrend
      {...props}
      title="Lead time for changes"
      description="Median and p90 lead time of the changes deployed each week. Gaps are weeks with no deployed change."
      median="leadTimeMedianHours"
      p90="leadTimeP90Hours"
      sample={(p) => `n = ${formatCount(p.leadTimeSample, 'change')}`}
      axisLabel="lead time"
    />
  );
}

export function RecoveryTimeTrend(props: { points: WeekPoint[]; bands: TierBand[] }) {
  return (
    <HoursTrend
      {...props}
      title="Failed deployment recovery time"
      description="Median and p90 time to resolve the incidents deployments caused, by the week they started. Gaps are weeks without one."
      median="recoveryMedianHours"
      p90="recoveryP90Hours"
      sample={(p) =>
        `n = ${formatCount(p.recoverySample, 'incident')}` +
        (p.unresolvedIncidents > 0 ? `, ${p.unresolvedIncidents} unresolved` : '')
      }
      axisLabel="recovery time"
    />
  );
}

/** A share of each week's deployments (change failure rate, rework rate), over its tier bands if any. */
function ShareTrend({
  title,
  description,
  points,
  bands,
  rate,
  part,
  colour,
}: {
  title: string;
  description: string;
  points: WeekPoint[];
  bands: TierBand[];
  rate: 'changeFailureRate' | 'reworkRate';
  part: (point: WeekPoint) => string;
  colour: string;
}) {
  const top = axisTop(Math.max(0, ...points.map((point) => point[rate] ?? 0)));
  return (
    <ChartFrame
      title={title}
      description={`${description} Gaps are weeks without deployments. ${bands.length > 0 ? BANDS_NOTE : 'The benchmark sets no tiers for it.'} ${PARTIAL_NOTE}`}
      table={
        <WeekTable
          points={points}
          columns={[
            ['Rate', (p) => formatRate(p[rate])],
            ['Of deployments', part],
          ]}
        />
      }
    >
      <LineChart data={points} margin={margin} responsive style={{ width: '100%', height: CHART_HEIGHT }}>
        {tierBandAreas(bands, top)}
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        {weekAxis}
        <YAxis
          tick={axisTick}
          tickFormatter={(value: number) => formatRate(value)}
          domain={[0, top]}
          width={56}
          label={yLabel('share of deployments')}
        />
        <Tooltip content={weekTooltip<WeekPoint>((p) => [formatRate(p[rate]), part(p)])} />
        <Legend verticalAlign="top" height={28} formatter={legendText} />
        <Line dataKey={rate} name={title} {...weekLine(colour)} />
      </LineChart>
      <BandLegend bands={bands} format={percent} unit=" %" />
    </ChartFrame>
  );
}

export function ChangeFailureRateTrend(props: { points: WeekPoint[]; bands: TierBand[] }) {
  return (
    <ShareTrend
      {...props}
      title="Change failure rate"
      description="Share of each week’s successful production deployments that caused an incident."
      rate="changeFailureRate"
      part={(p) => `${p.failedDeployments} of ${formatCount(p.deployments, 'deployment')} caused an incident`}
      colour={CHART_COLOURS.vermillion}
    />
  );
}

export function ReworkRateTrend({ points }: { points: WeekPoint[] }) {
  return (
    <ShareTrend
      points={points}
      bands={[]}
      title="Rework rate"
      description="Share of each week’s production deployments that were hotfixes or rollbacks."
      rate="reworkRate"
      part={(p) => `${p.reworkDeployments} of ${formatCount(p.deployments, 'deployment')} were rework`}
      colour={CHART_COLOURS.pink}
    />
  );
}
