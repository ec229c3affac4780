import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Survey } from '../../scorecards/survey.schema.ts';
import type { Clock } from '../clock.ts';
import type { AlertRule } from '../config/alerts-config.ts';
import type { AppConfig } from '../config/config.ts';
import { enqueueNotification } from '../db/alert-notifications.repository.ts';
import {
  addAlertEvent,
  insertAlert,
  resolveAlert,
  unresolvedAlerts,
  updateAlertEvaluation,
  updateFiredWindow,
} from '../db/alerts.repository.ts';
import type { AlertRow } from '../db/alerts.repository.ts';
import type { Database } from '../db/tables.ts';
import { runUnderLease } from '../jobs/job-lease.ts';
import { alertSeries } from '../metrics/alert-series.ts';
import { startOfUtcDay } from '../time.ts';
import { METRIC_KINDS } from './alert-types.ts';
import type { Figures, Outcome, SeriesSample, TeamEvaluation } from './alert-types.ts';
import { byTeam, evaluateRule, surveyDriverRef, teamFigures, windowsAt } from './evaluate-rule.ts';
import { formatChange, formatValue, planLifecycle } from './lifecycle.ts';
import type { LifecycleAction, OpenAlertState } from './lifecycle.ts';
import { alertLinks, summarize } from './notification-payloads.ts';
import { surveyShareSamples } from './survey-share.ts';
import type { AlertMessage, NotificationKind } from './notification-payloads.ts';

export const EVALUATE_JOB = 'alerts-evaluate';

export interface AlertsContext {
  db: Kysely<Database>;
  clock: Clock;
  config: AppConfig;
  /** The survey rounds (scorecards/surveys, or surveys.dir); loaded from the configuration when not given. */
  surveys?: readonly Survey[] | undefined;
}

export interface TeamRef {
  id: number;
  slug: string;
  name: string;
}

export interface RuleReport {
  rule: string;
  metric: string;
  asOf: string;
  outcomes: Record<Outcome, number>;
  /** What the evaluation did (or, in a dry run, would do), one line per step. */
  actions: { kind: LifecycleAction['kind']; team: string; alertId: number | null; message: string }[];
}

export interface EvaluationReport {
  dryRun: boolean;
  asOf: string;
  rules: RuleReport[];
}

