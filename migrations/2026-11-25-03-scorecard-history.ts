import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Scorecard history: each team's evaluation of each scorecard for each closed calendar month (UTC).
// A row is reused only while the data behind that month and the card are unchanged: `inputs_fingerprint`
// digests the rows the month's metrics read and `card_fingerprint` the card's rules, so a late event
// (or an edited card) makes the month be recomputed on its next read. Open months are never stored.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table scorecard_months (
      team_id integer not null references teams (id),
      scorecard_id text not null,
      -- the calendar month, UTC, as YYYY-MM (text: a date column would be parsed in the server's time zone)
      month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      -- the level earned, null when none
      level text,
      -- the whole evaluation (each rule's status, value and sample size), so a past month can be explained
      result jsonb not null,
      inputs_fingerprint text not null,
      card_fingerprint text not null,
      evaluated_at timestamptz not null,
      primary key (team_id, scorecard_id, month)
    );
  `.execute(db);
}
