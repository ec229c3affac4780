import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { syncOrganization } from '../../server/org/organization-sync.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { FixtureRepository, GithubTestServer } from '../../test/github-graphql-server.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { runGithubCollector } from './collector.ts';
import type { GithubRunContext } from './collector.ts';
import { smallOrganization } from './fixtures/small-org.ts';
import {
  configFor,
  fastClient,
  interceptedClient,
  SMALL_ORGANIZATION,
  snapshot,
} from './fixtures/test-setup.ts';

const clock = fixedClock(new Date('2026-12-05T00:00:00Z'));

let handle: DatabaseHandle;
let server: GithubTestServer;
let config: AppConfig;

function run(extra: Partial<GithubRunContext> = {}) {
  return runGithubCollector({ db: handle.db, config, clock, client: fastClient(config, clock), ...extra });
}

const repository = (name: string): FixtureRepository => {
  const found = server.repositories.find((r) => r.nameWithOwner === name);
  assert.ok(found, name);
  return found;
};

before(async () => {
  handle = await openTestDatabase();
  server = await startGithubTestServer(smallOrganization());
  config = configFor(server.url, SMALL_ORGANIZATION);
  await syncOrganization(handle.db, config.org, new Date('2026-10-01T00:00:00Z'));
  const first = await run();
  assert.ok(first.started && first.status === 'partial'); // acme/missing
});
after(async () => {
  await server.close();
  await handle.close();
});

