import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// The CI part of the closed-period write log (2026-12-08-70-month-writes), set-based. The first version
// looked up, for every default-branch row a statement wrote, the pipeline's last pass before it inside the
// join to its failures: per row × failure on transition tables without statistics. Loading the bundled demo
// (11 k run attempts) spent 63 of its 65 s in that trigger, and a 200-team load never finished.
// Now each (repository, pipeline) a statement touched looks up its last pass once, through an index, and
// logs the months of the failures from there to the statement's newest verdict: a superset of the months
// the per-row version logged (a wider stretch can only recompute more, never miss one).
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite.

const month = (column: string) => `date_trunc('month', ${column} at time zone 'UTC')::date`;

const months = (tables: string[]) => {
  const own = tables
    .map(
      (rows) =>
        `select ${month('run_created_at')} as m from ${rows} union all select ${month('finished_at')} from ${rows}`,
    )
    .join(' union all ');
  const verdicts = tables
    .map(
      (rows) =>
        `select repository_id, pipeline, finished_at from ${rows} where branch_kind = 'default_branch' and finished_at is not null`,
    )
    .join(' union all ');
  return `${own}
    union all
    select ${month('f.finished_at')}
    from (select repository_id, pipeline, min(finished_at) as first_at, max(finished_at) as last_at
          from (${verdicts}) v group by repository_id, pipeline) g
    cross join lateral (
      select max(s.finished_at) as since from ci_runs s
      where s.repository_id = g.repository_id and s.pipeline = g.pipeline and s.branch_kind = 'default_branch'
        and s.conclusion = 'success' and s.finished_at < g.first_at
    ) pass
    join ci_runs f on f.repository_id = g.repository_id and f.pipeline = g.pipeline
      and f.branch_kind = 'default_branch' and f.conclusion = 'failure'
      and f.finished_at < g.last_at and f.finished_at >= coalesce(pass.since, '-infinity')`;
};

const events = [
  { event: 'insert', tables: ['new_rows'] },
  { event: 'update', tables: ['old_rows', 'new_rows'] },
  { event: 'delete', tables: ['old_rows'] },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // The last pass before a verdict, and the failures after it, per pipeline (also what time to green reads).
  await sql`
    create index ci_runs_default_branch_verdicts on ci_runs (repository_id, pipeline, finished_at)
      where branch_kind = 'default_branch'
  `.execute(db);
  for (const { event, tables } of events) {
    await sql
      .raw(
        `create or replace function month_writes_ci_runs_${event}() returns trigger language plpgsql as $$
        begin
          insert into delivery_month_writes (month) select distinct x.m from (${months(tables)}) x
          where x.m is not null;
          return null;
        end $$;`,
      )
      .execute(db);
  }
}
