import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Survey trust (issue #11). A response counts in results only when the channel it came through fixes the
// respondent's team: a one-time link issued for a team, an import, an authenticated sender or the demo.
// Answers posted to the open form before this change could have named any team (padding), so they are
// marked as not team-fixed; they count again only if the survey owner opts into an open form.
// A one-time link now names the team it is for; links issued before have none and are refused.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table survey_responses add column team_fixed boolean not null default true;
    update survey_responses set team_fixed = false where source in ('form', 'api');
    alter table survey_responses alter column team_fixed drop default;

    alter table survey_link_tokens add column team_id integer references teams (id);
  `.execute(db);
}
