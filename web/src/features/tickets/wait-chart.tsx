import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { durationTicks, formatCount, formatHours, formatHoursTick } from '../../lib/format.ts';
import { CHART_COLOURS, ChartFrame, legendText } from '../team/chart-frame.tsx';
import type { ChartRow } from './wait-figures.ts';

const axisTick = { fontSize: 12, fill: '#424a53' };

/** Median and p90 wait before start per group, slowest at the top, with the same numbers as a table. */
export function WaitChart({ rows, noun }: { rows: ChartRow[]; noun: string }) {
  const ticks = durationTicks(Math.max(0, ...rows.map((row) => row.p90Hours)));
  return (
    <ChartFrame
      title={`Wait before start by ${noun}`}
      description="Calendar time from filing until work starts, counting only time in waiting statuses; slowest first."
      table={
        <table className="chart-table">
          <thead>
            <tr>
              <th scope="col">{noun}</th>
              <th scope="col">Median</th>
              <th scope="col">p90</th>
              <th scope="col">Tickets</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td>{formatHours(row.medianHours)}</td>
                <td>{formatHours(row.p90Hours)}</td>
                <td>{row.sampleSize}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <BarChart
        data={rows}
        layout="vertical"
        margin={{ top: 8, right: 24, bottom: 24, left: 8 }}
        responsive
        style={{ width: '100%', height: Math.max(160, 48 + rows.length * 44) }}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          ticks={ticks}
          domain={[0, ticks[ticks.length - 1] ?? 1]}
          tickFormatter={formatHoursTick}
          tick={axisTick}
          label={{ value: 'calendar time waiting', position: 'insideBottom', offset: -12, fontSize: 12 }}
        />
        <YAxis type="category" dataKey="label" width={150} tick={axisTick} />
        <Tooltip
          formatter={(value, name) => [formatHours(Number(value)), name]}
          labelFormatter={(label, payload) => {
            const row = payload[0]?.payload as ChartRow | undefined;
            return row ? `${String(label)} · ${formatCount(row.sampleSize, 'ticket')}` : String(label);
          }}
        />
        <Legend verticalAlign="top" height={28} formatter={legendText} />
        <Bar dataKey="medianHours" name="Median" fill={CHART_COLOURS.blue} isAnimationActive={false} />
        <Bar dataKey="p90Hours" name="p90" fill={CHART_COLOURS.orange} isAnimationActive={false} />
      </BarChart>
    </ChartFrame>
  );
}
