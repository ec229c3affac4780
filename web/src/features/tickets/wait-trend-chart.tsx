import { CartesianGrid, Legend, Line, LineChart, Tooltip } from 'recharts';
import { durationTicks, formatCount, formatHours } from '../../lib/format.ts';
import { CHART_COLOURS, ChartFrame, legendText } from '../team/chart-frame.tsx';
import {
  CHART_HEIGHT,
  hoursAxis,
  margin,
  weekAxis,
  WeekTable,
  weekLine,
  weekTooltip,
} from '../team/trend-chart-parts.tsx';
import type { WaitTrend, WaitWeekRow } from './wait-series.ts';

const COLOURS = [
  CHART_COLOURS.blue,
  CHART_COLOURS.orange,
  CHART_COLOURS.green,
  CHART_COLOURS.vermillion,
  CHART_COLOURS.pink,
];
const DASHES = [undefined, '6 4', '2 3', '8 3 2 3', '1 2'];

/** The weekly median wait before start of the slowest groups, week by week, with the numbers as a table. */
export function WaitTrendChart({ trend, noun }: { trend: WaitTrend; noun: string }) {
  const ticks = durationTicks(
    Math.max(0, ...trend.rows.flatMap((row) => row.medians.map((median) => median ?? 0))),
  );
  return (
    <ChartFrame
      title={`Wait before start week by week, by ${noun}`}
      description={`Median wait before work started on the tickets started each week, for the ${trend.groups.length} slowest ${noun === 'category' ? 'categories' : `${noun}s`} of the table. Gaps are weeks where none started; hollow points are partial weeks.`}
      table={
        <WeekTable<WaitWeekRow>
          points={trend.rows}
          columns={trend.groups.map((group, index) => [
            group.label,
            (row) => `${formatHours(row.medians[index])} (${row.started[index] ?? 0})`,
          ])}
        />
      }
    >
      <LineChart
        data={trend.rows}
        margin={margin}
        responsive
        style={{ width: '100%', height: CHART_HEIGHT + 40 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        {weekAxis}
        {hoursAxis(ticks, 'median wait')}
        <Tooltip
          content={weekTooltip<WaitWeekRow>((row) =>
            trend.groups.map(
              (group, index) =>
                `${group.label}: ${formatHours(row.medians[index])} (${formatCount(row.started[index] ?? 0, 'ticket')})`,
            ),
          )}
        />
        <Legend verticalAlign="top" formatter={legendText} />
        {trend.groups.map((group, index) => (
          <Line
            key={group.key ?? '(none)'}
            dataKey={(row: WaitWeekRow) => row.medians[index] ?? null}
            name={group.label}
            {...weekLine(
              COLOURS[index % COLOURS.length] ?? CHART_COLOURS.blue,
              DASHES[index % DASHES.length],
            )}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}
