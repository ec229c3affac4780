import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { leadTimeSamples } from '../../server/metrics/lead-time.metric.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { FixtureCommit, FixtureRepository, GithubTestServer } from '../../test/github-graphql-server.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { runGithubCollector } from './collector.ts';
import type { GithubRunContext } from './collector.ts';
import { configFor, fastClient, interceptedClient } from './fixtures/test-setup.ts';

// acme/app: a branch forked from c0 (f1, f2, written Nov 2) is merged as PR #1 with a merge commit M on
// Nov 4, after D1 deployed p1 (pushed to main Nov 3). History by date — M, p1, f2, f1, c0 — puts the branch's
// commits behind D1's commit, but D1 did not contain them: they ship with D2.
//
//   c0 ── p1 ──────── M        D0: c0 (Nov 1, the first)   D1: p1 (Nov 3 12:00)   D2: M (Nov 4 12:00)
//     └── f1 ── f2 ──┘
//
// acme/long: 400 commits in a line, a deployment every 40th: the walk that links them reads 4 pages.
const commit = (oid: string, iso: string, parents?: string[]): FixtureCommit => ({
  oid,
  authoredDate: iso,
  committedDate: iso,
  ...(parents ? { parents } : {}),
});
const success = (databaseId: number, oid: string, at: string) => ({
  databaseId,
  environment: 'production',
  createdAt: at,
  commitOid: oid,
  statuses: [{ state: 'SUCCESS', createdAt: at }],
});

/** Pull request 1 of both repositories: opened on Nov 2, merged as `m` on Nov 4 with `commits`. */
const pullRequestOne = (commits: FixtureRepository['pullRequests'][number]['commits']) => ({
  number: 1,
  state: 'MERGED' as const,
  createdAt: '2026-11-02T12:00:00Z',
  updatedAt: '2026-11-04T10:00:00Z',
  mergedAt: '2026-11-04T10:00:00Z',
  closedAt: '2026-11-04T10:00:00Z',
  author: { login: 'ana', __typename: 'User' as const },
  mergeCommitOid: 'm',
  commits,
});

function app(): FixtureRepository {
  return {
    nameWithOwner: 'acme/app',
    history: [
      commit('m', '2026-11-04T10:00:00Z', ['p1', 'f2']),
      commit('p1', '2026-11-03T09:00:00Z', ['c0']),
      commit('f2', '2026-11-02T11:00:00Z', ['f1']),
      commit('f1', '2026-11-02T10:00:00Z', ['c0']),
      commit('c0', '2026-11-01T00:00:00Z', []),
    ],
    pullRequests: [
      pullRequestOne([commit('f1', '2026-11-02T10:00:00Z'), commit('f2', '2026-11-02T11:00:00Z')]),
      {
        // A long-lived branch: 150 commits, more than a page of GitHub's list.
        number: 2,
        state: 'OPEN',
        createdAt: '2026-11-01T12:00:00Z',
        updatedAt: '2026-11-04T09:00:00Z',
        author: { login: 'bo', __typename: 'User' },
        commits: Array.from({ length: 150 }, (_, i) =>
          commit(`b${i}`, new Date(Date.parse('2026-11-01T12:00:00Z') + i * 60_000).toISOString()),
        ),
      },
    ],
    deployments: [
      success(1, 'c0', '2026-11-01T01:00:00Z'),
      success(2, 'p1', '2026-11-03T12:00:00Z'),
      success(3, 'm', '2026-11-04T12:00:00Z'),
    ],
  };
}

function long(): FixtureRepository {
  const start = Date.parse('2026-10-01T00:00:00Z');
  const iso = (n: number) => new Date(start + n * 3_600_000).toISOString();
  const history = Array.from({ length: 400 }, (_, i) => commit(`l${400 - i}`, iso(400 - i)));
  const deployments = Array.from({ length: 10 }, (_, i) => {
    const n = 40 * (i + 1);
    return success(100 + n, `l${n}`, iso(n + 0.5));
  });
  return { nameWithOwner: 'acme/long', history, pullRequests: [], deployments };
}

