import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config/config.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { ticketWaitTimesReport } from '../../server/metrics/ticket-waits.service.ts';
import { syncOrganization } from '../../server/org/organization-sync.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { createGithubClient } from '../shared/github-client.ts';
import { startIssueQueueCollector } from './collector.ts';
import { fillerRepository, requestOrganization, requestRepository } from './fixtures/request-repo.ts';

const now = new Date('2026-04-10T00:00:00Z');
const clock = fixedClock(now);

function configFor(server: GithubTestServer): AppConfig {
  return loadConfig({
    env: { GITHUB_API_URL: server.url, GITHUB_TOKEN: 'test-token' },
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-issues-')),
    fallbackOrganization: requestOrganization,
  });
}

async function collect(handle: DatabaseHandle, server: GithubTestServer, repository: string | null = null) {
  const client = createGithubClient({
    baseUrl: server.url,
    token: 'test-token',
    clock,
    sleep: async () => undefined,
    minRequestSpacingMs: 0,
  });
  const start = await startIssueQueueCollector({
    db: handle.db,
    config: configFor(server),
    clock,
    client,
    repository,
  });
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

describe('the GitHub Issues collector', () => {
  let handle: DatabaseHandle;
  let server: GithubTestServer;

  before(async () => {
    handle = await openTestDatabase();
    server = await startGithubTestServer([requestRepository()]);
    await syncOrganization(handle.db, configFor(server).org, new Date('2026-01-01T00:00:00Z'));
  });
  after(async () => {
    await server.close();
    await handle.close();
  });

  test('derives statuses from the timeline, and the waits match the hand computation', async () => {
    const result = await collect(handle, server, 'acme/platform-requests');
    assert.equal(result.started && result.status, 'success', JSON.stringify(result));
    assert.ok(
      server.received.some((r) => r.operationName === 'IssueTimeline'),
      'the long timeline was paged',
    );
    const ctx = { db: handle.db, tickets: configFor(server).org.tickets, now: () => now };
    const march = await ticketWaitTimesReport(ctx, { period: '2026-03', groupBy: 'category' });
    // Wait before start (Open, or a waiting label, until assigned or labelled in progress):
    //   access       #5 16 Mar 00:00 → assigned 21 Mar 00:00 = 120 h; #3 never picked up: 288 h at 1 Apr
    //   environment  #1 09:00 → assigned 15:00 = 6 h; #2 00:00 → "in progress" 10:00 = 10 h → median 8
    //                total wait #1 6 + 24 (blocked) = 30, #2 10 + 12 (reopened, until assigned) = 22 → 26
    //   other        #4 08:00 → assigned 10:00 = 2 h
    assert.deepEqual(
      march.groups.map((g) => [g.key, g.waitBeforeStart.medianHours]),
      [
        ['access', 120],
        ['environment', 8],
        ['other', 2],
      ],
    );
    const environment = march.groups.find((g) => g.key === 'environment');
    assert.equal(environment?.totalWait.medianHours, 26);
    assert.equal(environment?.flowEfficiency.pooled, (22 + 14) / (52 + 36));
    // #1: ops' comment after 1 h (the requester's own at 0.5 h is none); #2: ops' label after 10 h
    assert.equal(environment?.timeToFirstResponse.medianHours, 5.5);
    const access = march.groups.find((g) => g.key === 'access');
    assert.equal(access?.timeToFirstResponse.medianHours, 120); // 103 requester comments are no response
    assert.deepEqual(access?.stillWaiting, { count: 1, medianAgeHours: 288, oldestAgeHours: 288 });

    const byTeam = await ticketWaitTimesReport(ctx, { period: '2026-03', groupBy: 'requestingTeam' });
    assert.deepEqual(
      byTeam.groups.map((g) => [g.key, g.counts.created]),
      [
        ['search', 2],
        ['identity', 2],
        [null, 1],
      ],
    );
    const issue = await handle.db
      .selectFrom('tickets')
      .select(['key', 'queue', 'servingTeam', 'status', 'url'])
      .where('key', '=', 'acme/platform-requests#2')
      .executeTakeFirstOrThrow();
    assert.deepEqual(issue, {
      key: 'acme/platform-requests#2',
      queue: 'acme/platform-requests',
      servingTeam: 'platform-ops',
      status: 'Closed',
      url: 'https://github.com/acme/platform-requests/issues/2',
    });
  });

  test('a re-run changes no data row, records one more run and asks only for recent updates', async () => {
    const before = await snapshot(handle);
    const runs = await handle.db.selectFrom('collectorRuns').select('id').execute();
    server.received.length = 0;
    const result = await collect(handle, server, 'acme/platform-requests');
    assert.equal(result.started && result.status, 'success');
    assert.deepEqual(await snapshot(handle), before);
    assert.equal(
      (await handle.db.selectFrom('collectorRuns').select('id').execute()).length,
      runs.length + 1,
    );
    // The newest update seen was 21 Mar 00:00; less 10 minutes' overlap.
    assert.equal(server.received[0]?.variables['since'], '2026-03-20T23:50:00.000Z');
  });

  test('a repository that fails is recorded and the others go on', async () => {
    const result = await collect(handle, server);
    assert.ok(result.started);
    assert.equal(result.status, 'partial');
    assert.match(result.errors.join('\n'), /acme\/access-requests: [^]*Could not resolve to a repository/);
  });
});

describe('a GitHub Issues run that crashes mid-way', () => {
  let handle: DatabaseHandle;
  let server: GithubTestServer;

  before(async () => {
    handle = await openTestDatabase();
    server = await startGithubTestServer([fillerRepository(60)]);
    await syncOrganization(handle.db, configFor(server).org, new Date('2026-01-01T00:00:00Z'));
  });
  after(async () => {
    await server.close();
    await handle.close();
  });

  test('resumes from the saved cursor without loss or duplicates', async () => {
    // After the first page of 50 is answered, GitHub fails (502) past every retry.
    server.onRequest = (count) => {
      if (count === 2)
        server.faults.push(...Array.from({ length: 5 }, () => ({ kind: 'bad-gateway' as const })));
    };
    const first = await collect(handle, server, 'acme/access-requests');
    server.onRequest = null;
    assert.ok(first.started);
    assert.equal(first.status, 'failed');
    assert.equal((await handle.db.selectFrom('tickets').select('id').execute()).length, 50);

    server.received.length = 0;
    const second = await collect(handle, server, 'acme/access-requests');
    assert.equal(second.started && second.status, 'success');
    assert.ok(server.received[0]?.variables['cursor'], 'resumed from the saved cursor');
    const keys = (await handle.db.selectFrom('tickets').select('key').execute()).map((row) => row.key);
    assert.equal(keys.length, 60);
    assert.equal(new Set(keys).size, 60);
  });
});
