import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Developer surveys: responses (one row per submission) and their answers, and one-time link tokens.
// Survey definitions are data (scorecards/surveys/*.yaml), so responses name their survey and question by
// stable key and version, never by wording. No name or e-mail is ever stored: a respondent identifier, when
// one is given, is kept only as a keyed hash (HMAC-SHA256, per survey) to replace a repeated submission.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table survey_responses (
      id bigint generated always as identity primary key,
      survey_id text not null,
      team_id integer not null references teams (id),
      -- HMAC of the respondent identifier (or, for an imported row without one, of the row's content), so
      -- a repeated submission or a re-imported export replaces instead of adding; null: never de-duplicated
      dedupe_hash text check (dedupe_hash ~ '^[0-9a-f]{64}$'),
      source text not null check (source in ('form', 'api', 'csv', 'demo')),
      -- the UTC day only (YYYY-MM-DD; text: a date column would be parsed in the server's time zone), since
      -- an exact time could be matched to a person
      submitted_on text not null check (submitted_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      unique (survey_id, dedupe_hash)
    );
    create index survey_responses_survey_team on survey_responses (survey_id, team_id);

    create table survey_answers (
      response_id bigint not null references survey_responses (id) on delete cascade,
      question_key text not null,
      question_version integer not null check (question_version >= 1),
      -- likert 1..5 or hours 0..40
      number_value double precision,
      -- chosen option keys (single or multiple choice)
      choice_keys text[],
      -- free text
      text_value text,
      primary key (response_id, question_key),
      check (num_nonnulls(number_value, choice_keys, text_value) = 1)
    );

    -- One-time links: only the SHA-256 of a token is kept, and a response never records which link it
    -- came through, so a token cannot tie an answer to whoever received it.
    create table survey_link_tokens (
      id integer generated always as identity primary key,
      survey_id text not null,
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null,
      used_at timestamptz
    );
  `.execute(db);
}
