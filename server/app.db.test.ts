import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase } from '../test/test-database.ts';
import { buildApp } from './app.ts';
import type { FastifyTypebox } from './app.ts';
import { fixedClock } from './clock.ts';
import { loadConfig, parseOrganization } from './config/config.ts';
import type { DatabaseHandle } from './db/database.ts';
import { syncOrganization } from './org/organization-sync.ts';

let handle: DatabaseHandle;
let app: FastifyTypebox;
const webRoot = mkdtempSync(path.join(os.tmpdir(), 'groundwork-web-'));
const config = loadConfig({
  env: { GROUNDWORK_AUTH_MODE: 'open' },
  cwd: webRoot,
  fallbackOrganization: () => ({ organization: 'acme', teams: [] }),
});
const now = new Date('2026-11-01T00:00:00Z');

before(async () => {
  writeFileSync(
    path.join(webRoot, 'index.html'),
    '<!doctype html><title>Groundwork</title><div id="root"></div>',
  );
  handle = await openTestDatabase();
  await syncOrganization(
    handle.db,
    parseOrganization(
      `organization: acme
teams:
  - { slug: search, name: Search, repositories: ["acme/search-*"], members: [a, b, c] }
  - { slug: payments, name: Payments, repositories: [acme/billing], services: [payments-api], members: [d] }
`,
      'test',
    ),
    now,
  );
  app = await buildApp({ config, database: handle, clock: fixedClock(now), webRoot, logger: false });
});
after(async () => {
  await app.close();
  await handle.close();
});

describe('HTTP endpoints', () => {
  test('GET /healthz says the process is up', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  test('GET /readyz checks the database is reachable and migrated', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ready', engine: handle.engine });
  });

  test('GET /api/v1/teams lists active teams with what they own and a member count, never names', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/teams' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      teams: [
        {
          slug: 'payments',
          name: 'Payments',
          repositories: ['acme/billing'],
          services: ['payments-api'],
          memberCount: 1,
        },
        { slug: 'search', name: 'Search', repositories: ['acme/search-*'], services: [], memberCount: 3 },
      ],
    });
  });

  test('the OpenAPI document describes the routes and /docs serves a UI', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      openapi: string;
      paths: object;
    }>();
    assert.match(spec.openapi, /^3\./);
    assert.ok(Object.keys(spec.paths).includes('/api/v1/teams'));
    assert.ok(Object.keys(spec.paths).includes('/readyz'));
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.match(docs.body, /swagger/i);
  });

  test('the dashboard is served at / and for client-side routes; unknown API paths are JSON 404s', async () => {
    const home = await app.inject({ method: 'GET', url: '/' });
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /<title>Groundwork<\/title>/);
    const deepLink = await app.inject({ method: 'GET', url: '/teams/search?period=last-30d' });
    assert.equal(deepLink.statusCode, 200);
    assert.match(deepLink.body, /id="root"/);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nothing' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json<{ error: { code: string } }>().error.code, 'NOT_FOUND');
  });

  test('a rebuilt dashboard is served without a restart', async () => {
    mkdirSync(path.join(webRoot, 'assets'), { recursive: true });
    writeFileSync(path.join(webRoot, 'assets', 'index-new.js'), 'console.log("new build")');
    const response = await app.inject({ method: 'GET', url: '/assets/index-new.js' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /javascript/);
  });

  test('without a built dashboard, / explains how to build it', async () => {
    const bare = await buildApp({
      config,
      database: handle,
      clock: fixedClock(now),
      webRoot: path.join(webRoot, 'missing'),
      logger: false,
    });
    const response = await bare.inject({ method: 'GET', url: '/' });
    await bare.close();
    assert.equal(response.statusCode, 503);
    assert.match(response.body, /npm run build/);
  });
});
