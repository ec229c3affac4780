import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config/config.ts';
import type { ConfigFile } from '../../server/config/config.schema.ts';
import { nextPageOf } from '../shared/github-client.ts';
import { ciCollectionSettings, ciConclusion, mapActionsRun } from './ci-map.ts';
import type { GithubActionsRun } from './ci-map.ts';

const configOf = (extra: Partial<ConfigFile>) =>
  loadConfig({
    env: {},
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-ci-')),
    fallbackOrganization: () => ({ organization: 'acme', teams: [], ...extra }),
  });
const run = (over: Partial<GithubActionsRun> = {}): GithubActionsRun => ({
  id: 42,
  name: 'CI',
  path: '.github/workflows/ci.yml',
  head_branch: 'main',
  head_sha: 'ABCDEF1',
  event: 'push',
  status: 'completed',
  conclusion: 'success',
  run_attempt: 1,
  created_at: '2026-11-20T10:00:00Z',
  updated_at: '2026-11-20T10:12:00Z',
  run_started_at: '2026-11-20T10:02:00Z',
  ...over,
});

describe('which workflow runs are CI', () => {
  test('by default: push and pull_request runs, deploy workflows (by name, file or configuration) excluded', () => {
    const settings = ciCollectionSettings(
      configOf({
        sources: {
          github: { deployments: [{ repositories: ['acme/*'], from: 'workflow', workflow: 'ship.yml' }] },
        },
      }),
    );
    assert.equal(settings.collect, true);
    assert.equal(settings.jobs, false);
    assert.equal(settings.backfillMs, 90 * 24 * 3_600_000);
    assert.equal(settings.isCi(run()), true);
    assert.equal(settings.isCi(run({ event: 'pull_request' })), true);
    assert.equal(settings.isCi(run({ event: 'schedule' })), false);
    assert.equal(settings.isCi(run({ name: 'Deploy to production' })), false);
    assert.equal(settings.isCi(run({ name: 'Release', path: '.github/workflows/deploy-web.yml' })), false);
    assert.equal(settings.isCi(run({ name: 'Ship', path: '.github/workflows/ship.yml' })), false);
  });

  test('configured: only some workflows, other events, other exclusions', () => {
    const settings = ciCollectionSettings(
      configOf({
        ci: {
          github: { events: ['push', 'merge_group'], workflows: ['build*', 'Tests'], excludeWorkflows: [] },
        },
      }),
    );
    assert.equal(settings.isCi(run({ path: '.github/workflows/build.yml', name: 'Build' })), true);
    assert.equal(settings.isCi(run({ name: 'tests' })), true);
    assert.equal(settings.isCi(run({ name: 'Lint', path: '.github/workflows/lint.yml' })), false);
    assert.equal(
      settings.isCi(run({ name: 'Build deploy', path: 'x/build-deploy.yml', event: 'merge_group' })),
      true,
    );
    assert.equal(settings.isCi(run({ path: '.github/workflows/build.yml', event: 'pull_request' })), false);
  });

  test('bad configuration names its key', () => {
    assert.throws(
      () => configOf({ ci: { github: { backfillDays: 0 } } } as Partial<ConfigFile>),
      (error: unknown) =>
        error instanceof ConfigError && error.problems.some((p) => p.path === 'ci.github.backfillDays'),
    );
  });
});

describe('a workflow run as a CI run attempt', () => {
  test('branch kinds, times and the first attempt being the only one queued at creation', () => {
    const first = mapActionsRun(7, run(), 'main');
    assert.deepEqual(
      [first.branchKind, first.queuedAt, first.startedAt, first.finishedAt, first.sha],
      [
        'default_branch',
        new Date('2026-11-20T10:00:00Z'),
        new Date('2026-11-20T10:02:00Z'),
        new Date('2026-11-20T10:12:00Z'),
        'abcdef1',
      ],
    );
    const rerun = mapActionsRun(
      7,
      run({ run_attempt: 2, event: 'pull_request', head_branch: 'main' }),
      'main',
    );
    assert.deepEqual([rerun.attempt, rerun.queuedAt, rerun.branchKind], [2, null, 'pull_request']);
    assert.equal(mapActionsRun(7, run({ head_branch: 'release' }), 'main').branchKind, 'other');
    const running = mapActionsRun(7, run({ status: 'in_progress', conclusion: null }), 'main');
    assert.deepEqual([running.status, running.conclusion, running.finishedAt], ['in_progress', null, null]);
  });

  test("GitHub's conclusions, normalised", () => {
    assert.deepEqual(
      [
        'success',
        'failure',
        'timed_out',
        'startup_failure',
        'cancelled',
        'skipped',
        'action_required',
        'stale',
        null,
      ].map(ciConclusion),
      ['success', 'failure', 'failure', 'failure', 'cancelled', 'skipped', 'neutral', 'neutral', 'neutral'],
    );
  });

  test("the next page from GitHub's Link header", () => {
    const link =
      '<https://api.github.com/repositories/1/actions/runs?per_page=100&page=3>; rel="next", ' +
      '<https://api.github.com/repositories/1/actions/runs?per_page=100&page=9>; rel="last"';
    assert.equal(nextPageOf(link), 3);
    assert.equal(nextPageOf('<https://api.github.com/x?page=1>; rel="prev"'), null);
    assert.equal(nextPageOf(undefined), null);
  });
});
