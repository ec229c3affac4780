import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startJiraTestServer } from '../../test/jira-test-server.ts';
import type { JiraTestServer } from '../../test/jira-test-server.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { fixedClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config/config.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { ticketWaitTimesReport } from '../../server/metrics/ticket-waits.service.ts';
import { syncOrganization } from '../../server/org/organization-sync.ts';
import { createJiraClient } from './client.ts';
import { startJiraCollector } from './collector.ts';
import { serviceDeskIssues, serviceDeskOrganization, STATUSES } from './fixtures/service-desk.ts';

const now = new Date('2026-04-10T00:00:00Z');

function configFor(server: JiraTestServer): AppConfig {
  return loadConfig({
    env: { JIRA_BASE_URL: server.url, JIRA_EMAIL: server.email, JIRA_API_TOKEN: server.apiToken },
    cwd: '/nonexistent',
    fallbackOrganization: serviceDeskOrganization,
  });
}

async function collect(handle: DatabaseHandle, server: JiraTestServer, sleeps: number[] = []) {
  const config = configFor(server);
  const client = createJiraClient({
    baseUrl: server.url,
    email: server.email,
    apiToken: server.apiToken,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  const start = await startJiraCollector({ db: handle.db, config, clock: fixedClock(now), client });
  assert.ok(start.started);
  return start.finished;
}

const snapshot = async (handle: DatabaseHandle) => ({
  tickets: await handle.db.selectFrom('tickets').selectAll().orderBy('key').execute(),
  intervals: await handle.db
    .selectFrom('ticketStatusIntervals')
    .selectAll()
    .orderBy('ticketId')
    .orderBy('seq')
    .execute(),
});

const runCount = async (handle: DatabaseHandle) =>
  (await handle.db.selectFrom('collectorRuns').select('id').where('collector', '=', 'jira').execute()).length;

describe('the Jira collector', () => {
  let handle: DatabaseHandle;
  let server: JiraTestServer;

  before(async () => {
    handle = await openTestDatabase();
    server = await startJiraTestServer({ statuses: STATUSES, issues: serviceDeskIssues() });
    await syncOrganization(handle.db, configFor(server).org, new Date('2026-01-01T00:00:00Z'));
  });
  after(async () => {
    await server.close();
    await handle.close();
  });

  test('collects the queue and its wait times match the hand computation', async () => {
    const result = await collect(handle, server);
    assert.equal(result.started && result.status, 'success', JSON.stringify(result));
    const search = server.received.find((r) => r.path === '/rest/api/3/search/jql');
    assert.equal(search?.body?.['jql'], 'project in ("OPS", "DBA") ORDER BY updated ASC, key ASC');
    const bulk = server.received.find((r) => r.path === '/rest/api/3/changelog/bulkfetch');
    assert.deepEqual(bulk?.body?.['fieldIds'], ['status']);

    const ctx = { db: handle.db, tickets: configFor(server).org.tickets, now: () => now };
    const march = await ticketWaitTimesReport(ctx, { period: '2026-03', groupBy: 'category' });
    // Wait before start, by category (asOf 1 April 00:00 UTC):
    //   database    DBA-4  10:00 CET 28 Mar → 10:00 CEST 30 Mar = 47 h (DST: not 48)
    //   environment OPS-1  09:00 → 15:00 = 6 h; OPS-2 00:00 → 10:00 = 10 h → median 8
    //               total wait OPS-1 6 + 24 (bounced back) = 30, OPS-2 10 + 12 (reopened) = 22 → median 26
    //   access      OPS-5  Offen 08:00 → In Arbeit 12:00 = 4 h (German names, mapped by category);
    //               OPS-3 never started: still waiting, 20 Mar → 1 Apr = 288 h;
    //               first responses: OPS-3 34 h (ops' comment after 21 by the reporter), OPS-5 4 h → 19
    //   other       OPS-6  08:00 → 10:00 = 2 h ("dns-change" is no configured label)
    assert.deepEqual(
      march.groups.map((g) => [g.key, g.waitBeforeStart.medianHours]),
      [
        ['database', 47],
        ['environment', 8],
        ['access', 4],
        ['other', 2],
      ],
    );
    const environment = march.groups.find((g) => g.key === 'environment');
    assert.equal(environment?.totalWait.medianHours, 26);
    assert.equal(environment?.timeToFirstResponse.medianHours, 5.5); // OPS-1 1 h (a comment), OPS-2 10 h
    const access = march.groups.find((g) => g.key === 'access');
    assert.deepEqual(access?.stillWaiting, { count: 1, medianAgeHours: 288, oldestAgeHours: 288 });
    assert.equal(access?.timeToFirstResponse.medianHours, 19);
    assert.equal(access?.timeToResolution.medianHours, 6); // OPS-5: no resolution date; entered Erledigt

    const byTeam = await ticketWaitTimesReport(ctx, { period: '2026-03', groupBy: 'requestingTeam' });
    assert.deepEqual(
      byTeam.groups.map((g) => [g.key, g.counts.created]),
      [
        ['search', 3], // OPS-3, OPS-5 by account id; DBA-4 by e-mail
        ['identity', 3], // OPS-1, OPS-2 by account id; OPS-6 by the requesting-team field
      ],
    );
    const rows = await handle.db
      .selectFrom('tickets')
      .select(['key', 'servingTeam', 'url'])
      .orderBy('key')
      .execute();
    assert.deepEqual(rows[0], { key: 'DBA-4', servingTeam: 'dba', url: `${server.url}/browse/DBA-4` });
  });

  test('a re-run changes no data row and records one more run; it asks only for recent changes', async () => {
    const before = await snapshot(handle);
    const runs = await runCount(handle);
    server.received.length = 0;
    const result = await collect(handle, server);
    assert.equal(result.started && result.status, 'success');
    assert.deepEqual(await snapshot(handle), before);
    assert.equal(await runCount(handle), runs + 1);
    // The newest update was 30 Mar 12:00 CEST; less 5 minutes' overlap, in the Jira user's zone.
    const jql = server.received.find((r) => r.path === '/rest/api/3/search/jql')?.body?.['jql'];
    assert.equal(
      jql,
      'project in ("OPS", "DBA") AND updated >= "2026-03-30 11:55" ORDER BY updated ASC, key ASC',
    );
  });

  test('a changed issue is rewritten, history and all, and nothing else', async () => {
    const before = await snapshot(handle);
    const issue = server.issues.find((i) => i.key === 'OPS-3');
    assert.ok(issue);
    issue.statusId = '3';
    issue.updated = '2026-04-02T10:00:00.000+0200';
    issue.history.push({
      id: '310',
      author: 'acc-ops',
      created: '2026-04-02T08:00:00Z',
      items: [{ field: 'status', from: '1', to: '3' }],
    });
    await collect(handle, server);
    const after = await snapshot(handle);
    const changed = after.tickets.filter(
      (row, i) => JSON.stringify(row) !== JSON.stringify(before.tickets[i]),
    );
    assert.deepEqual(
      changed.map((row) => [row.key, row.workStartedAt?.toISOString()]),
      [['OPS-3', '2026-04-02T08:00:00.000Z']],
    );
    assert.equal(after.intervals.length, before.intervals.length + 1);
  });

  test('a 429 is retried after its Retry-After, through the injected sleep', async () => {
    server.faults.push({ kind: 'rate-limit', retryAfter: '1', path: '/rest/api/3/search/jql' });
    server.faults.push({ kind: 'status', status: 503, path: '/rest/api/3/changelog/bulkfetch' });
    const sleeps: number[] = [];
    const result = await collect(handle, server, sleeps);
    assert.equal(result.started && result.status, 'success');
    // 1 s as told; then the 503 without Retry-After: 5 s × jitter (0.7 + 0.5 × 0.6 = 1.0)
    assert.deepEqual(sleeps, [1000, 5000]);
    assert.equal(result.started && result.itemCounts['retries'], 2);
  });

  test('wrong credentials fail the run with Jira’s message and no secret in it', async () => {
    const config = configFor(server);
    const client = createJiraClient({ baseUrl: server.url, email: server.email, apiToken: 'wrong-token' });
    const start = await startJiraCollector({ db: handle.db, config, clock: fixedClock(now), client });
    assert.ok(start.started);
    await assert.rejects(start.finished, /answered 401: You are not authenticated/);
    const last = await handle.db
      .selectFrom('collectorRuns')
      .select(['status', 'error'])
      .where('collector', '=', 'jira')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(last.status, 'failed');
    assert.doesNotMatch(last.error ?? '', /wrong-token|jira-test-token/);
  });
});

describe('a Jira run that crashes mid-way', () => {
  let handle: DatabaseHandle;
  let server: JiraTestServer;

  before(async () => {
    handle = await openTestDatabase();
    server = await startJiraTestServer({ statuses: STATUSES, issues: serviceDeskIssues() });
    server.searchPageSize = 2;
    await syncOrganization(handle.db, configFor(server).org, new Date('2026-01-01T00:00:00Z'));
  });
  after(async () => {
    await server.close();
    await handle.close();
  });

  test('resumes from the saved page token without loss or duplicates', async () => {
    // The second search page fails past every retry: the run dies after writing the first page.
    server.failSearchesAfter(1);
    await assert.rejects(collect(handle, server), /search\/jql answered 500/);
    server.failSearchesAfter(null);
    const failedRun = await handle.db
      .selectFrom('collectorRuns')
      .select(['status', 'itemCounts'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual([failedRun.status, failedRun.itemCounts['tickets']], ['failed', 2]);
    assert.deepEqual(
      (await handle.db.selectFrom('tickets').select('key').orderBy('key').execute()).map((r) => r.key),
      ['OPS-1', 'OPS-5'],
    );
    const saved = await handle.db
      .selectFrom('syncState')
      .selectAll()
      .where('collector', '=', 'jira')
      .executeTakeFirstOrThrow();
    assert.ok(saved.cursor?.includes('nextPageToken'));

    server.received.length = 0;
    const second = await collect(handle, server);
    assert.equal(second.started && second.status, 'success');
    const resumedWith = server.received.find((r) => r.path === '/rest/api/3/search/jql')?.body;
    assert.ok(
      typeof resumedWith?.['nextPageToken'] === 'string',
      'the second run resumed from the saved token',
    );
    const keys = (await handle.db.selectFrom('tickets').select('key').orderBy('key').execute()).map(
      (r) => r.key,
    );
    assert.deepEqual(keys, ['DBA-4', 'OPS-1', 'OPS-2', 'OPS-3', 'OPS-5', 'OPS-6']);
    const state = await handle.db
      .selectFrom('syncState')
      .selectAll()
      .where('collector', '=', 'jira')
      .executeTakeFirstOrThrow();
    assert.equal(state.cursor, null);
    assert.equal(state.watermark?.toISOString(), '2026-03-30T10:00:00.000Z');
  });

  test('an expired page token restarts the walk from the watermark', async () => {
    server.issues.push({
      ...serviceDeskIssues()[2]!,
      id: '20007',
      key: 'OPS-7',
      updated: '2026-04-05T10:00:00.000+0200',
    });
    server.issues.push({
      ...serviceDeskIssues()[2]!,
      id: '20008',
      key: 'OPS-8',
      updated: '2026-04-05T11:00:00.000+0200',
    });
    server.issues.push({
      ...serviceDeskIssues()[2]!,
      id: '20009',
      key: 'OPS-9',
      updated: '2026-04-05T12:00:00.000+0200',
    });
    server.failSearchesAfter(1);
    await assert.rejects(collect(handle, server), /answered 500/);
    server.failSearchesAfter(null);
    server.expireTokens();
    server.received.length = 0;
    const second = await collect(handle, server);
    assert.equal(second.started && second.status, 'success');
    const searches = server.received.filter((r) => r.path === '/rest/api/3/search/jql');
    assert.equal(searches[0]?.status, 400, 'the saved token was refused');
    assert.equal(searches[1]?.body?.['nextPageToken'], undefined, 'and the walk started again');
    const keys = (await handle.db.selectFrom('tickets').select('key').orderBy('key').execute()).map(
      (r) => r.key,
    );
    assert.deepEqual(keys, ['DBA-4', 'OPS-1', 'OPS-2', 'OPS-3', 'OPS-5', 'OPS-6', 'OPS-7', 'OPS-8', 'OPS-9']);
  });
});
