import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/config.ts';
import { alertEvents, acknowledgeAlert, findAlert, listAlerts } from '../db/alerts.repository.ts';
import type { AlertFilter, AlertRow } from '../db/alerts.repository.ts';
import { notificationsFor } from '../db/alert-notifications.repository.ts';
import type { NotificationStatusRow } from '../db/alert-notifications.repository.ts';
import type { AlertSeverity, AlertStatus } from '../db/tables.ts';
import { AppError } from '../errors.ts';
import { DAY_MS, startOfUtcDay } from '../time.ts';
import type { Drivers, Figures } from './alert-types.ts';
import { replayRule } from './backtest.ts';
import type { BacktestResult } from './backtest.ts';
import { windowsAt } from './evaluate-rule.ts';
import { alertMessage, ruleSamples, ruleTeams } from './evaluator.ts';
import type { AlertsContext, TeamRef } from './evaluator.ts';
import { postToChannel } from './outbox.ts';
import { normalizeAlerts } from '../config/alerts-config.ts';

/** An alert as the API and the dashboard show it: what drove it, its history and its notifications. */
export interface AlertView {
  id: number;
  rule: string;
  metric: string;
  team: { slug: string; name: string };
  status: AlertStatus;
  severity: AlertSeverity;
  openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  firedWindow: { from: string; to: string };
  fired: Figures;
  latest: Figures;
  drivers: Drivers;
  lateDataNote: string | null;
  lastEvaluatedAt: string;
  events: { at: string; kind: string; message: string }[];
  notifications: {
    deliveryId: string;
    channel: string;
    kind: string;
    status: string;
    attempts: number;
    lastError: string | null;
    deliveredAt: string | null;
  }[];
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

function view(
  row: AlertRow,
  events: { alertId: number; at: Date; kind: string; message: string }[],
  notifications: NotificationStatusRow[],
): AlertView {
  return {
    id: row.id,
    rule: row.rule,
    metric: row.metric,
    team: { slug: row.teamSlug, name: row.teamName },
    status: row.status,
    severity: row.severity,
    openedAt: row.openedAt.toISOString(),
    acknowledgedAt: iso(row.acknowledgedAt),
    acknowledgedBy: row.acknowledgedBy,
    resolvedAt: iso(row.resolvedAt),
    firedWindow: { from: row.firedWindowFrom.toISOString(), to: row.firedWindowTo.toISOString() },
    fired: row.fired as Figures,
    latest: row.latest as Figures,
    drivers: row.drivers as Drivers,
    lateDataNote: row.lateDataNote,
    lastEvaluatedAt: row.lastEvaluatedAt.toISOString(),
    events: events
      .filter((event) => event.alertId === row.id)
      .map((event) => ({ at: event.at.toISOString(), kind: event.kind, message: event.message })),
    notifications: notifications
      .filter((notification) => notification.alertId === row.id)
      .map((notification) => ({
        deliveryId: notification.deliveryId,
        channel: notification.channel,
        kind: notification.kind,
        status: notification.status,
        attempts: notification.attempts,
        lastError: notification.lastError,
        deliveredAt: iso(notification.deliveredAt),
      })),
  };
}

/** Alerts, open first, then acknowledged, then resolved; newest first within each. */
export async function alertViews(ctx: Pick<AlertsContext, 'db'>, filter: AlertFilter): Promise<AlertView[]> {
  const rows = await listAlerts(ctx.db, filter);
  const ids = rows.map((row) => row.id);
  const [events, notifications] = await Promise.all([
    alertEvents(ctx.db, ids),
    notificationsFor(ctx.db, ids),
  ]);
  return rows.map((row) => view(row, events, notifications));
}

/** Acknowledges an open alert: 404 when there is none, 409 when it is not open. */
export async function acknowledge(
  ctx: Pick<AlertsContext, 'db' | 'clock'>,
  id: number,
  by: string,
): Promise<AlertView> {
  const now = ctx.clock.now();
  const done = await ctx.db.transaction().execute(async (trx) => {
    const existing = await findAlert(trx, id);
    if (!existing) throw new AppError(404, 'ALERT_NOT_FOUND', `no alert ${id}`, 'id');
    if (!(await acknowledgeAlert(trx, id, by, now))) {
      throw new AppError(409, 'ALERT_NOT_OPEN', `alert ${id} is ${existing.status}, not open`, 'id');
    }
    await trx
      .insertInto('alertEvents')
      .values({ alertId: id, at: now, kind: 'acknowledged', message: `acknowledged by ${by}` })
      .execute();
    return true;
  });
  const [acknowledged] = done ? await alertViews(ctx, {}).then((all) => all.filter((a) => a.id === id)) : [];
  return acknowledged as AlertView;
}

/** Replays a rule over the `days` before today (UTC) on the stored data. */
export async function backtestRule(
  ctx: AlertsContext,
  ruleName: string,
  days: number,
): Promise<BacktestResult> {
  const rule = ctx.config.org.alerts.rules.find((candidate) => candidate.name === ruleName);
  if (!rule) {
    const known = ctx.config.org.alerts.rules.map((candidate) => candidate.name).join(', ') || 'none';
    throw new AppError(404, 'RULE_NOT_FOUND', `no alert rule "${ruleName}"; configured: ${known}`, 'rule');
  }
  const asOf = startOfUtcDay(ctx.clock.now());
  const teams: TeamRef[] = await ctx.db
    .selectFrom('teams')
    .select(['id', 'slug', 'name'])
    .where('retiredAt', 'is', null)
    .orderBy('slug')
    .execute();
  const from = windowsAt(rule, new Date(asOf.getTime() - days * DAY_MS)).baseline.from;
  const samples = await ruleSamples(ctx, rule, from, asOf);
  return replayRule(rule, samples, ruleTeams(rule, teams), asOf, days);
}

/**
 * Sends a made-up alert to a channel now (not through the outbox), to check its URL and secret: null when
 * the receiver accepted it, else why not.
 */
export async function sendTestMessage(config: AppConfig, channelName: string): Promise<string | null> {
  const channel = config.alertChannels.find((candidate) => candidate.name === channelName);
  if (!channel) {
    const known = config.alertChannels.map((candidate) => candidate.name).join(', ') || 'none';
    return `no channel "${channelName}" in alerts.channels (configured: ${known})`;
  }
  const now = new Date();
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  // The first rule, or the default lead-time rule when none is configured.
  const rule =
    config.org.alerts.rules[0] ??
    normalizeAlerts({}, { teamSlugs: new Set(), ticketCategories: new Set() }).alerts.rules[0];
  if (!rule) return 'no alert rule to describe';
  const message = alertMessage(
    config,
    rule,
    { id: 0, slug: 'example-team', name: 'Example team' },
    null,
    'test',
    {
      severity: 'warning',
      figures: {
        baseline: { from: daysAgo(104), to: daysAgo(14), samples: 120, value: 20 },
        recent: { from: daysAgo(14), to: now.toISOString(), samples: 24, value: 30 },
        change: 0.5,
        pValue: 0.001,
        qValue: 0.004,
      },
      drivers: { top: [{ label: 'example/repository#1', value: 96, at: now.toISOString() }], stage: null },
    },
  );
  return postToChannel(channel, randomUUID(), message);
}
