import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import { upsertCommits } from '../db/commits.repository.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { deploymentKey, linkDeploymentCommits, upsertDeployments } from '../db/deployments.repository.ts';
import { replacePullRequestCommits, upsertPullRequests } from '../db/pull-requests.repository.ts';
import { leadTimeSamples } from './lead-time.metric.ts';

// One repository per merge strategy, each shipping one pull request (and, in `mixed`, a direct push too)
// with one deployment 20 h after the PR's first commit was authored. Lead time counts the PR once, from its
// first authored commit, whichever commits of it reached the default branch.
const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T00:00:00Z');
const h = (hours: number) => new Date(T0 + hours * HOUR);
const PERIOD = {
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-12-01T00:00:00Z'),
  label: '2026-11',
};

interface Strategy {
  /** Commits on the default branch the deployment shipped: sha, authored and committed hour. */
  shipped: [string, number, number][];
  /** The PR's own commits (as GitHub lists them): sha, authored hour, committed hour. */
  prCommits: [string, number, number][];
  mergeCommitSha: string;
  mergedAt: number;
  bot?: boolean;
}

const STRATEGIES: Record<string, Strategy> = {
  // the branch's commits and a merge commit
  merge: {
    prCommits: [
      ['m-a', 0, 0],
      ['m-b', 2, 2],
    ],
    shipped: [
      ['m-a', 0, 0],
      ['m-b', 2, 2],
      ['m-merge', 10, 10],
    ],
    mergeCommitSha: 'm-merge',
    mergedAt: 10,
  },
  // one new commit; the branch's commits never reach the default branch
  squash: {
    prCommits: [
      ['s-a', 0, 0],
      ['s-b', 3, 3],
    ],
    shipped: [['s-squash', 10, 10]],
    mergeCommitSha: 's-squash',
    mergedAt: 10,
  },
  // the branch's commits recreated on top of the default branch: new shas, same authored times, committed
  // at the merge; GitHub names the last one the merge commit
  rebase: {
    prCommits: [
      ['r-a', 0, 0],
      ['r-b', 2, 2],
      ['r-c', 4, 4],
    ],
    shipped: [
      ['r-a2', 0, 10],
      ['r-b2', 2, 10],
      ['r-c2', 4, 10],
    ],
    mergeCommitSha: 'r-c2',
    mergedAt: 10,
  },
  // dependabot: its branch commits and merge commit are all left out
  bot: {
    prCommits: [['b-a', 0, 0]],
    shipped: [
      ['b-a', 0, 0],
      ['b-merge', 10, 10],
    ],
    mergeCommitSha: 'b-merge',
    mergedAt: 10,
    bot: true,
  },
};

let handle: DatabaseHandle;

