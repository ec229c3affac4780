import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Closed periods' organisation figures, stored (issue #17, docs/performance.md). A closed period's figures
// change only when a late event lands in it, so each stored result keeps a stamp of the writes logged for
// its months and is recomputed only when that stamp moves. `delivery_month_writes` is that log: statement-
// level triggers add one row per write statement and calendar month (UTC) whose figures the write may
// change — in the writing transaction, whichever path wrote it. Rows are never deleted, so a stamp
// (count, newest id) moves with every committed write, even one committed out of id order. A row without a
// month changes every month (the set of teams).
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite.

const month = (column: string) => `date_trunc('month', ${column} at time zone 'UTC')::date`;

/** One select per transition table of `events`: the months (a query on `rows`, yielding `m`). */
const tables: { table: string; months: (rows: string) => string; global?: boolean }[] = [
  // deployment frequency, change failure rate, rework rate, lead time coverage
  { table: 'deployments', months: (rows) => `select ${month('finished_at')} as m from ${rows}` },
  {
    table: 'deployment_commits',
    months: (rows) =>
      `select ${month('d.finished_at')} as m from (select distinct deployment_id from ${rows}) r
        join deployments d on d.id = r.deployment_id`,
  },
  // lead time, through its facts (their refresh applies late commits and pull requests)
  { table: 'lead_time_facts', months: (rows) => `select ${month('at')} as m from ${rows}` },
  // recovery time by start; change failure rate by the deployment an incident is tied to
  {
    table: 'incidents',
    months: (rows) => `select ${month('r.started_at')} as m from ${rows} r
      union all select ${month('d.finished_at')} from ${rows} r join deployments d on d.id = r.deployment_id`,
  },
  { table: 'pull_requests', months: (rows) => `select ${month('merged_at')} as m from ${rows}` },
  // CI by the run's creation; time to green by when a stretch turned red — which a verdict arriving now
  // may close: every failure of the red stretch it ends (since the pipeline's previous pass) is logged too.
  {
    table: 'ci_runs',
    months: (rows) => `select ${month('run_created_at')} as m from ${rows}
      union all select ${month('finished_at')} from ${rows}
      union all select ${month('f.finished_at')} from ${rows} r
      join ci_runs f on f.repository_id = r.repository_id and f.pipeline = r.pipeline
        and f.branch_kind = 'default_branch' and f.conclusion = 'failure' and f.finished_at < r.finished_at
        and f.finished_at >= coalesce((select max(s.finished_at) from ci_runs s
          where s.repository_id = r.repository_id and s.pipeline = r.pipeline and s.branch_kind = 'default_branch'
            and s.conclusion = 'success' and s.finished_at < r.finished_at), '-infinity')
      where r.branch_kind = 'default_branch'`,
  },
  { table: 'teams', months: (rows) => `select null::date as m from ${rows}`, global: true },
];

const events = [
  { event: 'insert', referencing: 'new table as new_rows', rows: ['new_rows'] },
  {
    event: 'update',
    referencing: 'old table as old_rows new table as new_rows',
    rows: ['old_rows', 'new_rows'],
  },
  { event: 'delete', referencing: 'old table as old_rows', rows: ['old_rows'] },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table delivery_month_writes (
      id bigint generated always as identity primary key,
      month date
    );
    create index delivery_month_writes_month on delivery_month_writes (month);
    create table closed_period_figures (
      key text primary key,
      stamp text not null,
      figures jsonb not null,
      computed_at timestamptz not null
    );
  `.execute(db);
  for (const { table, months, global } of tables) {
    for (const { event, referencing, rows } of events) {
      const name = `month_writes_${table}_${event}`;
      const selected = rows.map((r) => months(r)).join(' union all ');
      const where = global ? '' : 'where x.m is not null';
      await sql
        .raw(
          `create function ${name}() returns trigger language plpgsql as $$
          begin
            insert into delivery_month_writes (month) select distinct x.m from (${selected}) x ${where};
            return null;
          end $$;
          create trigger ${name} after ${event} on ${table}
            referencing ${referencing} for each statement execute function ${name}();`,
        )
        .execute(db);
    }
  }
}
