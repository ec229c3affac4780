import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Demo data is marked, so that switching a data folder from the demo to an own configuration leaves the
// demo's rows out of every figure, and `groundwork demo --purge` can delete exactly them. Deployments,
// incidents, tickets and survey responses already carry source 'demo'; pull requests and commits are
// recognised by their repository, and the demo's teams by this flag.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table repositories add column demo boolean not null default false`.execute(db);
  await sql`alter table teams add column demo boolean not null default false`.execute(db);
  // Data folders that loaded the demo before this migration: its repositories are the ones its
  // deployments name, its teams the ones its deployments were attributed to.
  await sql`
    update repositories r set demo = true
    where exists (select 1 from deployments d where d.repository_id = r.id and d.source = 'demo')
      and not exists (select 1 from deployments d where d.repository_id = r.id and d.source <> 'demo')`.execute(
    db,
  );
  await sql`
    update teams t set demo = true
    where exists (select 1 from deployments d where d.team_id = t.id and d.source = 'demo')
      and not exists (select 1 from deployments d where d.team_id = t.id and d.source <> 'demo')`.execute(db);
}