// acme/gate (GitHub's deployment ids are unique across repositories): statuses GitHub pages and approval
// gates. G1 (the first) deploys g0; G2 got 120 statuses before
// its SUCCESS (redeploys, retries); G3 waits for approval from Friday Nov 20 and is approved on Tuesday,
// after G4 (created Monday) moved the watermark on by more than 72 h; G5 goes to `Production` and G6 to
// `prod-eu`, both production.
function gate(): FixtureRepository {
  const statuses = Array.from({ length: 120 }, (_, i) => ({
    state: i % 2 ? 'IN_PROGRESS' : 'QUEUED',
    createdAt: new Date(Date.parse('2026-11-18T10:00:00Z') + i * 60_000).toISOString(),
  }));
  return {
    nameWithOwner: 'acme/gate',
    history: ['g6', 'g5', 'g4', 'g3', 'g2', 'g0'].map((oid, i) =>
      commit(oid, new Date(Date.parse('2026-11-26T00:00:00Z') - i * 86_400_000).toISOString()),
    ),
    pullRequests: [],
    deployments: [
      success(901, 'g0', '2026-11-17T00:00:00Z'),
      {
        ...success(902, 'g2', '2026-11-18T10:00:00Z'),
        statuses: [...statuses, { state: 'SUCCESS', createdAt: '2026-11-18T13:00:00Z' }],
      },
      {
        ...success(903, 'g3', '2026-11-20T17:00:00Z'),
        statuses: [{ state: 'WAITING', createdAt: '2026-11-20T17:00:00Z' }],
      },
      success(904, 'g4', '2026-11-23T23:00:00Z'),
      { ...success(905, 'g5', '2026-11-24T10:00:00Z'), environment: 'Production' },
      { ...success(906, 'g6', '2026-11-25T10:00:00Z'), environment: 'prod-eu' },
    ],
  };
}

// acme/skew (#12): implausible times, stored as sent and left out of lead time. PR #1's commit f1 was
// authored in 1970 (a reset clock); p2 is committed three hours after D2 deployed it (clock skew); D4 is
// dated five days after the clock. Only p3 counts: D3 − p3 = 2 h.
//
//   c0 ── m ── p2 ── p3 ── p4     D0: c0 (the first)  D1: m  D2: p2  D3: p3  D4: p4 (Dec 10)
//     └ f1 ┘
function skew(): FixtureRepository {
  const f1 = { ...commit('f1', '2026-11-02T10:00:00Z'), authoredDate: '1970-01-01T00:00:00Z' };
  return {
    nameWithOwner: 'acme/skew',
    history: [
      commit('p4', '2026-12-09T00:00:00Z', ['p3']),
      commit('p3', '2026-11-06T08:00:00Z', ['p2']),
      commit('p2', '2026-11-05T15:00:00Z', ['m']),
      commit('m', '2026-11-04T10:00:00Z', ['c0', 'f1']),
      { ...f1, parents: ['c0'] },
      commit('c0', '2026-11-01T00:00:00Z', []),
    ],
    pullRequests: [pullRequestOne([f1])],
    deployments: [
      success(701, 'c0', '2026-11-01T01:00:00Z'),
      success(702, 'm', '2026-11-04T12:00:00Z'),
      success(703, 'p2', '2026-11-05T12:00:00Z'),
      success(704, 'p3', '2026-11-06T10:00:00Z'),
      success(705, 'p4', '2026-12-10T00:00:00Z'),
    ],
  };
}

const clock = fixedClock(new Date('2026-12-05T00:00:00Z'));
let handle: DatabaseHandle;
let server: GithubTestServer;
let config: AppConfig;

before(async () => {
  handle = await openTestDatabase();
  server = await startGithubTestServer([app(), long(), gate(), skew()]);
  config = configFor(server.url, {
    organization: 'acme',
    environmentAliases: { production: ['prod-eu'] },
    teams: [],
    sources: { github: { repositories: ['acme/app', 'acme/long', 'acme/skew'] } },
  });
});
after(async () => {
  await server.close();
  await handle.close();
});

const run = (overrides: Partial<GithubRunContext> = {}) =>
  runGithubCollector({ db: handle.db, config, clock, client: fastClient(config, clock), ...overrides });

