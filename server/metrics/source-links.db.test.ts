import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { testEngine } from '../../test/test-database.ts';
import { ingestAppFixture, postJson } from '../../test/ingest-app.ts';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import { upsertPullRequests } from '../db/pull-requests.repository.ts';
import { githubWebUrl } from './source-links.ts';

// Every drill-down row links out to the thing at its source: the pull request and commit on GitHub, the
// deployment's own page as its sender gave it. Only http(s) links are accepted or returned.
const now = new Date('2026-11-20T12:00:00Z');
const fixture = ingestAppFixture(now);

type Row = Record<string, unknown>;
const samples = async (url: string) => {
  const response = await fixture.app.inject({ method: 'GET', url });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ team: string | null; total: number; samples: Row[] }>();
};
const push = (path: string, body: unknown) =>
  fixture.app.inject(postJson(path, body, { token: fixture.token }));

const deployment = (id: string, overrides: Row = {}) => ({
  id,
  service: 'payments-api',
  repository: 'acme/billing',
  environment: 'production',
  sha: 'ab12cd34'.padEnd(40, '0'),
  status: 'success',
  startedAt: '2026-11-18T10:00:00Z',
  finishedAt: '2026-11-18T10:05:00Z',
  ...overrides,
});

describe(`drill-down rows link out to their source (${testEngine})`, () => {
  test("GitHub's web address follows GITHUB_API_URL", () => {
    assert.equal(githubWebUrl('https://api.github.com'), 'https://github.com');
    assert.equal(githubWebUrl('https://ghe.acme.test/api/v3'), 'https://ghe.acme.test');
    assert.equal(githubWebUrl('http://127.0.0.1:4010/'), 'http://127.0.0.1:4010');
  });

  test('a pushed deployment keeps its url; only http(s), length-bound, and the field is named', async () => {
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://x.test/a',
      `https://x.test/${'a'.repeat(2000)}`,
    ]) {
      const refused = await push('/api/v1/events/deployments', deployment('bad', { url }));
      assert.equal(refused.statusCode, 400, url);
      assert.match(refused.body, /body\[0\]\.url/);
    }
    const refusedRun = await push('/api/v1/events/ci-runs', {
      pipelineId: 'run-1',
      event: 'push',
      branch: 'main',
      repository: 'acme/billing',
      pipeline: 'ci',
      status: 'success',
      url: 'javascript:alert(1)',
    });
    assert.equal(refusedRun.statusCode, 400);
    assert.match(refusedRun.body, /body\[0\]\.url/);

    const accepted = await push('/api/v1/events/deployments', [
      deployment('deploy-1', { url: 'https://ci.acme.test/deploys/1' }),
      deployment('deploy-2', { service: 'search-api', repository: 'acme/search-web' }),
    ]);
    assert.equal(accepted.statusCode, 200, accepted.body);

    const page = await samples('/api/v1/teams/payments/metrics/deploymentFrequency/samples?period=last-7d');
    assert.equal(page.total, 1);
    assert.equal(page.samples[0]?.['deploymentUrl'], 'https://ci.acme.test/deploys/1');
    assert.equal(
      page.samples[0]?.['commitUrl'],
      `https://github.com/acme/billing/commit/${'ab12cd34'.padEnd(40, '0')}`,
    );
    // Re-sent without a url, the deployment no longer has one (the sender's latest word, like every field).
    await push('/api/v1/events/deployments', deployment('deploy-1'));
    const again = await samples('/api/v1/teams/payments/metrics/deploymentFrequency/samples?period=last-7d');
    assert.equal('deploymentUrl' in (again.samples[0] ?? {}), false);
  });

  test("the organisation's rows: every team pooled, each row naming its team", async () => {
    const page = await samples(
      '/api/v1/metrics/deploymentFrequency/samples?period=last-7d&sort=team&order=desc',
    );
    assert.equal(page.team, null);
    assert.deepEqual(
      page.samples.map((row) => [row['team'], row['externalId']]),
      [
        ['search', 'deploy-2'],
        ['payments', 'deploy-1'],
      ],
    );
    const unknown = await fixture.app.inject({ method: 'GET', url: '/api/v1/metrics/uptime/samples' });
    assert.equal(unknown.statusCode, 400);
  });

  test('pull requests link to GitHub; demo repositories and stored non-http links get none', async () => {
    const ids = await ensureRepositories(fixture.handle.db, ['acme/billing', 'acme/search-demo']);
    const pr = (repository: string, number: number) => ({
      repositoryId: ids.get(repository)!,
      number,
      title: `change ${number}`,
      state: 'merged' as const,
      authorLogin: null,
      authorIsBot: false,
      baseBranch: 'main',
      createdAt: new Date('2026-11-17T09:00:00Z'),
      firstCommitAuthoredAt: null,
      firstReviewAt: null,
      mergedAt: new Date('2026-11-18T09:00:00Z'),
      closedAt: null,
      mergeCommitSha: null,
      additions: 1,
      deletions: 1,
      changedFiles: 1,
      commitCount: 1,
      teamId: null,
      sourceUpdatedAt: null,
    });
    await upsertPullRequests(fixture.handle.db, [pr('acme/billing', 7), pr('acme/search-demo', 8)]);
    await sql`update repositories set demo = true where full_name = 'acme/search-demo'`.execute(
      fixture.handle.db,
    );
    const billing = await samples('/api/v1/teams/payments/metrics/pullRequests/samples?period=last-7d');
    assert.equal(billing.samples[0]?.['pullRequestUrl'], 'https://github.com/acme/billing/pull/7');
    const demo = await samples('/api/v1/teams/search/metrics/pullRequests/samples?period=last-7d');
    assert.equal(demo.total, 1);
    assert.equal('pullRequestUrl' in (demo.samples[0] ?? {}), false, 'the demo repository exists nowhere');

    // A CI run stored before links were checked: its javascript: link is never handed out.
    const run = await push('/api/v1/events/ci-runs', {
      pipelineId: 'run-2',
      event: 'push',
      branch: 'main',
      repository: 'acme/billing',
      pipeline: 'ci',
      status: 'success',
      queuedAt: '2026-11-18T08:00:00Z',
      startedAt: '2026-11-18T08:01:00Z',
      finishedAt: '2026-11-18T08:09:00Z',
      url: 'https://ci.acme.test/runs/2',
    });
    assert.equal(run.statusCode, 200, run.body);
    const ci = await samples('/api/v1/teams/payments/metrics/ci/samples?period=last-7d');
    assert.equal(ci.samples[0]?.['url'], 'https://ci.acme.test/runs/2');
    await sql`update ci_runs set url = 'javascript:alert(1)'`.execute(fixture.handle.db);
    const unsafe = await samples('/api/v1/teams/payments/metrics/ci/samples?period=last-7d');
    assert.equal(unsafe.samples[0]?.['url'], null);
  });
});
