import type { ReactNode } from 'react';
import { ReferenceArea, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { formatHoursTick, formatRange, formatWeek } from '../../lib/format.ts';
import type { Tier, TierBand } from '../metrics/metrics.types.ts';
import { describeBand } from './trend-series.ts';
import type { WeekPoint } from './trend-series.ts';

// What every weekly trend chart shares: the week axis, a tooltip naming the week and its sample, the same
// numbers as a table, the benchmark's tier bands behind the line, and partial weeks drawn hollow.

export const CHART_HEIGHT = 240;
export const axisTick = { fontSize: 12, fill: '#424a53' };
export const margin = { top: 8, right: 16, bottom: 8, left: 8 };

export const yLabel = (value: string) => ({
  value,
  angle: -90,
  position: 'insideLeft' as const,
  offset: 10,
  fontSize: 12,
  style: { textAnchor: 'middle' as const },
});

/** A tooltip that names the week and shows the sample behind each point, not just the value. */
export function weekTooltip<P extends { week: string; from: string; to: string; partial: boolean }>(
  lines: (point: P) => ReactNode[],
) {
  return function WeekTooltip({ active, payload }: TooltipContentProps) {
    const point = payload[0]?.payload as P | undefined;
    if (!active || !point) return null;
    return (
      <div className="chart-tooltip">
        <strong>Week of {formatWeek(point.week)}</strong>
        {point.partial ? (
          <div className="muted">partial week: {formatRange(point.from, point.to)} only</div>
        ) : null}
        {lines(point).map((line, index) => (
          <div key={index}>{line}</div>
        ))}
      </div>
    );
  };
}

export function WeekTable<P extends { week: string; partial: boolean }>({
  points,
  columns,
}: {
  points: P[];
  columns: [string, (point: P) => string][];
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

export const weekAxis = (
  <XAxis
    dataKey="week"
    tickFormatter={formatWeek}
    tick={axisTick}
    minTickGap={12}
    label={{ value: 'week (Monday, UTC)', position: 'insideBottom', offset: -4, fontSize: 12 }}
    height={40}
  />
);

/** A value axis of durations in hours, at the round `ticks` durationTicks gives. */
export const hoursAxis = (ticks: number[], label: string) => (
  <YAxis
    tick={axisTick}
    tickFormatter={formatHoursTick}
    ticks={ticks}
    domain={[0, ticks.at(-1) ?? 'auto']}
    width={56}
    label={yLabel(label)}
  />
);

const BAND_FILL: Record<Tier, string> = {
  elite: '#dafbe1',
  high: '#ddf4ff',
  medium: '#fff8c5',
  low: '#ffebe9',
};

/**
 * The benchmark's tier bands as shaded areas behind the series, up to the axis' `top` (as elements, not
 * a component: Recharts reads its children's types). A band with no upper edge runs to `top`; bands above
 * it are left out rather than stretching the axis.
 */
export function tierBandAreas(bands: TierBand[], top: number) {
  return bands
    .filter((band) => band.from < top)
    .map((band) => (
      <ReferenceArea
        key={`${band.tier}-${band.from}`}
        y1={band.from}
        y2={Math.min(band.to ?? top, top)}
        ifOverflow="hidden"
        fill={BAND_FILL[band.tier]}
        fillOpacity={0.8}
        stroke="none"
        className={`tier-band tier-band-${band.tier}`}
      />
    ));
}

/** The bands written out under the chart: the shading's legend, and its text alternative. */
export function BandLegend({
  bands,
  format,
  unit,
}: {
  bands: TierBand[];
  format: (value: number) => string;
  unit?: string;
}) {
  if (bands.length === 0) return null;
  return (
    <ul className="tier-band-legend" aria-label="Tier bands">
      {bands.map((band) => (
        <li key={`${band.tier}-${band.from}`}>
          <span className="swatch" style={{ background: BAND_FILL[band.tier] }} aria-hidden="true" />
          {describeBand(band, format, unit)}
        </li>
      ))}
    </ul>
  );
}

/** A weekly series' line: its colour, dashed or not, with week dots (hollow for partial weeks), not animated. */
export function weekLine(colour: string, dash?: string) {
  return {
    stroke: colour,
    strokeWidth: 2,
    ...(dash ? { strokeDasharray: dash } : {}),
    dot: weekDot(colour),
    isAnimationActive: false,
  };
}

/** A line's dot: filled for a whole week, hollow (and classed) for a partial one. Gaps draw nothing. */
export function weekDot(colour: string) {
  return function WeekDot(props: {
    cx?: number;
    cy?: number;
    payload?: WeekPoint;
    value?: unknown;
    index?: number;
  }) {
    const { cx, cy, payload, index } = props;
    if (cx === undefined || cy === undefined || props.value === null || props.value === undefined) {
      return <g key={`dot-${index}`} />;
    }
    const partial = payload?.partial ?? false;
    return (
      <circle
        key={`dot-${index}`}
        cx={cx}
        cy={cy}
        r={partial ? 4 : 3}
        stroke={colour}
        strokeWidth={partial ? 2 : 1}
        fill={partial ? '#fff' : colour}
        className={partial ? 'week-dot week-dot-partial' : 'week-dot'}
      />
    );
  };
}
