import type { AlertRule } from '../config/alerts-config.ts';
import type { AlertSeverity } from '../db/tables.ts';
import { METRIC_KINDS } from './alert-types.ts';
import type { Figures, MetricKind, TeamEvaluation, WindowFigures } from './alert-types.ts';
import { worsening } from './evaluate-rule.ts';

/** What the lifecycle needs of an alert that is open or acknowledged. */
export interface OpenAlertState {
  id: number;
  teamId: number;
  severity: AlertSeverity;
  firedWindowFrom: Date;
  firedWindowTo: Date;
  fired: Figures;
}

export type LifecycleAction =
  | { kind: 'open'; teamId: number; evaluation: TeamEvaluation }
  | {
      kind: 'update';
      alertId: number;
      teamId: number;
      evaluation: TeamEvaluation;
      severity: AlertSeverity;
      /** Set when the severity moved: escalations notify, de-escalations are recorded. */
      severityChange: 'escalated' | 'deescalated' | null;
      message: string | null;
    }
  | { kind: 'resolve'; alertId: number; teamId: number; evaluation: TeamEvaluation; message: string }
  | { kind: 'late-data'; alertId: number; teamId: number; fired: Figures; message: string };

/**
 * Turns one evaluation of a rule into lifecycle steps: a firing team without an open alert gets one; an open
 * alert is updated (never duplicated), and resolved once a full recent window is back within minChange of the
 * baseline it fired against; a window it fired on that late data changed (`refigured`) is updated, and says so.
 * Pure: the evaluator applies the steps, the dry run prints them, the backtest replays them.
 */
export function planLifecycle(
  rule: AlertRule,
  evaluations: readonly TeamEvaluation[],
  open: readonly OpenAlertState[],
  refigured: ReadonlyMap<number, Figures> = new Map(),
): LifecycleAction[] {
  const kind = METRIC_KINDS[rule.metric];
  const openByTeam = new Map(open.map((alert) => [alert.teamId, alert]));
  const actions: LifecycleAction[] = [];
  for (const evaluation of evaluations) {
    const alert = openByTeam.get(evaluation.teamId);
    if (!alert) {
      if (evaluation.outcome === 'fires')
        actions.push({ kind: 'open', teamId: evaluation.teamId, evaluation });
      continue;
    }
    const late = refigured.get(alert.id);
    const lateMessage = late ? lateDataMessage(kind, alert, late) : null;
    if (late && lateMessage) {
      actions.push({
        kind: 'late-data',
        alertId: alert.id,
        teamId: alert.teamId,
        fired: late,
        message: lateMessage,
      });
    }
    const baseline = (late ?? alert.fired).baseline.value;
    const recent = evaluation.figures.recent;
    const judged = kind === 'rate' || recent.samples >= rule.minSamples;
    if (
      judged &&
      baseline !== null &&
      recent.value !== null &&
      worsening(kind, baseline, recent.value) < rule.minChange
    ) {
      actions.push({
        kind: 'resolve',
        alertId: alert.id,
        teamId: alert.teamId,
        evaluation,
        message:
          kind === 'share'
            ? `back within the threshold in ${recent.round?.quarter ?? 'the latest round'}: ${formatValue(kind, recent.value)} against ${formatValue(kind, baseline)} before it fired (${recent.samples} respondents)`
            : `back within the threshold for a full window: ${formatValue(kind, recent.value)} against the baseline's ${formatValue(kind, baseline)} (${recent.samples} samples)`,
      });
      continue;
    }
    const severity = evaluation.severity ?? alert.severity;
    const severityChange =
      severity === alert.severity
        ? null
        : severity === 'critical'
          ? ('escalated' as const)
          : ('deescalated' as const);
    actions.push({
      kind: 'update',
      alertId: alert.id,
      teamId: alert.teamId,
      evaluation,
      severity,
      severityChange,
      message: severityChange
        ? `${severityChange} to ${severity}: ${formatChange(evaluation.figures.change, kind)} (${formatValue(kind, recent.value)})`
        : evaluation.outcome === 'too-few'
          ? kind === 'share'
            ? // Never the withheld round's count: a suppressed team's result has no numbers at all.
              'the latest round is withheld for this team or has too few respondents to judge; kept open'
            : `too few samples in the latest window to judge (${recent.samples}); kept open`
          : null,
    });
  }
  return actions;
}

function lateDataMessage(kind: MetricKind, alert: OpenAlertState, late: Figures): string | null {
  const parts: string[] = [];
  const describe = (name: string, before: WindowFigures, after: WindowFigures) => {
    if (before.samples === after.samples && sameValue(before.value, after.value)) return;
    parts.push(
      `${name} ${before.samples} → ${after.samples} samples, ${formatValue(kind, before.value)} → ${formatValue(kind, after.value)}`,
    );
  };
  describe('recent', alert.fired.recent, late.recent);
  describe('baseline', alert.fired.baseline, late.baseline);
  if (parts.length === 0) return null;
  const day = (at: Date) => at.toISOString().slice(0, 10);
  return `late data changed the window it fired on (${day(alert.firedWindowFrom)} – ${day(alert.firedWindowTo)}): ${parts.join('; ')}`;
}

const sameValue = (a: number | null, b: number | null) =>
  a === b || (a !== null && b !== null && Math.abs(a - b) < 1e-9);

export function formatValue(kind: MetricKind, value: number | null): string {
  if (value === null) return 'no data';
  if (kind === 'duration') return `${value.toFixed(1)} h`;
  if (kind === 'proportion') return `${(value * 100).toFixed(1)} %`;
  if (kind === 'share') return `${(value * 100).toFixed(1)} % favourable`;
  return `${value.toFixed(2)}/day`;
}

/** How much worse, signed as the figure moved: a favourable share that dropped by a quarter is −25 %. */
export function formatChange(change: number | null, kind: MetricKind = 'duration'): string {
  if (change === null) return 'n/a';
  const moved = kind === 'share' ? -change : change;
  return `${moved >= 0 ? '+' : '-'}${Math.round(Math.abs(moved) * 100)} %`;
}
