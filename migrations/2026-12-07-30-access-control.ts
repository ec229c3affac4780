import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Access control: read tokens (optionally a team lead's), token expiry, sign-in sessions, the audit log of
// admin actions and sign-ins, and a body hash so a replayed GitHub delivery under a new id stays a duplicate.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table api_tokens drop constraint api_tokens_scope_check;
    alter table api_tokens add constraint api_tokens_scope_check check (scope in ('read', 'ingest', 'admin'));
    -- A read token with a team signs its holder in as that team's lead (ticket and incident titles).
    alter table api_tokens add column team text;
    alter table api_tokens add column expires_at timestamptz;

    -- A signed-in browser: the cookie holds a random id, only its SHA-256 is kept. Sign-out revokes the row.
    create table sessions (
      id_hash text primary key check (id_hash ~ '^[0-9a-f]{64}$'),
      subject text not null,
      role text not null check (role in ('viewer', 'team-lead', 'admin')),
      -- team-lead sessions: the teams whose titles they see
      teams text[] not null default '{}',
      method text not null check (method in ('token', 'oidc')),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz
    );
    create index sessions_expires on sessions (expires_at);

    -- Who did what, when, from where: admin actions and sign-ins. Append-only.
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      actor text not null,
      action text not null,
      target text,
      address text,
      details jsonb not null default '{}'
    );
    create index audit_log_at on audit_log (at desc);

    -- X-GitHub-Delivery is not covered by GitHub's signature: the signed body's hash is the real identity.
    alter table webhook_deliveries add column body_sha256 text;
    create unique index webhook_deliveries_body on webhook_deliveries (body_sha256);
  `.execute(db);
}