before(async () => {
  handle = await openTestDatabase();
  const db = handle.db;
  const names = [...Object.keys(STRATEGIES), 'mixed'].map((name) => `acme/${name}`);
  const repos = await ensureRepositories(db, names);
  const write = async (repository: string, strategies: Strategy[], direct: [string, number][]) => {
    const repositoryId = repos.get(repository) as number;
    const shipped = [
      ...strategies.flatMap((s) => s.shipped),
      ...direct.map(([sha, at]): [string, number, number] => [sha, at, at]),
    ];
    // the previous deployment's commit: shipped before, so it is no change of this deployment
    await upsertCommits(db, [
      { repositoryId, sha: 'base', authoredAt: h(-100), committedAt: h(-100) },
      ...shipped.map(([sha, authored, committed]) => ({
        repositoryId,
        sha,
        authoredAt: h(authored),
        committedAt: h(committed),
      })),
    ]);
    await upsertPullRequests(
      db,
      strategies.map((s, i) => ({
        repositoryId,
        number: i + 1,
        state: 'merged' as const,
        authorLogin: s.bot ? 'dependabot[bot]' : 'dev',
        authorIsBot: s.bot ?? false,
        createdAt: h(1),
        firstCommitAuthoredAt: h(Math.min(...s.prCommits.map(([, authored]) => authored))),
        mergedAt: h(s.mergedAt),
        mergeCommitSha: s.mergeCommitSha,
      })),
    );
    await replacePullRequestCommits(
      db,
      strategies.map((s, i) => ({
        repositoryId,
        number: i + 1,
        commits: s.prCommits.map(([sha, authored, committed]) => ({
          sha,
          authoredAt: h(authored),
          committedAt: h(committed),
        })),
      })),
    );
    const deployments = await upsertDeployments(
      db,
      [
        { externalId: `${repository}:0`, sha: 'base', finishedAt: h(-50) },
        { externalId: `${repository}:1`, sha: shipped.at(-1)?.[0] ?? '', finishedAt: h(20) },
      ].map((d) => ({
        source: 'fixture',
        externalId: d.externalId,
        repositoryId,
        environment: 'production',
        status: 'success' as const,
        sha: d.sha,
        startedAt: d.finishedAt,
        finishedAt: d.finishedAt,
      })),
      h(30),
    );
    const id = (externalId: string) => deployments.get(deploymentKey('fixture', externalId)) as number;
    await linkDeploymentCommits(db, [
      { deploymentId: id(`${repository}:0`), repositoryId, sha: 'base' },
      ...shipped.map(([sha]) => ({ deploymentId: id(`${repository}:1`), repositoryId, sha })),
    ]);
  };
  for (const [name, strategy] of Object.entries(STRATEGIES)) await write(`acme/${name}`, [strategy], []);
  // mixed: a merge-commit PR, a squash PR, a rebase PR and a direct push (5 h before the deployment)
  const prefixed = (s: Strategy, prefix: string): Strategy => {
    const rename = ([sha, a, c]: [string, number, number]): [string, number, number] => [prefix + sha, a, c];
    return {
      ...s,
      prCommits: s.prCommits.map(rename),
      shipped: s.shipped.map(rename),
      mergeCommitSha: prefix + s.mergeCommitSha,
    };
  };
  await write(
    'acme/mixed',
    [
      prefixed(STRATEGIES['merge'] as Strategy, 'x-'),
      prefixed(STRATEGIES['squash'] as Strategy, 'x-'),
      prefixed(STRATEGIES['rebase'] as Strategy, 'x-'),
    ],
    [['x-direct', 15]],
  );
});
after(() => handle.close());

async function samples() {
  const result = await leadTimeSamples({
    period: PERIOD,
    now: PERIOD.to,
    productionEnvironments: ['production'],
  }).execute(handle.db);
  return (result.rows as { repository: string; sha: string; startKind: string; leadTimeHours: number }[])
    .map((row) => ({
      repository: row.repository,
      sha: row.sha,
      start: row.startKind,
      hours: Number(row.leadTimeHours),
    }))
    .sort((a, b) => a.repository.localeCompare(b.repository) || a.sha.localeCompare(b.sha));
}

describe(`lead time counts one change per pull request, whatever the merge strategy (${testEngine})`, () => {
  test('merge, squash and rebase merges: one sample per PR from its first authored commit; bots left out', async () => {
    const rows = await samples();
    const pr = 'pull_request_first_commit';
    assert.deepEqual(rows, [
      // the merge commit stands for the PR (its branch commits are the same change)
      { repository: 'acme/merge', sha: 'm-merge', start: pr, hours: 20 },
      { repository: 'acme/mixed', sha: 'x-direct', start: 'commit', hours: 5 },
      { repository: 'acme/mixed', sha: 'x-m-merge', start: pr, hours: 20 },
      { repository: 'acme/mixed', sha: 'x-r-c2', start: pr, hours: 20 },
      { repository: 'acme/mixed', sha: 'x-s-squash', start: pr, hours: 20 },
      { repository: 'acme/rebase', sha: 'r-c2', start: pr, hours: 20 },
      { repository: 'acme/squash', sha: 's-squash', start: pr, hours: 20 },
    ]);
  });
});
