import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { AlertSeverity, AlertStatus, Database } from './tables.ts';

/** An alert as stored, with its team; the JSON columns are typed by server/alerts. */
export interface AlertRow {
  id: number;
  rule: string;
  metric: string;
  teamId: number;
  teamSlug: string;
  teamName: string;
  status: AlertStatus;
  severity: AlertSeverity;
  openedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  firedWindowFrom: Date;
  firedWindowTo: Date;
  fired: unknown;
  latest: unknown;
  drivers: unknown;
  lateDataNote: string | null;
  lastEvaluatedAt: Date;
}

const alertColumns = [
  'a.id',
  'a.rule',
  'a.metric',
  'a.teamId',
  't.slug as teamSlug',
  't.name as teamName',
  'a.status',
  'a.severity',
  'a.openedAt',
  'a.acknowledgedAt',
  'a.acknowledgedBy',
  'a.resolvedAt',
  'a.firedWindowFrom',
  'a.firedWindowTo',
  'a.fired',
  'a.latest',
  'a.drivers',
  'a.lateDataNote',
  'a.lastEvaluatedAt',
] as const;

function alertsWithTeams(db: Kysely<Database>) {
  return db.selectFrom('alerts as a').innerJoin('teams as t', 't.id', 'a.teamId').select(alertColumns);
}

/** A rule's alerts that are open or acknowledged (at most one per team). */
export async function unresolvedAlerts(db: Kysely<Database>, rule: string): Promise<AlertRow[]> {
  return alertsWithTeams(db).where('a.rule', '=', rule).where('a.status', '<>', 'resolved').execute();
}

export interface AlertFilter {
  status?: AlertStatus | undefined;
  team?: string | undefined;
  limit?: number | undefined;
}

/** Open first, then acknowledged, then resolved; newest first within each. */
export async function listAlerts(db: Kysely<Database>, filter: AlertFilter): Promise<AlertRow[]> {
  let query = alertsWithTeams(db);
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.team) query = query.where('t.slug', '=', filter.team);
  return query
    .orderBy(sql`case a.status when 'open' then 0 when 'acknowledged' then 1 else 2 end`)
    .orderBy('a.openedAt', 'desc')
    .orderBy('a.id', 'desc')
    .limit(filter.limit ?? 500)
    .execute();
}

export async function findAlert(db: Kysely<Database>, id: number): Promise<AlertRow | undefined> {
  return alertsWithTeams(db).where('a.id', '=', id).executeTakeFirst();
}

export async function alertEvents(
  db: Kysely<Database>,
  alertIds: readonly number[],
): Promise<{ alertId: number; at: Date; kind: string; message: string }[]> {
  if (alertIds.length === 0) return [];
  return db
    .selectFrom('alertEvents')
    .select(['alertId', 'at', 'kind', 'message'])
    .where('alertId', 'in', [...alertIds])
    .orderBy('id')
    .execute();
}

export async function countAlertsByStatus(db: Kysely<Database>): Promise<Record<AlertStatus, number>> {
  const rows = await db
    .selectFrom('alerts')
    .select(['status', sql<number>`count(*)::integer`.as('count')])
    .groupBy('status')
    .execute();
  const counts: Record<AlertStatus, number> = { open: 0, acknowledged: 0, resolved: 0 };
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}

export interface NewAlert {
  rule: string;
  metric: string;
  teamId: number;
  severity: AlertSeverity;
  openedAt: Date;
  firedWindowFrom: Date;
  firedWindowTo: Date;
  fired: unknown;
  drivers: unknown;
}

/**
 * Opens an alert; null when the rule × team already has an unresolved one (the unique index decides, so two
 * evaluators racing past the lease still make one).
 */
export async function insertAlert(db: Kysely<Database>, alert: NewAlert): Promise<number | null> {
  const fired = JSON.stringify(alert.fired);
  const row = await db
    .insertInto('alerts')
    .values({
      rule: alert.rule,
      metric: alert.metric,
      teamId: alert.teamId,
      status: 'open',
      severity: alert.severity,
      openedAt: alert.openedAt,
      firedWindowFrom: alert.firedWindowFrom,
      firedWindowTo: alert.firedWindowTo,
      fired,
      latest: fired,
      drivers: JSON.stringify(alert.drivers),
      lastEvaluatedAt: alert.openedAt,
      updatedAt: alert.openedAt,
    })
    .onConflict((oc) => oc.columns(['rule', 'teamId']).where('status', '<>', 'resolved').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function updateAlertEvaluation(
  db: Kysely<Database>,
  id: number,
  update: { severity: AlertSeverity; latest: unknown; drivers: unknown | null; now: Date },
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({
      severity: update.severity,
      latest: JSON.stringify(update.latest),
      ...(update.drivers === null ? {} : { drivers: JSON.stringify(update.drivers) }),
      lastEvaluatedAt: update.now,
      updatedAt: update.now,
    })
    .where('id', '=', id)
    .execute();
}

export async function updateFiredWindow(
  db: Kysely<Database>,
  id: number,
  update: { fired: unknown; note: string; now: Date },
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({ fired: JSON.stringify(update.fired), lateDataNote: update.note, updatedAt: update.now })
    .where('id', '=', id)
    .execute();
}

export async function resolveAlert(
  db: Kysely<Database>,
  id: number,
  update: { latest: unknown; now: Date },
): Promise<void> {
  await db
    .updateTable('alerts')
    .set({
      status: 'resolved',
      resolvedAt: update.now,
      latest: JSON.stringify(update.latest),
      lastEvaluatedAt: update.now,
      updatedAt: update.now,
    })
    .where('id', '=', id)
    .execute();
}

/** Acknowledges an open alert; false when it is not open (already acknowledged or resolved). */
export async function acknowledgeAlert(
  db: Kysely<Database>,
  id: number,
  by: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('alerts')
    .set({ status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: by, updatedAt: now })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function addAlertEvent(
  db: Kysely<Database>,
  event: { alertId: number; at: Date; kind: string; message: string },
): Promise<void> {
  await db.insertInto('alertEvents').values(event).execute();
}

/** Where a team's alerts fired and resolved (the markers on its lead-time chart). */
export async function teamAlertSpans(
  db: Kysely<Database>,
  teamSlug: string,
  metric: string,
): Promise<{ id: number; openedAt: Date; resolvedAt: Date | null; severity: AlertSeverity; rule: string }[]> {
  return db
    .selectFrom('alerts as a')
    .innerJoin('teams as t', 't.id', 'a.teamId')
    .select(['a.id', 'a.openedAt', 'a.resolvedAt', 'a.severity', 'a.rule'])
    .where('t.slug', '=', teamSlug)
    .where('a.metric', '=', metric)
    .orderBy('a.openedAt')
    .execute();
}