/** The dashboard's address for links in notifications. */
export function dashboardUrl(config: AppConfig): string {
  const { host, port } = config.server;
  return config.org.alerts.dashboardUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Evaluates every rule (or the named one) as of midnight UTC today — so evaluations within a day agree —
 * under the evaluator's job lease: two servers on one database evaluate once. A dry run writes nothing.
 */
export async function evaluateAlerts(
  ctx: AlertsContext,
  options: { dryRun?: boolean; rule?: string } = {},
): Promise<{ ran: false; reason: string } | { ran: true; report: EvaluationReport }> {
  const rules = ctx.config.org.alerts.rules.filter((rule) => !options.rule || rule.name === options.rule);
  const asOf = startOfUtcDay(ctx.clock.now());
  const evaluate = async () => {
    const teams = await activeTeams(ctx.db);
    const reports: RuleReport[] = [];
    for (const rule of rules)
      reports.push(await evaluateOneRule(ctx, rule, teams, asOf, options.dryRun ?? false));
    return { dryRun: options.dryRun ?? false, asOf: asOf.toISOString(), rules: reports };
  };
  if (options.dryRun) return { ran: true, report: await evaluate() };
  const result = await runUnderLease({ db: ctx.db, clock: ctx.clock, job: EVALUATE_JOB }, evaluate);
  return result.ran ? { ran: true, report: result.value } : result;
}

async function activeTeams(db: Kysely<Database>): Promise<TeamRef[]> {
  return db
    .selectFrom('teams')
    .select(['id', 'slug', 'name'])
    .where('retiredAt', 'is', null)
    .orderBy('slug')
    .execute();
}

/** The teams a rule covers: those it names, or every active team. */
export function ruleTeams(rule: AlertRule, teams: readonly TeamRef[]): TeamRef[] {
  return rule.teams ? teams.filter((team) => rule.teams?.includes(team.slug)) : [...teams];
}

/**
 * Samples from the start of the earliest window needed (an open alert's may be older) to `asOf`; for a survey
 * driver, every round published by `asOf` (a handful).
 */
export async function ruleSamples(
  ctx: AlertsContext,
  rule: AlertRule,
  from: Date,
  asOf: Date,
): Promise<Map<number, SeriesSample[]>> {
  if (rule.metric === 'surveyDriver') return byTeam(await surveyShareSamples(ctx, rule, asOf));
  const samples = await alertSeries(
    ctx.db,
    rule,
    { from, to: asOf },
    { productionEnvironments: ctx.config.org.productionEnvironments, tickets: ctx.config.org.tickets },
  );
  return byTeam(samples);
}

async function evaluateOneRule(
  ctx: AlertsContext,
  rule: AlertRule,
  allTeams: readonly TeamRef[],
  asOf: Date,
  dryRun: boolean,
): Promise<RuleReport> {
  const teams = ruleTeams(rule, allTeams);
  const open = (await unresolvedAlerts(ctx.db, rule.name)).map(openState);
  const earliest = Math.min(
    windowsAt(rule, asOf).baseline.from.getTime(),
    ...open.map((alert) => windowsAt(rule, alert.firedWindowTo).baseline.from.getTime()),
  );
  const samples = await ruleSamples(ctx, rule, new Date(earliest), asOf);
  const evaluations = evaluateRule(
    rule,
    samples,
    teams.map((team) => team.id),
    asOf,
  );
  // Late data: the window each open alert fired on, recomputed from what the database holds now.
  const refigured = new Map<number, Figures>();
  for (const alert of open) {
    const { testable: _testable, ...figures } = teamFigures(
      rule,
      samples.get(alert.teamId) ?? [],
      windowsAt(rule, alert.firedWindowTo),
    );
    refigured.set(alert.id, { ...figures, qValue: alert.fired.qValue });
  }
  const actions = planLifecycle(rule, evaluations, open, refigured);
  const slugOf = new Map(allTeams.map((team) => [team.id, team]));
  const outcomes: Record<Outcome, number> = { fires: 0, within: 0, unconfirmed: 0, 'too-few': 0 };
  for (const evaluation of evaluations) outcomes[evaluation.outcome]++;
  const report: RuleReport = {
    rule: rule.name,
    metric: rule.metric,
    asOf: asOf.toISOString(),
    outcomes,
    actions: [],
  };
  await (dryRun
    ? Promise.resolve()
    : ctx.db.transaction().execute(async (trx) => {
        for (const action of actions) {
          const team = slugOf.get(action.teamId) as TeamRef;
          const alertId = await applyAction({ ...ctx, db: trx }, rule, action, team, asOf);
          report.actions.push({
            kind: action.kind,
            team: team.slug,
            alertId,
            message: describe(rule, action),
          });
        }
      }));
  if (dryRun) {
    for (const action of actions) {
      const team = slugOf.get(action.teamId) as TeamRef;
      report.actions.push({
        kind: action.kind,
        team: team.slug,
        alertId: action.kind === 'open' ? null : action.alertId,
        message: describe(rule, action),
      });
    }
  }
  return report;
}

function openState(row: AlertRow): OpenAlertState {
  return {
    id: row.id,
    teamId: row.teamId,
    severity: row.severity,
    firedWindowFrom: row.firedWindowFrom,
    firedWindowTo: row.firedWindowTo,
    fired: row.fired as Figures,
  };
}

function describe(rule: AlertRule, action: LifecycleAction): string {
  const kind = METRIC_KINDS[rule.metric];
  switch (action.kind) {
    case 'open': {
      const { figures, severity } = action.evaluation;
      return `opened (${severity ?? ''}): ${formatValue(kind, figures.baseline.value)} → ${formatValue(kind, figures.recent.value)} (${formatChange(figures.change, kind)}, q = ${figures.qValue?.toPrecision(2) ?? 'n/a'})`;
    }
    case 'update':
      return action.message ?? `still ${formatChange(action.evaluation.figures.change, kind)}`;
    case 'resolve':
    case 'late-data':
      return action.message;
  }
}

async function applyAction(
  ctx: AlertsContext,
  rule: AlertRule,
  action: LifecycleAction,
  team: TeamRef,
  asOf: Date,
): Promise<number | null> {
  const now = ctx.clock.now();
  switch (action.kind) {
    case 'open': {
      const { evaluation } = action;
      const windows = windowsAt(rule, asOf);
      const id = await insertAlert(ctx.db, {
        rule: rule.name,
        metric: rule.metric,
        teamId: team.id,
        severity: evaluation.severity ?? 'warning',
        openedAt: asOf,
        // A survey driver's window is the latest round (to `asOf`, which re-reads the same rounds later).
        firedWindowFrom: evaluation.figures.recent.round
          ? new Date(evaluation.figures.recent.from)
          : windows.recent.from,
        firedWindowTo: windows.recent.to,
        fired: evaluation.figures,
        drivers: evaluation.drivers,
      });
      if (id === null) return null;
      await addAlertEvent(ctx.db, { alertId: id, at: now, kind: 'opened', message: describe(rule, action) });
      await notify(ctx, rule, team, id, 'fired', evaluation, now);
      return id;
    }
    case 'update': {
      const fires = action.evaluation.outcome === 'fires';
      await updateAlertEvaluation(ctx.db, action.alertId, {
        severity: action.severity,
        latest: action.evaluation.figures,
        drivers: fires ? action.evaluation.drivers : null,
        now,
      });
      if (action.severityChange || action.message) {
        await addAlertEvent(ctx.db, {
          alertId: action.alertId,
          at: now,
          kind: action.severityChange ?? 'kept-open',
          message: describe(rule, action),
        });
      }
      if (action.severityChange === 'escalated') {
        await notify(ctx, rule, team, action.alertId, 'escalated', action.evaluation, now);
      }
      return action.alertId;
    }
    case 'resolve':
      await resolveAlert(ctx.db, action.alertId, { latest: action.evaluation.figures, now: asOf });
      await addAlertEvent(ctx.db, {
        alertId: action.alertId,
        at: now,
        kind: 'resolved',
        message: action.message,
      });
      await notify(ctx, rule, team, action.alertId, 'resolved', action.evaluation, now);
      return action.alertId;
    case 'late-data':
      await updateFiredWindow(ctx.db, action.alertId, { fired: action.fired, note: action.message, now });
      await addAlertEvent(ctx.db, {
        alertId: action.alertId,
        at: now,
        kind: 'late-data',
        message: action.message,
      });
      return action.alertId;
  }
}

/** Queues one notification per channel of the rule, in the evaluation's transaction (the outbox). */
async function notify(
  ctx: AlertsContext,
  rule: AlertRule,
  team: TeamRef,
  alertId: number,
  kind: NotificationKind,
  evaluation: TeamEvaluation,
  now: Date,
): Promise<void> {
  const message = alertMessage(ctx.config, rule, team, alertId, kind, evaluation);
  for (const channel of rule.channels) {
    await enqueueNotification(ctx.db, {
      deliveryId: randomUUID(),
      alertId,
      channel,
      kind,
      payload: message,
      now,
    });
  }
}

export function alertMessage(
  config: AppConfig,
  rule: AlertRule,
  team: TeamRef,
  alertId: number | null,
  kind: NotificationKind,
  evaluation: Pick<TeamEvaluation, 'figures' | 'drivers' | 'severity'>,
): AlertMessage {
  const base = {
    kind,
    alertId,
    rule: rule.name,
    metric: rule.metric,
    team: { slug: team.slug, name: team.name },
    severity: evaluation.severity ?? 'warning',
    figures: evaluation.figures,
    // A survey driver's alert names its driver in every message, a resolution's too.
    drivers:
      rule.driver === null
        ? evaluation.drivers
        : { ...evaluation.drivers, survey: surveyDriverRef(rule.driver) },
    links: alertLinks(dashboardUrl(config), alertId, team.slug, rule.metric, evaluation.figures.recent),
  };
  return { ...base, summary: summarize(base) };
}