/** Each deployment's shipped commits: `external id: sha sha …`, for one repository. */
async function links(repository: string): Promise<string[]> {
  const rows = await handle.db
    .selectFrom('deploymentCommits as dc')
    .innerJoin('deployments as d', 'd.id', 'dc.deploymentId')
    .innerJoin('repositories as r', 'r.id', 'dc.repositoryId')
    .select(['d.externalId', 'dc.sha'])
    .where('r.fullName', '=', repository)
    .orderBy('d.externalId')
    .orderBy('dc.sha')
    .execute();
  const grouped = new Map<string, string[]>();
  for (const row of rows) grouped.set(row.externalId, [...(grouped.get(row.externalId) ?? []), row.sha]);
  return [...grouped].map(([id, shas]) => `${id}: ${shas.join(' ')}`);
}

async function forgetLinks(repository: string) {
  const id = (
    await handle.db
      .selectFrom('repositories')
      .select('id')
      .where('fullName', '=', repository)
      .executeTakeFirstOrThrow()
  ).id;
  await handle.db.deleteFrom('deploymentCommits').where('repositoryId', '=', id).execute();
  await handle.db.deleteFrom('commits').where('repositoryId', '=', id).execute();
}

describe(`deployments are linked to the commits they shipped by ancestry (${testEngine})`, () => {
  let clean: string[] = [];

  test('a commit merged after a deployment is not linked to it, though history lists it behind', async () => {
    const result = await run();
    assert.ok(result.started);
    assert.equal(result.status, 'success', result.errors.join('\n'));
    assert.deepEqual(await links('acme/app'), ['2: p1', '3: f1 f2 m']);
    // Lead time: D1 ships the direct push p1 (3 h); D2 ships PR #1 once, from f1 (Nov 2 10:00) → 50 h.
    const samples = await leadTimeSamples({
      period: { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z'), label: '' },
      now: new Date('2026-12-01T00:00:00Z'),
      productionEnvironments: ['production'],
    }).execute(handle.db);
    const rows = samples.rows as { repository: string; sha: string; leadTimeHours: number }[];
    assert.deepEqual(
      rows
        .filter((row) => row.repository === 'acme/app')
        .map((row) => [row.sha, Number(row.leadTimeHours)])
        .sort(),
      [
        ['m', 50],
        ['p1', 3],
      ],
    );
    // PR #2's 150 commits: the first 100 with the PR, the rest from its own commit pages.
    const prCommits = await handle.db
      .selectFrom('pullRequestCommits as pc')
      .innerJoin('pullRequests as p', 'p.id', 'pc.pullRequestId')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('p.number', '=', 2)
      .executeTakeFirstOrThrow();
    assert.equal(Number(prCommits.n), 150);
    assert.equal(server.received.filter((q) => q.operationName === 'PullRequestCommitsPage').length, 1);
    // acme/long: every deployment but the first ships the 40 commits since the one before.
    clean = await links('acme/long');
    assert.equal(clean.length, 9);
    assert.equal(clean.join(' ').split(' ').length - 9, 360);
  });

  for (const pages of [1, 2, 3]) {
    test(`a run killed after page ${pages} of the history walk links the same commits when run again`, async () => {
      await forgetLinks('acme/long');
      let read = 0;
      const client = interceptedClient(fastClient(config, clock), () => {
        if (server.received.at(-1)?.operationName === 'DeployedCommitHistory') read++;
        if (read === pages) throw new Error('killed');
      });
      const killed = await run({ client, repository: 'acme/long' });
      assert.ok(killed.started);
      assert.match(killed.errors.join('\n'), /killed/);
      const partial = await links('acme/long');
      assert.ok(partial.length < clean.length, `${partial.length} deployments linked before the kill`);
      await run({ repository: 'acme/long' });
      assert.deepEqual(await links('acme/long'), clean);
    });
  }

  test('a run killed inside a link transaction leaves nothing half-written and relinks identically', async () => {
    await forgetLinks('acme/long');
    let transactions = 0;
    const killed = await run({
      repository: 'acme/long',
      options: {
        beforeLinksCommit: async () => {
          if (++transactions === 3) throw new Error('killed');
        },
      },
    });
    assert.ok(killed.started);
    assert.match(killed.errors.join('\n'), /killed/);
    const partial = await links('acme/long');
    assert.equal(partial.length, 2, 'two deployments committed, the third rolled back');
    await run({ repository: 'acme/long' });
    assert.deepEqual(await links('acme/long'), clean);
  });

  test('beyond the cap a deployment keeps its newest commits and is flagged truncated', async () => {
    await forgetLinks('acme/long');
    const result = await run({ repository: 'acme/long', options: { linkCommitCap: 30 } });
    assert.ok(result.started);
    assert.equal(result.status, 'success', result.errors.join('\n'));
    const linked = await links('acme/long');
    assert.equal(linked.length, 9);
    // D400 shipped l361..l400: the 30 newest are l371..l400.
    assert.deepEqual(
      linked
        .find((line) => line.startsWith('500:'))
        ?.split(' ')
        .slice(1)
        .sort(),
      Array.from({ length: 30 }, (_, i) => `l${371 + i}`).sort(),
    );
    const flagged = await handle.db
      .selectFrom('deployments')
      .select('externalId')
      .where('commitsTruncated', '=', true)
      .execute();
    assert.equal(flagged.length, 9);
    await handle.db.updateTable('deployments').set({ commitsTruncated: false }).execute();
  });
});

describe(`deployment statuses (${testEngine})`, () => {
  const deployment = async (externalId: string) =>
    handle.db
      .selectFrom('deployments')
      .select(['status', 'finishedAt', 'environment'])
      .where('source', '=', 'github')
      .where('externalId', '=', externalId)
      .executeTakeFirstOrThrow();

  test('a deployment with more statuses than a page, an approval after 72 h, environments by alias', async () => {
    const first = await run({ repository: 'acme/gate' });
    assert.ok(first.started);
    assert.equal(first.status, 'success', first.errors.join('\n'));
    // G2's SUCCESS is its 121st status.
    assert.deepEqual(await deployment('902'), {
      status: 'success',
      finishedAt: new Date('2026-11-18T13:00:00Z'),
      environment: 'production',
    });
    assert.equal((await deployment('903')).status, 'in_progress');
    assert.equal((await deployment('905')).environment, 'production');
    assert.equal((await deployment('906')).environment, 'production');
    // Approved on Tuesday Nov 24, 11:00: 90 h after it was created, 72+ h behind the newest deployments.
    const g3 = server.repositories
      .find((repo) => repo.nameWithOwner === 'acme/gate')
      ?.deployments.find((d) => d.databaseId === 903);
    g3?.statuses.push({ state: 'SUCCESS', createdAt: '2026-11-24T11:00:00Z' });
    await run({ repository: 'acme/gate' });
    assert.deepEqual(await deployment('903'), {
      status: 'success',
      finishedAt: new Date('2026-11-24T11:00:00Z'),
      environment: 'production',
    });
  });
});

describe(`implausible times from GitHub (${testEngine})`, () => {
  test('implausible commit and deployment times are stored as sent and left out of lead time', async () => {
    const result = await run({ repository: 'acme/skew' });
    assert.ok(result.started);
    assert.equal(result.status, 'success', result.errors.join('\n'));
    assert.deepEqual(await links('acme/skew'), ['702: f1 m', '703: p2', '704: p3', '705: p4']);
    const samples = await leadTimeSamples({
      period: { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), label: '' },
      now: clock.now(),
      productionEnvironments: ['production'],
    }).execute(handle.db);
    const rows = samples.rows as {
      repository: string;
      sha: string;
      leadTimeHours: number;
      excludedReason: string;
    }[];
    assert.deepEqual(
      rows
        .filter((row) => row.repository === 'acme/skew')
        .map((row) => [row.sha, row.excludedReason, Math.round(Number(row.leadTimeHours))])
        .sort(),
      [
        ['m', 'start_out_of_range', 498_276], // from f1's 1970 authored time
        ['p2', 'started_after_deployment', -3],
        ['p3', null, 2],
        ['p4', 'deployment_out_of_range', 24],
      ],
    );
  });
});