describe(`GitHub collector, incremental syncs and failures (${testEngine})`, () => {
  test('a later sync picks up a new PR, commit, deployment, late statuses and changed incidents', async () => {
    const payments = repository('acme/payments');
    payments.history.unshift({
      oid: 'e5e5e5e',
      authoredDate: '2026-11-05T08:00:00Z',
      committedDate: '2026-11-05T10:00:00Z',
    });
    payments.pullRequests.push({
      number: 5,
      state: 'MERGED',
      createdAt: '2026-11-05T09:00:00Z',
      updatedAt: '2026-11-05T10:00:00Z',
      mergedAt: '2026-11-05T10:00:00Z',
      closedAt: '2026-11-05T10:00:00Z',
      author: { login: 'bo', __typename: 'User' },
      mergeCommitOid: 'e5e5e5e',
      commits: [{ oid: 'p5a', authoredDate: '2026-11-05T08:00:00Z', committedDate: '2026-11-05T08:00:00Z' }],
    });
    payments.deployments.push({
      databaseId: 106,
      environment: 'production',
      createdAt: '2026-11-05T11:00:00Z',
      commitOid: 'e5e5e5e',
      statuses: [{ state: 'SUCCESS', createdAt: '2026-11-05T11:30:00Z' }],
    });
    // A late status on an old deployment inside the look-back window: 104 is auto-inactivated, still a success.
    payments.deployments
      .find((d) => d.databaseId === 104)
      ?.statuses.push({ state: 'INACTIVE', createdAt: '2026-11-05T11:30:00Z' });
    const issues = payments.issues ?? [];
    const issue = (number: number) => issues.find((i) => i.number === number);
    // #23 is resolved; #20 turns out to have been a false alarm; #25 names the commit that broke it.
    Object.assign(issue(23) ?? {}, {
      state: 'CLOSED',
      stateReason: 'COMPLETED',
      closedAt: '2026-11-05T09:00:00Z',
      updatedAt: '2026-11-05T09:00:00Z',
    });
    Object.assign(issue(20) ?? {}, { stateReason: 'NOT_PLANNED', updatedAt: '2026-11-05T12:00:00Z' });
    issues.push({
      number: 25,
      title: 'Refunds fail',
      body: 'Broken since https://github.com/acme/payments/commit/e5e5e5e',
      createdAt: '2026-11-05T12:00:00Z',
      updatedAt: '2026-11-05T12:00:00Z',
      state: 'OPEN',
      labels: ['incident'],
      labeledEvents: [{ label: 'incident', createdAt: '2026-11-05T12:00:00Z' }],
    });

    const result = await run({ repository: 'acme/payments' });
    assert.ok(result.started);
    assert.equal(result.status, 'success');
    const d106 = await handle.db
      .selectFrom('deploymentCommits')
      .innerJoin('deployments', 'deployments.id', 'deploymentCommits.deploymentId')
      .select('deploymentCommits.sha')
      .where('externalId', '=', '106')
      .execute();
    assert.deepEqual(
      d106.map((row) => row.sha),
      ['e5e5e5e'],
    );
    const d104 = await handle.db
      .selectFrom('deployments')
      .select(['status', 'originalStatus'])
      .where('externalId', '=', '104')
      .executeTakeFirstOrThrow();
    assert.deepEqual(d104, { status: 'success', originalStatus: 'inactive' });
    assert.equal((await handle.db.selectFrom('pullRequests').select('id').execute()).length, 7);
    const incidents = await handle.db
      .selectFrom('incidents')
      .leftJoin('deployments', 'deployments.id', 'incidents.deploymentId')
      .select(['incidents.externalId', 'resolvedAt', 'deployments.externalId as cause', 'deploymentLink'])
      .orderBy('incidents.externalId')
      .execute();
    assert.deepEqual(incidents, [
      {
        externalId: 'acme/payments#21',
        resolvedAt: new Date('2026-11-03T14:30:00Z'),
        cause: '104',
        deploymentLink: 'explicit',
      },
      {
        externalId: 'acme/payments#23',
        resolvedAt: new Date('2026-11-05T09:00:00Z'),
        cause: null,
        deploymentLink: null,
      },
      // the commit e5e5e5e was shipped by 106
      { externalId: 'acme/payments#25', resolvedAt: null, cause: '106', deploymentLink: 'explicit' },
    ]);
  });

  test('a sync rides out a 502, a secondary rate limit (403, retry-after: 1) and an exhausted budget', async () => {
    const before = await snapshot(handle.db);
    const waits: number[] = [];
    // The budget is spent; it comes back at resetAt, which the fake sleep makes happen.
    server.rateLimit.remaining = 0;
    server.rateLimit.resetAt = new Date(Date.now() + 30 * 60_000);
    server.faults.push({ kind: 'bad-gateway' }, { kind: 'secondary-rate-limit', retryAfterSeconds: 1 });
    const client = fastClient(config, clock, {
      random: () => 0,
      sleep: async (ms) => {
        waits.push(ms);
        if (ms >= 60_000) server.resetRateLimit();
      },
    });
    const result = await run({ repository: 'acme/web', client });
    assert.ok(result.started);
    assert.equal(result.status, 'success');
    // 502: exponential backoff from 1 s; 403: its retry-after; RATE_LIMITED (HTTP 200): until the reset
    // (about 30 min away), then the query goes through.
    assert.equal(waits.length, 3, JSON.stringify(waits));
    assert.deepEqual(waits.slice(0, 2), [1000, 1000]);
    assert.ok((waits[2] ?? 0) > 29 * 60_000 && (waits[2] ?? 0) <= 31 * 60_000, `waited ${waits[2]} ms`);
    assert.equal(client.usage.retries, 3);
    // Nothing changed on GitHub: no row changed, nothing was written twice.
    const after = await snapshot(handle.db);
    assert.deepEqual(after, before);
  });

  test('a run whose lease was taken over stops at its next page', async () => {
    let stolen = false;
    // Another run claims the job as though this one's lease had expired, while this one asks GitHub.
    const client = interceptedClient(fastClient(config, clock), async () => {
      if (stolen) return;
      stolen = true;
      await handle.db.updateTable('collectorJobs').set({ leaseOwner: 'someone-else' }).execute();
    });
    await assert.rejects(run({ repository: 'acme/payments', client }), /lost its job lease/);
    await handle.db.updateTable('collectorJobs').set({ leaseOwner: null, leaseExpiresAt: null }).execute();
    const last = await handle.db
      .selectFrom('collectorRuns')
      .select(['status', 'error'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(last, { status: 'failed', error: 'the run lost its job lease to another run' });
  });

  test('runs never overlap: a held lease refuses a second run', async () => {
    const results = await Promise.all([run(), run()]);
    assert.deepEqual(results.map((r) => r.started).sort(), [false, true]);
    const refused = results.find((r) => !r.started);
    assert.ok(refused && !refused.started);
    assert.match(refused.reason, /holds the job/);
  });
});
