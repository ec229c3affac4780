import { Bar, BarChart, LabelList, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { TooltipContentProps } from 'recharts';
import { Empty } from '../../components/status.tsx';
import { durationTicks, formatHours, formatHoursTick, formatSample } from '../../lib/format.ts';
import type { StageFigure } from '../metrics/metrics.types.ts';
import { CHART_COLOURS, legendText } from './chart-frame.tsx';

export type Breakdown = {
  coding: StageFigure;
  pickup: StageFigure;
  review: StageFigure;
  deployWait: StageFigure;
};

const STAGES = [
  {
    key: 'coding',
    label: 'Coding',
    meaning: 'first commit → pull request opened',
    colour: CHART_COLOURS.sky,
  },
  { key: 'pickup', label: 'Pickup', meaning: 'opened → first review', colour: CHART_COLOURS.orange },
  { key: 'review', label: 'Review', meaning: 'first review → merged', colour: CHART_COLOURS.pink },
  { key: 'deployWait', label: 'Deploy wait', meaning: 'merged → in production', colour: CHART_COLOURS.green },
] as const;

/**
 * The cycle-time breakdown from `leadTime.breakdown`: each stage's median, stacked in the order a change
 * goes through them. Medians of stages do not add up to the median lead time, and the caption says so.
 */
export function CycleTimeBreakdown({ breakdown }: { breakdown: Breakdown }) {
  if (STAGES.every((stage) => breakdown[stage.key].medianHours === null)) {
    return (
      <Empty>
        No pull-request data for this period: the breakdown needs pull requests with their first commit,
        review and merge times (the GitHub collector), shipped by a production deployment.
      </Empty>
    );
  }
  // The axis must reach the end of the stacked bar; this sum sizes the axis only and is never shown.
  const ticks = durationTicks(
    STAGES.reduce((sum, stage) => sum + (breakdown[stage.key].medianHours ?? 0), 0),
  );
  const row = Object.fromEntries([
    ['name', 'median'],
    ...STAGES.map((stage) => [stage.key, breakdown[stage.key].medianHours]),
  ]) as Record<string, string | number | null>;
  return (
    <figure className="chart">
      <figcaption>
        <p>
          Median time changes spent in each stage. Each stage has its own median and sample, so the stacked
          total is not the median lead time.
        </p>
      </figcaption>
      <div className="chart-body">
        <BarChart
          layout="vertical"
          data={[row]}
          margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
          responsive
          style={{ width: '100%', height: 150 }}
        >
          <XAxis
            type="number"
            tickFormatter={formatHoursTick}
            ticks={ticks}
            domain={[0, ticks.at(-1) ?? 'auto']}
            tick={{ fontSize: 12 }}
            label={{
              value: 'hours / days (median per stage)',
              position: 'insideBottom',
              offset: -4,
              fontSize: 12,
            }}
            height={40}
          />
          <YAxis type="category" dataKey="name" hide />
          <Tooltip
            cursor={false}
            content={({ active }: TooltipContentProps) =>
              active ? (
                <div className="chart-tooltip">
                  <strong>Median per stage</strong>
                  {STAGES.map((stage) => (
                    <div key={stage.key}>
                      <span className="swatch" style={{ background: stage.colour }} aria-hidden="true" />
                      {stage.label}: {formatHours(breakdown[stage.key].medianHours)} (
                      {formatSample(breakdown[stage.key].sampleSize, 'change')})
                    </div>
                  ))}
                </div>
              ) : null
            }
          />
          <Legend verticalAlign="top" height={28} itemSorter={null} formatter={legendText} />
          {STAGES.map((stage) => (
            <Bar
              key={stage.key}
              dataKey={stage.key}
              name={stage.label}
              stackId="stages"
              fill={stage.colour}
              isAnimationActive={false}
            >
              <LabelList
                dataKey={stage.key}
                position="center"
                fill="#1b1f24"
                fontSize={12}
                formatter={(value) => (typeof value === 'number' ? formatHours(value) : '')}
              />
            </Bar>
          ))}
        </BarChart>
      </div>
      <table className="breakdown-table">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">From → to</th>
            <th scope="col">Median</th>
            <th scope="col">Sample</th>
          </tr>
        </thead>
        <tbody>
          {STAGES.map((stage) => {
            const figure = breakdown[stage.key];
            return (
              <tr key={stage.key}>
                <th scope="row">
                  <span className="swatch" style={{ background: stage.colour }} aria-hidden="true" />
                  {stage.label}
                </th>
                <td>{stage.meaning}</td>
                <td>
                  {figure.medianHours === null ? (figure.reason ?? '—') : formatHours(figure.medianHours)}
                </td>
                <td>{formatSample(figure.sampleSize, 'change')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
