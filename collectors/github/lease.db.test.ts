// A collector run is a leased job row: two server instances (two connection pools on one PostgreSQL) never
// run the GitHub collector at once. On PostgreSQL each "instance" has its own pool, so the claims really
// race; embedded PGlite is a single session in a single process, where the same steps run through one
// handle (what the lease guards there is a scheduled run against a manual one).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../server/clock.ts';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import { claimJob } from '../../server/db/job-leases.repository.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { LEASE_MS } from '../../server/jobs/job-lease.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { openTwoInstances, testEngine } from '../../test/test-database.ts';
import type { GithubClient } from '../shared/github-client.ts';
import { smallOrganization } from './fixtures/small-org.ts';
import { configFor, fastClient, interceptedClient } from './fixtures/test-setup.ts';
import { createGithubCollectorService } from './service.ts';
import type { GithubCollectorService } from './service.ts';

const twoPools = process.env['DATABASE_URL'] !== undefined;
const t0 = new Date('2026-12-05T00:00:00Z');

let server: GithubTestServer;
let config: AppConfig;
/** Instance A's and instance B's database handles: two pools on PostgreSQL, one PGlite otherwise. */
let handles: [DatabaseHandle, DatabaseHandle];
let closeAll: () => Promise<void>;

before(async () => {
  server = await startGithubTestServer(smallOrganization().filter((r) => r.nameWithOwner === 'acme/web'));
  config = configFor(server.url, {
    organization: 'acme',
    teams: [],
    sources: { github: { repositories: ['acme/web'] } },
  });
  ({ handles, close: closeAll } = await openTwoInstances('gw_lease'));
});
after(async () => {
  await server.close();
  await closeAll();
});

/** A client whose queries wait until `open()`: a run that is under way and stays so. */
function gatedClient(clock: Clock) {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return { client: interceptedClient(fastClient(config, clock), () => gate), open: () => open() };
}

function instance(handle: DatabaseHandle, clock: Clock, client: GithubClient): GithubCollectorService {
  return createGithubCollectorService({
    db: handle.db,
    config,
    clock,
    schedule: false,
    client: () => client,
  });
}

describe(`the GitHub collector's job lease across two instances (${testEngine}${twoPools ? ', two pools' : ''})`, () => {
  test('while instance A runs, instance B is refused; once A is done, B runs', async () => {
    const clock = fixedClock(t0);
    const a = gatedClient(clock);
    const b = gatedClient(clock);
    const instanceA = instance(handles[0], clock, a.client);
    const instanceB = instance(handles[1], clock, b.client);
    const started = await instanceA.trigger();
    assert.ok(started.started);
    const refused = await instanceB.trigger();
    assert.deepEqual(refused, { started: false, reason: 'another GitHub collector run holds the job' });
    assert.equal((await instanceB.status()).running, true, 'B sees A running');
    a.open();
    const finished = await started.finished;
    assert.equal(finished.started && finished.status, 'success');
    b.open();
    const second = await instanceB.trigger();
    assert.ok(second.started, 'the job is free again');
    await instanceB.stop();
    await instanceA.stop();
    const runs = await handles[0].db.selectFrom('collectorRuns').select('status').execute();
    assert.deepEqual(
      runs.map((r) => r.status),
      ['success', 'success'],
    );
  });

  test('triggered at the same moment on both instances, exactly one run starts', async () => {
    const clock = fixedClock(t0);
    const a = gatedClient(clock);
    const b = gatedClient(clock);
    const starts = await Promise.all([
      instance(handles[0], clock, a.client).trigger(),
      instance(handles[1], clock, b.client).trigger(),
    ]);
    assert.deepEqual(starts.map((s) => s.started).sort(), [false, true]);
    a.open();
    b.open();
    for (const start of starts) if (start.started) await start.finished;
  });

  test('twenty claims racing on both pools: one wins', async () => {
    await handles[0].db
      .updateTable('collectorJobs')
      .set({ leaseOwner: null, leaseExpiresAt: null })
      .execute();
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        claimJob(handles[i % 2]?.db ?? handles[0].db, 'github', `claimant-${i}`, LEASE_MS, t0),
      ),
    );
    assert.equal(claims.filter(Boolean).length, 1);
  });

  test("a crashed instance's lease blocks the job until it expires, then the other claims it", async () => {
    // The winner of the race above never released: it crashed, on another host.
    const before = fixedClock(new Date(t0.getTime() + LEASE_MS - 60_000));
    const blocked = await instance(handles[1], before, fastClient(config, before)).trigger();
    assert.equal(blocked.started, false);
    const later = fixedClock(new Date(t0.getTime() + LEASE_MS));
    const taken = await instance(handles[1], later, fastClient(config, later)).trigger();
    assert.ok(taken.started, 'the expired lease is claimed');
    const result = await taken.finished;
    assert.equal(result.started && result.status, 'success');
  });
});
