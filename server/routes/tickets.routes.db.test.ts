import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createJiraClient } from '../../collectors/jira/client.ts';
import { createJiraCollectorService } from '../../collectors/jira/service.ts';
import {
  serviceDeskIssues,
  serviceDeskOrganization,
  STATUSES,
} from '../../collectors/jira/fixtures/service-desk.ts';
import { createTestToken, postJson } from '../../test/ingest-app.ts';
import { startJiraTestServer } from '../../test/jira-test-server.ts';
import type { JiraTestServer } from '../../test/jira-test-server.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { writeFixtureTickets } from '../../test/ticket-fixtures.ts';
import { buildApp } from '../app.ts';
import type { FastifyTypebox } from '../app.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { syncOrganization } from '../org/organization-sync.ts';

// The metric itself is checked against hand computation in server/metrics/ticket-waits.db.test.ts; here the
// routes: contracts, bad input, drill-down, CSV, and starting a Jira run.
const clock = fixedClock(new Date('2026-04-10T00:00:00Z'));
let handle: DatabaseHandle;
let jira: JiraTestServer;
let app: FastifyTypebox;
let admin: string;

before(async () => {
  handle = await openTestDatabase();
  jira = await startJiraTestServer({ statuses: STATUSES, issues: serviceDeskIssues() });
  const config = loadConfig({
    env: {
      GROUNDWORK_AUTH_MODE: 'open',
      JIRA_BASE_URL: jira.url,
      JIRA_EMAIL: jira.email,
      JIRA_API_TOKEN: jira.apiToken,
    },
    cwd: '/nonexistent',
    fallbackOrganization: serviceDeskOrganization,
  });
  await syncOrganization(handle.db, config.org, new Date('2026-01-01T00:00:00Z'));
  await writeFixtureTickets(handle.db, clock.now());
  const jiraCollector = createJiraCollectorService({
    db: handle.db,
    config,
    clock,
    scheduled: false,
    client: () =>
      createJiraClient({
        baseUrl: jira.url,
        email: jira.email,
        apiToken: jira.apiToken,
        sleep: async () => undefined,
      }),
  });
  app = await buildApp({
    config,
    database: handle,
    clock,
    webRoot: path.join(os.tmpdir(), 'groundwork-no-dashboard'),
    logger: false,
    ticketCollectors: [jiraCollector],
  });
  admin = await createTestToken(handle, 'ops', 'admin');
});
after(async () => {
  await app.close();
  await jira.close();
  await handle.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

describe(`ticket routes (${testEngine})`, () => {
  test('wait times per category follow the contract, slowest first, with sample sizes', async () => {
    const response = await get('/api/v1/tickets/wait-times?period=2026-03&groupBy=category');
    assert.equal(response.statusCode, 200);
    const body = response.json<{
      groupBy: string;
      asOf: string;
      groups: { key: string; waitBeforeStart: { sampleSize: number; medianHours: number } }[];
    }>();
    assert.equal(body.groupBy, 'category');
    assert.equal(body.asOf, '2026-04-01T00:00:00.000Z');
    assert.deepEqual(
      body.groups.map((g) => [g.key, g.waitBeforeStart.medianHours, g.waitBeforeStart.sampleSize]),
      [
        ['database', 33.5, 2],
        ['environment', 8, 2],
        ['access', 4, 1],
        ['dns', null, 0],
      ],
    );
  });

  test('bad input is a 400 naming the field', async () => {
    const groupBy = await get('/api/v1/tickets/wait-times?groupBy=person');
    assert.equal(groupBy.statusCode, 400);
    assert.equal(groupBy.json<{ error: { field: string } }>().error.field, 'querystring.groupBy');
    const period = await get('/api/v1/tickets/wait-times?period=soon');
    assert.equal(period.statusCode, 400);
    assert.equal(period.json<{ error: { field: string } }>().error.field, 'period');
    const measure = await get('/api/v1/tickets/wait-times/tickets?period=2026-03');
    assert.equal(measure.statusCode, 400);
    assert.equal(measure.json<{ error: { field: string } }>().error.field, 'querystring.measure');
  });

  test('the drill-down names the tickets behind a figure, as JSON or CSV', async () => {
    const response = await get(
      '/api/v1/tickets/wait-times/tickets?period=2026-03&groupBy=servingTeam&group=dba&measure=waitBeforeStart',
    );
    assert.equal(response.statusCode, 200);
    const body = response.json<{ total: number; tickets: { key: string; waitBeforeStartHours: number }[] }>();
    assert.deepEqual(
      body.tickets.map((t) => [t.key, t.waitBeforeStartHours]),
      [
        ['DBA-4', 47],
        ['DBA-7', 20],
      ],
    );
    const csv = await get(
      '/api/v1/tickets/wait-times/tickets?period=2026-03&measure=stillWaiting&format=csv',
    );
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(csv.body.split('\n')[0] ?? '', /^source,key,url,title,queue,category/);
    assert.equal(csv.body.trim().split('\n').length, 3); // header, OPS-3, OPS-9
  });

  test('the weekly series has every week of the period', async () => {
    const response = await get('/api/v1/tickets/wait-times/series?period=2026-03&groupBy=requestingTeam');
    assert.equal(response.statusCode, 200);
    const body = response.json<{ series: { key: string | null; points: { partial: boolean }[] }[] }>();
    assert.ok(body.series.length > 0);
    for (const series of body.series) assert.equal(series.points.length, 6);
    // March 2026 starts on a Sunday and ends on a Tuesday: its first and last weeks are partial.
    assert.deepEqual(
      body.series[0]?.points.map((point) => point.partial),
      [true, false, false, false, false, true],
    );
  });

  test('a Jira run starts with an admin token and shows in the collectors list', async () => {
    assert.equal((await app.inject(postJson('/api/v1/collectors/jira/run', {}))).statusCode, 401);
    const bad = await app.inject(
      postJson('/api/v1/collectors/jira/run', { since: '2026-02-30' }, { token: admin }),
    );
    assert.equal(bad.statusCode, 400);
    const started = await app.inject(postJson('/api/v1/collectors/jira/run', {}, { token: admin }));
    assert.equal(started.statusCode, 202);
    const { runId } = started.json<{ runId: number }>();
    // Wait for the background run through the database, not the clock.
    for (let i = 0; i < 200; i++) {
      const run = await handle.db
        .selectFrom('collectorRuns')
        .select('status')
        .where('id', '=', runId)
        .executeTakeFirst();
      if (run?.status !== 'running') break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const list = await get('/api/v1/collectors');
    const jiraStatus = list
      .json<{
        collectors: { collector: string; configured: boolean; lastRun: { status: string } | null }[];
      }>()
      .collectors.find((c) => c.collector === 'jira');
    assert.equal(jiraStatus?.configured, true);
    assert.equal(jiraStatus?.lastRun?.status, 'success');
  });
});
