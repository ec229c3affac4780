import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { InjectOptions } from 'fastify';
import { generateToken, hashToken } from '../server/auth/api-tokens.ts';
import { sha256Signature } from '../server/auth/signatures.ts';
import { buildApp } from '../server/app.ts';
import type { FastifyTypebox } from '../server/app.ts';
import { fixedClock } from '../server/clock.ts';
import { loadConfig } from '../server/config/config.ts';
import type { ConfigFile } from '../server/config/config.schema.ts';
import { createApiToken } from '../server/db/api-tokens.repository.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import type { TokenScope } from '../server/db/tables.ts';
import { syncOrganization } from '../server/org/organization-sync.ts';
import { openTestDatabase } from './test-database.ts';

export const INGEST_SECRET = 'ingest-secret-for-tests';
/** GitHub's published test vector secret (collectors.md 1.10). */
export const GITHUB_SECRET = "It's a Secret to Everybody";

/** `payments` owns payments-api and acme/billing; `search` owns acme/search-*; nobody owns anything else. */
export const TEST_ORGANIZATION: ConfigFile = {
  organization: 'acme',
  teams: [
    { slug: 'payments', name: 'Payments', repositories: ['acme/billing'], services: ['payments-api'] },
    { slug: 'search', name: 'Search', repositories: ['acme/search-*'], services: ['search-api'] },
  ],
};

/** The app over `handle`, with both ingest secrets set and the test organisation synced. */
export async function buildIngestApp(
  handle: DatabaseHandle,
  options: { now: Date; incidentCauseWindowHours?: number; requireTimestamp?: boolean },
): Promise<FastifyTypebox> {
  const organization: ConfigFile = {
    ...TEST_ORGANIZATION,
    ...(options.requireTimestamp ? { ingest: { requireTimestamp: true } } : {}),
    ...(options.incidentCauseWindowHours
      ? { metrics: { incidentCauseInference: { windowHours: options.incidentCauseWindowHours } } }
      : {}),
  };
  const config = loadConfig({
    env: {
      GROUNDWORK_INGEST_SECRET: INGEST_SECRET,
      GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
      // Reads open, as on a laptop: these tests are about ingestion, not sign-in (auth tests set their own).
      GROUNDWORK_AUTH_MODE: 'open',
    },
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-ingest-')),
    fallbackOrganization: () => organization,
  });
  await syncOrganization(handle.db, config.org, options.now);
  return buildApp({
    config,
    database: handle,
    clock: fixedClock(options.now),
    webRoot: path.join(os.tmpdir(), 'groundwork-no-dashboard'),
    logger: false,
  });
}

/** Creates a token directly in the database (what `groundwork token create` does) and returns it. */
/**
 * A test file's database, ingest app and ingest token, made before its tests and closed after them (the
 * fields are set once the `before` hook has run).
 */
export function ingestAppFixture(now: Date): { handle: DatabaseHandle; app: FastifyTypebox; token: string } {
  const fixture = {} as { handle: DatabaseHandle; app: FastifyTypebox; token: string };
  before(async () => {
    fixture.handle = await openTestDatabase();
    fixture.app = await buildIngestApp(fixture.handle, { now });
    fixture.token = await createTestToken(fixture.handle, 'ci', 'ingest');
  });
  after(async () => {
    await fixture.app.close();
    await fixture.handle.close();
  });
  return fixture;
}

export async function createTestToken(
  handle: DatabaseHandle,
  name: string,
  scope: TokenScope,
): Promise<string> {
  const token = generateToken();
  await createApiToken(
    handle.db,
    { name, scope, tokenHash: hashToken(token) },
    new Date('2026-11-01T00:00:00Z'),
  );
  return token;
}

/**
 * A JSON POST whose body is sent byte for byte as given, with a bearer token, a signature (over the body, or
 * with `timestamp` over "<timestamp>.<body>"), or neither.
 */
export function postJson(
  url: string,
  body: unknown,
  auth: { token?: string; secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
): InjectOptions {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...auth.headers };
  if (auth.token) headers['authorization'] = `Bearer ${auth.token}`;
  if (auth.secret) headers['x-groundwork-signature'] = sha256Signature(auth.secret, payload);
  if (auth.secret && auth.timestamp !== undefined) {
    // The replay-safe scheme: the signature covers "<timestamp>.<body>".
    headers['x-groundwork-timestamp'] = String(auth.timestamp);
    headers['x-groundwork-signature'] = sha256Signature(auth.secret, `${auth.timestamp}.${payload}`);
  }
  return { method: 'POST', url, payload, headers };
}
