import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Push ingestion: API tokens, the append-only log of accepted payloads, and GitHub webhook de-duplication.
// Frozen: later changes go in new migrations. Runs on PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Bearer tokens for the ingestion (and later management) routes. Only the SHA-256 of a token is kept:
    -- a leaked database does not leak usable tokens. Revoked tokens stay listed, and keep their name.
    create table api_tokens (
      id integer generated always as identity primary key,
      name text not null unique,
      scope text not null check (scope in ('ingest', 'admin')),
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null,
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    -- Every accepted raw payload, append-only, so metrics can be recomputed from what senders really sent.
    -- kind: deployments | incidents (our API) or the GitHub event name (deployment_status).
    create table event_payloads (
      id bigint generated always as identity primary key,
      kind text not null,
      source text not null,
      received_at timestamptz not null,
      auth_method text not null check (auth_method in ('token', 'signature', 'github-signature')),
      token_name text,
      item_count integer not null,
      payload jsonb not null,
      check ((auth_method = 'token') = (token_name is not null))
    );
    create index event_payloads_source_received on event_payloads (source, received_at desc);

    -- GitHub redelivers with the same X-GitHub-Delivery GUID; a delivery seen before is not applied twice.
    create table webhook_deliveries (
      delivery_id text primary key,
      event text not null,
      received_at timestamptz not null
    );
  `.execute(db);
}
