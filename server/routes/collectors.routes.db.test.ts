import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createGithubCollectorService } from '../../collectors/github/service.ts';
import type { GithubCollectorService } from '../../collectors/github/service.ts';
import { createGithubClient } from '../../collectors/shared/github-client.ts';
import { smallOrganization } from '../../collectors/github/fixtures/small-org.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { createTestToken, postJson } from '../../test/ingest-app.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { buildApp } from '../app.ts';
import type { FastifyTypebox } from '../app.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { AppConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';

const clock = fixedClock(new Date('2026-12-05T00:00:00Z'));
let handle: DatabaseHandle;
let server: GithubTestServer;
let app: FastifyTypebox;
let github: GithubCollectorService;
let config: AppConfig;
let admin: string;
let ingest: string;

before(async () => {
  handle = await openTestDatabase();
  server = await startGithubTestServer(smallOrganization());
  config = loadConfig({
    env: { GROUNDWORK_AUTH_MODE: 'open', GITHUB_API_URL: server.url, GITHUB_TOKEN: 'test-token' },
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-collectors-')),
    fallbackOrganization: () => ({
      organization: 'acme',
      teams: [{ slug: 'payments', name: 'Payments', repositories: ['acme/payments'] }],
      sources: { github: { repositories: ['acme/payments'], schedule: '0 * * * *' } },
    }),
  });
  github = createGithubCollectorService({
    db: handle.db,
    config,
    clock,
    schedule: false,
    client: () =>
      createGithubClient({
        baseUrl: config.github.apiUrl,
        token: config.github.token,
        clock,
        sleep: async () => undefined,
        minRequestSpacingMs: 0,
      }),
  });
  app = await buildApp({
    config,
    database: handle,
    clock,
    webRoot: path.join(os.tmpdir(), 'groundwork-no-dashboard'),
    logger: false,
    githubCollector: github,
  });
  admin = await createTestToken(handle, 'ops', 'admin');
  ingest = await createTestToken(handle, 'ci', 'ingest');
});
after(async () => {
  await app.close();
  await server.close();
  await handle.close();
});

describe(`collector routes (${testEngine})`, () => {
  test('before any run: configured, nothing run yet', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/collectors' });
    assert.equal(response.statusCode, 200);
    const [status] = response.json<{ collectors: Record<string, unknown>[] }>().collectors;
    assert.equal(status?.['collector'], 'github');
    assert.equal(status?.['configured'], true);
    assert.equal(status?.['lastRun'], null);
    assert.deepEqual(status?.['missingCredentials'], []);
    // Each collector names its real configuration key and what credentials it lacks.
    const byId = new Map(
      response.json<{ collectors: Record<string, unknown>[] }>().collectors.map((c) => [c['collector'], c]),
    );
    assert.equal(byId.get('github-issues')?.['configKey'], 'sources.githubIssues');
    assert.deepEqual(byId.get('jira')?.['missingCredentials'], [
      'JIRA_BASE_URL',
      'JIRA_EMAIL',
      'JIRA_API_TOKEN',
    ]);
    assert.equal(status?.['nextRunAt'], null); // this service was built without its schedule
  });

  test('POST run needs an admin token: none is 401, an ingest token 403', async () => {
    assert.equal((await app.inject(postJson('/api/v1/collectors/github/run', {}))).statusCode, 401);
    assert.equal(
      (await app.inject(postJson('/api/v1/collectors/github/run', {}, { token: ingest }))).statusCode,
      403,
    );
  });

  test('an admin starts a run (202); a second one while it runs is refused (409); the status shows it', async () => {
    const first = await app.inject(postJson('/api/v1/collectors/github/run', {}, { token: admin }));
    assert.equal(first.statusCode, 202);
    const second = await app.inject(postJson('/api/v1/collectors/github/run', {}, { token: admin }));
    assert.equal(second.statusCode, 409);
    assert.equal(second.json<{ error: { code: string } }>().error.code, 'COLLECTOR_BUSY');
    await github.stop(); // waits for the background run
    const response = await app.inject({ method: 'GET', url: '/api/v1/collectors' });
    const [status] = response.json<{
      collectors: { lastRun: { id: number; status: string }; lastSuccessAt: string }[];
    }>().collectors;
    assert.equal(status?.lastRun.id, first.json<{ runId: number }>().runId);
    assert.equal(status?.lastRun.status, 'success');
    assert.equal(status?.lastSuccessAt, '2026-12-05T00:00:00.000Z');
    const prs = await handle.db.selectFrom('pullRequests').select('id').execute();
    assert.equal(prs.length, 4);
  });

  test('a failed run shows as the last error, the last success stays', async () => {
    const start = await app.inject(
      postJson('/api/v1/collectors/github/run', { repository: 'acme/missing' }, { token: admin }),
    );
    assert.equal(start.statusCode, 202);
    await github.stop();
    const [status] = (await app.inject({ method: 'GET', url: '/api/v1/collectors' })).json<{
      collectors: {
        lastRun: { status: string };
        lastSuccessAt: string;
        lastError: { at: string; message: string };
      }[];
    }>().collectors;
    assert.equal(status?.lastRun.status, 'failed');
    assert.equal(status?.lastSuccessAt, '2026-12-05T00:00:00.000Z');
    assert.match(status?.lastError.message ?? '', /^acme\/missing: /);
  });

  test('inside the server, the schedule says when the next run is', async () => {
    const scheduled = createGithubCollectorService({ db: handle.db, config, clock, schedule: true });
    try {
      const status = await scheduled.status();
      assert.equal(status.schedule, '0 * * * *');
      assert.ok(status.nextRunAt && status.nextRunAt.getTime() > Date.now());
      assert.equal(status.nextRunAt.getUTCMinutes(), 0);
      assert.ok(status.nextRunAt.getTime() - Date.now() <= 3_600_000);
    } finally {
      await scheduled.stop();
    }
  });

  test('a bad body is a 400', async () => {
    const response = await app.inject(
      postJson('/api/v1/collectors/github/run', { since: '2026-02-30' }, { token: admin }),
    );
    assert.equal(response.statusCode, 400);
  });
});
