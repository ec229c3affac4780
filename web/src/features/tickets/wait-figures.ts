import { formatCount, formatHours, formatRate } from '../../lib/format.ts';
import { TICKET_DRILL_MEASURES } from '../../../../server/metrics/ticket-measures.ts';
import type { DrillMeasure, GroupBy, WaitFigures, WaitGroup } from './tickets.types.ts';

/**
 * How the "Waiting on others" page shows what the API computed: which figures, in which units, with their
 * sample sizes. Nothing here computes a wait.
 */

export const GROUP_BY_OPTIONS: { value: GroupBy; label: string; noun: string }[] = [
  { value: 'category', label: 'Request category', noun: 'category' },
  { value: 'servingTeam', label: 'Team that serves it', noun: 'serving team' },
  { value: 'requestingTeam', label: 'Team that asks', noun: 'requesting team' },
];

export function groupByFrom(search: URLSearchParams): GroupBy {
  const value = search.get('groupBy');
  return GROUP_BY_OPTIONS.find((option) => option.value === value)?.value ?? 'category';
}

export function drillMeasureFrom(search: URLSearchParams): DrillMeasure | null {
  const value = search.get('drill');
  return TICKET_DRILL_MEASURES.find((measure) => measure === value) ?? null;
}

export interface FigureView {
  measure: DrillMeasure;
  value: string;
  detail: string;
  sample: string;
  /** Why there is no figure; null when there is one. */
  reason: string | null;
  /** Tickets behind it: 0 means nothing to drill into. */
  count: number;
}

export interface Column {
  measure: DrillMeasure;
  title: string;
  unit: string;
  /** What a drill-down's rows are. */
  rows: [string, string];
}

export const COLUMNS: readonly Column[] = [
  {
    measure: 'waitBeforeStart',
    title: 'Wait before start',
    unit: 'median · p90, by start',
    rows: ['ticket started', 'tickets started'],
  },
  {
    measure: 'totalWait',
    title: 'Total wait',
    unit: 'median, incl. bounces and reopens',
    rows: ['ticket resolved', 'tickets resolved'],
  },
  {
    measure: 'flowEfficiency',
    title: 'Flow efficiency',
    unit: 'in progress ÷ (in progress + waiting)',
    rows: ['ticket resolved', 'tickets resolved'],
  },
  {
    measure: 'timeToFirstResponse',
    title: 'First response',
    unit: 'median',
    rows: ['first response', 'first responses'],
  },
  {
    measure: 'timeToResolution',
    title: 'Resolution',
    unit: 'median, created → resolved',
    rows: ['ticket resolved', 'tickets resolved'],
  },
  {
    measure: 'stillWaiting',
    title: 'Still waiting',
    unit: 'not started; oldest age',
    rows: ['ticket still waiting', 'tickets still waiting'],
  },
];

const none = (reason: string | undefined) => reason ?? 'no data';

/** One group's (or all tickets') figures, in the order of `COLUMNS`. */
export function figureViews(figures: WaitFigures): FigureView[] {
  const { waitBeforeStart, totalWait, flowEfficiency, timeToFirstResponse, timeToResolution, stillWaiting } =
    figures;
  const sample = (count: number, singular: string, plural?: string) =>
    `n = ${formatCount(count, singular, plural)}`;
  return [
    {
      measure: 'waitBeforeStart',
      value: formatHours(waitBeforeStart.medianHours),
      detail: waitBeforeStart.p90Hours === null ? '' : `p90 ${formatHours(waitBeforeStart.p90Hours)}`,
      sample: sample(waitBeforeStart.sampleSize, 'ticket'),
      reason: waitBeforeStart.medianHours === null ? none(waitBeforeStart.reason) : null,
      count: waitBeforeStart.sampleSize,
    },
    {
      measure: 'totalWait',
      value: formatHours(totalWait.medianHours),
      detail: totalWait.totalHours === null ? '' : `${formatHours(totalWait.totalHours)} in all`,
      sample: sample(totalWait.sampleSize, 'ticket'),
      reason: totalWait.medianHours === null ? none(totalWait.reason) : null,
      count: totalWait.sampleSize,
    },
    {
      measure: 'flowEfficiency',
      value: formatRate(flowEfficiency.pooled),
      detail: flowEfficiency.median === null ? '' : `median ${formatRate(flowEfficiency.median)}`,
      sample: sample(flowEfficiency.sampleSize, 'ticket'),
      reason: flowEfficiency.pooled === null ? none(flowEfficiency.reason) : null,
      count: flowEfficiency.sampleSize,
    },
    {
      measure: 'timeToFirstResponse',
      value: formatHours(timeToFirstResponse.medianHours),
      detail: timeToFirstResponse.p90Hours === null ? '' : `p90 ${formatHours(timeToFirstResponse.p90Hours)}`,
      sample: sample(timeToFirstResponse.sampleSize, 'response'),
      reason: timeToFirstResponse.medianHours === null ? none(timeToFirstResponse.reason) : null,
      count: timeToFirstResponse.sampleSize,
    },
    {
      measure: 'timeToResolution',
      value: formatHours(timeToResolution.medianHours),
      detail: timeToResolution.p90Hours === null ? '' : `p90 ${formatHours(timeToResolution.p90Hours)}`,
      sample: sample(timeToResolution.sampleSize, 'ticket'),
      reason: timeToResolution.medianHours === null ? none(timeToResolution.reason) : null,
      count: timeToResolution.sampleSize,
    },
    {
      measure: 'stillWaiting',
      value: String(stillWaiting.count),
      detail:
        stillWaiting.oldestAgeHours === null ? '' : `oldest ${formatHours(stillWaiting.oldestAgeHours)}`,
      sample:
        stillWaiting.medianAgeHours === null ? '' : `median age ${formatHours(stillWaiting.medianAgeHours)}`,
      reason: null,
      count: stillWaiting.count,
    },
  ];
}

export interface ChartRow {
  label: string;
  medianHours: number;
  p90Hours: number;
  sampleSize: number;
}

/** The groups with a wait before start, in the API's order (slowest first), for the bar chart. */
export function chartRows(groups: readonly WaitGroup[]): ChartRow[] {
  return groups.flatMap((group) =>
    group.waitBeforeStart.medianHours === null || group.waitBeforeStart.p90Hours === null
      ? []
      : [
          {
            label: group.label,
            medianHours: group.waitBeforeStart.medianHours,
            p90Hours: group.waitBeforeStart.p90Hours,
            sampleSize: group.waitBeforeStart.sampleSize,
          },
        ],
  );
}
