import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Alerts on regressed metrics (server/alerts/): one row per firing, its history of lifecycle events, and the
// outbox of notifications the scheduler delivers. Frozen: later changes go in new migrations. Runs on
// PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table alerts (
      id bigint generated always as identity primary key,
      -- the rule's name in alerts.rules, and its metric when it fired
      rule text not null,
      metric text not null,
      team_id integer not null references teams (id),
      status text not null check (status in ('open', 'acknowledged', 'resolved')),
      severity text not null check (severity in ('warning', 'critical')),
      -- the evaluation that fired it: its recent window ends here
      opened_at timestamptz not null,
      acknowledged_at timestamptz,
      -- the token (or CLI user) that acknowledged it
      acknowledged_by text,
      resolved_at timestamptz,
      -- the recent window it fired on, and that window's figures (baseline, recent, change, p, q, samples);
      -- late data that changes the window updates them and sets late_data_note
      fired_window_from timestamptz not null,
      fired_window_to timestamptz not null,
      fired jsonb not null,
      -- the latest evaluation's figures
      latest jsonb not null,
      -- what drove it: the slowest changes in the window, the breakdown stage that moved
      drivers jsonb not null,
      late_data_note text,
      last_evaluated_at timestamptz not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
  `.execute(db);
  // One open (or acknowledged) alert per rule and team: re-evaluation updates it, a second evaluator's
  // insert conflicts instead of duplicating it.
  await sql`create unique index alerts_one_open on alerts (rule, team_id) where status <> 'resolved'`.execute(
    db,
  );
  await sql`create index alerts_by_status on alerts (status, opened_at desc)`.execute(db);
  await sql`create index alerts_by_team on alerts (team_id, opened_at desc)`.execute(db);
  await sql`
    create table alert_events (
      id bigint generated always as identity primary key,
      alert_id bigint not null references alerts (id),
      at timestamptz not null,
      -- opened, escalated, deescalated, late-data, acknowledged, resolved
      kind text not null,
      message text not null
    );
  `.execute(db);
  await sql`create index alert_events_by_alert on alert_events (alert_id, id)`.execute(db);
  await sql`
    create table alert_notifications (
      id bigint generated always as identity primary key,
      -- sent as X-Groundwork-Delivery: stable across retries and restarts, so receivers drop repeats
      delivery_id text not null unique,
      -- null for a channel test
      alert_id bigint references alerts (id),
      channel text not null,
      -- fired, escalated, resolved or test
      kind text not null,
      -- the message as built when it was queued (what every attempt sends)
      payload jsonb not null,
      status text not null check (status in ('pending', 'delivered')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      -- when a drain last claimed it, before sending: a send cut short by a crash shows as an attempt, and
      -- the next drain (which holds the outbox job's lease, so the old one is gone) sends it again
      claimed_at timestamptz,
      last_error text,
      delivered_at timestamptz,
      created_at timestamptz not null
    );
  `.execute(db);
  await sql`create index alert_notifications_due on alert_notifications (next_attempt_at) where status = 'pending'`.execute(
    db,
  );
}
