import { Bar, BarChart, CartesianGrid, ErrorBar, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART_COLOURS, ChartFrame } from '../team/chart-frame.tsx';
import type { FrictionRow } from './friction.types.ts';
import { formatHoursPerWeek } from './friction-format.ts';

const axisTick = { fontSize: 12, fill: '#424a53' };

/** Hours lost per week per friction point, in the server's order, with the survey teams' 95 % interval. */
export function FrictionChart({ rows }: { rows: FrictionRow[] }) {
  const data = rows
    .filter((row) => row.hoursPerWeek !== null)
    .map((row) => ({
      label: row.friction.title,
      hours: row.hoursPerWeek ?? 0,
      error: row.interval
        ? [
            Math.max(0, (row.hoursPerWeek ?? 0) - row.interval.low),
            row.interval.high - (row.hoursPerWeek ?? 0),
          ]
        : [0, 0],
      interval: row.interval,
    }));
  return (
    <ChartFrame
      title="Developer-hours lost per week"
      description="Each friction point's hours across teams (survey where published, else tickets and delivery telemetry); whiskers: the survey's 95 % interval."
      table={
        <table className="chart-table">
          <thead>
            <tr>
              <th scope="col">Friction</th>
              <th scope="col">Hours lost</th>
              <th scope="col">95 % interval</th>
            </tr>
          </thead>
          <tbody>
            {data.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td>{formatHoursPerWeek(row.hours)}</td>
                <td>
                  {row.interval
                    ? `${formatHoursPerWeek(row.interval.low)} – ${formatHoursPerWeek(row.interval.high)}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <BarChart
        data={data}
        layout="vertical"
        margin={{ top: 8, right: 32, bottom: 24, left: 8 }}
        responsive
        style={{ width: '100%', height: Math.max(160, 48 + data.length * 40) }}
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          tick={axisTick}
          label={{ value: 'developer-hours per week', position: 'insideBottom', offset: -12, fontSize: 12 }}
        />
        <YAxis type="category" dataKey="label" width={220} tick={axisTick} />
        <Tooltip formatter={(value) => [formatHoursPerWeek(Number(value)), 'Hours lost']} />
        <Bar dataKey="hours" name="Hours lost" fill={CHART_COLOURS.blue} isAnimationActive={false}>
          <ErrorBar dataKey="error" width={6} stroke="#1b1f24" direction="x" />
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
