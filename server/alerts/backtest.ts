import type { AlertRule } from '../config/alerts-config.ts';
import type { AlertMetric } from '../config/alerts.schema.ts';
import type { AlertSeverity } from '../db/tables.ts';
import { DAY_MS } from '../time.ts';
import { METRIC_KINDS } from './alert-types.ts';
import type { SeriesSample } from './alert-types.ts';
import { evaluateRule, windowsAt } from './evaluate-rule.ts';
import { formatChange, planLifecycle } from './lifecycle.ts';
import type { OpenAlertState } from './lifecycle.ts';

export interface BacktestFiring {
  team: string;
  firedAt: string;
  severity: AlertSeverity;
  /** The change when it fired (0.3: 30 % worse). */
  change: number | null;
  /** When it resolved; null: still open at the end of the backtest. */
  resolvedAt: string | null;
}

export interface BacktestResult {
  rule: string;
  metric: AlertMetric;
  from: string;
  to: string;
  days: number;
  teams: number;
  firings: BacktestFiring[];
  /** How often the rule fired per team per quarter (only where it did). */
  perTeamPerQuarter: { team: string; quarter: string; firings: number }[];
}

/**
 * Replays a rule day by day over the `days` before `asOf` (each day evaluated as the daily schedule would,
 * with the same lifecycle), so its thresholds can be tuned before anyone is paged. Pure.
 */
export function replayRule(
  rule: AlertRule,
  samplesByTeam: ReadonlyMap<number, readonly SeriesSample[]>,
  teams: readonly { id: number; slug: string }[],
  asOf: Date,
  days: number,
): BacktestResult {
  const slugs = new Map(teams.map((team) => [team.id, team.slug]));
  const open = new Map<number, OpenAlertState & { firing: BacktestFiring }>();
  const firings: BacktestFiring[] = [];
  let nextId = 1;
  const from = new Date(asOf.getTime() - days * DAY_MS);
  for (let day = from.getTime() + DAY_MS; day <= asOf.getTime(); day += DAY_MS) {
    const at = new Date(day);
    const evaluations = evaluateRule(
      rule,
      samplesByTeam,
      teams.map((team) => team.id),
      at,
    );
    for (const action of planLifecycle(rule, evaluations, [...open.values()])) {
      if (action.kind === 'open') {
        const windows = windowsAt(rule, at);
        const firing: BacktestFiring = {
          team: slugs.get(action.teamId) ?? String(action.teamId),
          firedAt: at.toISOString().slice(0, 10),
          severity: action.evaluation.severity ?? 'warning',
          change: action.evaluation.figures.change,
          resolvedAt: null,
        };
        firings.push(firing);
        open.set(action.teamId, {
          id: nextId++,
          teamId: action.teamId,
          severity: firing.severity,
          firedWindowFrom: windows.recent.from,
          firedWindowTo: windows.recent.to,
          fired: action.evaluation.figures,
          firing,
        });
      } else if (action.kind === 'resolve') {
        const alert = open.get(action.teamId);
        if (alert) alert.firing.resolvedAt = at.toISOString().slice(0, 10);
        open.delete(action.teamId);
      } else if (action.kind === 'update') {
        const alert = open.get(action.teamId);
        if (alert) alert.severity = action.severity;
      }
    }
  }
  const quarters = new Map<string, { team: string; quarter: string; firings: number }>();
  for (const firing of firings) {
    const quarter = `${firing.firedAt.slice(0, 4)}-Q${Math.floor((Number(firing.firedAt.slice(5, 7)) - 1) / 3) + 1}`;
    const key = `${firing.team} ${quarter}`;
    const entry = quarters.get(key) ?? { team: firing.team, quarter, firings: 0 };
    entry.firings++;
    quarters.set(key, entry);
  }
  return {
    rule: rule.name,
    metric: rule.metric,
    from: from.toISOString(),
    to: asOf.toISOString(),
    days,
    teams: teams.length,
    firings,
    perTeamPerQuarter: [...quarters.values()].sort(
      (a, b) => a.team.localeCompare(b.team) || a.quarter.localeCompare(b.quarter),
    ),
  };
}

/** The backtest as the CLI prints it. */
export function describeBacktest(result: BacktestResult): string[] {
  const lines = [
    `Backtest of rule ${result.rule} (${result.metric}) over ${result.days} days to ${result.to.slice(0, 10)}, ${result.teams} teams: ${result.firings.length} firing${result.firings.length === 1 ? '' : 's'}`,
  ];
  for (const firing of result.firings) {
    const change =
      firing.change === null ? '' : `, ${formatChange(firing.change, METRIC_KINDS[result.metric])}`;
    lines.push(
      `  ${firing.team}: fired ${firing.firedAt} (${firing.severity}${change}), ${firing.resolvedAt ? `resolved ${firing.resolvedAt}` : 'still open'}`,
    );
  }
  if (result.perTeamPerQuarter.length > 0) {
    lines.push('Firings per team per quarter:');
    for (const row of result.perTeamPerQuarter) lines.push(`  ${row.team} ${row.quarter}: ${row.firings}`);
  }
  return lines;
}
