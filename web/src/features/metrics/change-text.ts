import { formatHours, formatPerWeek, formatRate } from '../../lib/format.ts';
import type { Change, ChangedMetric } from './metrics.types.ts';

/** A change against the previous period, in words: what the arrow and colour say, and what it was before. */
export interface ChangeView {
  direction: 'better' | 'worse' | 'unchanged';
  /** "▲ 3.3×", "▼ 5 pts", "±0". */
  text: string;
  /** "was 20 h", for the reader who wants the number. */
  was: string;
  smallSample: boolean;
}

const PREVIOUS: Record<ChangedMetric, (value: number) => string> = {
  deploymentFrequency: formatPerWeek,
  leadTime: formatHours,
  changeFailureRate: formatRate,
  recoveryTime: formatHours,
  reworkRate: formatRate,
};

const RATES = new Set<ChangedMetric>(['changeFailureRate', 'reworkRate']);

/** Null when either period has no figure: there is no change to show. */
export function describeChange(metric: ChangedMetric, change: Change | undefined): ChangeView | null {
  if (!change || change.direction === null || change.difference === null || change.previous === null)
    return null;
  const was = `was ${PREVIOUS[metric](change.previous)}`;
  if (change.direction === 'unchanged')
    return { direction: 'unchanged', text: '≈ same', was, smallSample: change.smallSample };
  const arrow = change.difference > 0 ? '▲' : '▼';
  let size: string;
  if (RATES.has(metric)) size = `${Math.round(Math.abs(change.difference) * 100)} pts`;
  else if (change.ratio !== null && (change.ratio >= 1.5 || change.ratio <= 0.67))
    size = `${change.ratio >= 1 ? change.ratio.toFixed(1) : (1 / change.ratio).toFixed(1)}×`;
  else if (change.ratio !== null) size = `${Math.round(Math.abs(change.ratio - 1) * 100)} %`;
  else size = 'from 0';
  return { direction: change.direction, text: `${arrow} ${size}`, was, smallSample: change.smallSample };
}
