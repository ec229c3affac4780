import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  causeReference,
  DEFAULT_AUTHOR_EXCLUSION,
  deploymentOutcome,
  firstReviewAt,
  globMatcher,
  isBot,
  isExcludedAuthor,
  mapIncidentIssue,
  mapPullRequest,
  mapRelease,
  releaseDeployment,
  workflowRunDeployment,
} from './map.ts';
import type { GithubIncidentIssue, GithubPullRequest, GithubRelease, GithubWorkflowRun } from './map.ts';

const pr = (overrides: Partial<GithubPullRequest> = {}): GithubPullRequest => ({
  id: 'PR_1',
  number: 7,
  title: 'Add a thing',
  state: 'MERGED',
  createdAt: '2026-10-01T10:00:00Z',
  updatedAt: '2026-10-02T10:00:00Z',
  mergedAt: '2026-10-02T09:00:00Z',
  closedAt: '2026-10-02T09:00:00Z',
  baseRefName: 'main',
  additions: 30,
  deletions: 4,
  changedFiles: 3,
  author: { login: 'Ana', __typename: 'User' },
  mergeCommit: { oid: 'ABC123' },
  commits: {
    totalCount: 2,
    nodes: [
      { commit: { oid: 'c1', authoredDate: '2026-09-30T08:00:00Z', committedDate: '2026-10-01T09:00:00Z' } },
    ],
  },
  reviews: { nodes: [] },
  ...overrides,
});

describe('GitHub mappers', () => {
  test('a merged PR: first commit authored date, merge commit lower-cased, size, not a bot', () => {
    const row = mapPullRequest(5, pr());
    assert.equal(row.state, 'merged');
    assert.equal(row.authorLogin, 'ana');
    assert.equal(row.mergeCommitSha, 'abc123');
    assert.deepEqual(row.firstCommitAuthoredAt, new Date('2026-09-30T08:00:00Z'));
    assert.equal(row.commitCount, 2);
    assert.equal(row.additions, 30);
    assert.equal(row.authorIsBot, false);
  });

  test('bots: Bot actors, dependabot and renovate', () => {
    assert.equal(isBot({ login: 'dependabot[bot]', __typename: 'Bot' }), true);
    assert.equal(isBot({ login: 'renovate-bot', __typename: 'User' }), true);
    assert.equal(isBot({ login: 'ana', __typename: 'User' }), false);
    assert.equal(isBot(null), false);
  });

  test("first review: the earliest by someone else, not a bot, ignoring the author's own and pending ones", () => {
    const reviews = {
      nodes: [
        { submittedAt: '2026-10-01T11:00:00Z', author: { login: 'ana', __typename: 'User' } },
        { submittedAt: null, author: { login: 'bo', __typename: 'User' } },
        { submittedAt: '2026-10-01T12:00:00Z', author: { login: 'ci[bot]', __typename: 'Bot' } },
        { submittedAt: '2026-10-01T15:00:00Z', author: { login: 'cy', __typename: 'User' } },
        { submittedAt: '2026-10-01T13:00:00Z', author: { login: 'bo', __typename: 'User' } },
      ],
    };
    assert.deepEqual(firstReviewAt(pr({ reviews })), new Date('2026-10-01T13:00:00Z'));
    assert.equal(firstReviewAt(pr({ reviews: { nodes: [reviews.nodes[0] ?? null] } })), null);
  });

  test('deployment outcome: ever SUCCESS wins over a later INACTIVE, whatever order statuses come in', () => {
    const outcome = deploymentOutcome([
      { state: 'INACTIVE', createdAt: '2026-10-03T00:00:00Z' },
      { state: 'SUCCESS', createdAt: '2026-10-01T10:05:00Z' },
      { state: 'IN_PROGRESS', createdAt: '2026-10-01T10:00:00Z' },
    ]);
    assert.deepEqual(outcome, {
      status: 'success',
      originalStatus: 'inactive',
      finishedAt: new Date('2026-10-01T10:05:00Z'),
    });
  });

  test('deployment outcome: failure at its last FAILURE/ERROR; INACTIVE alone is in progress', () => {
    assert.deepEqual(
      deploymentOutcome([
        { state: 'ERROR', createdAt: '2026-10-01T10:05:00Z' },
        { state: 'PENDING', createdAt: '2026-10-01T10:00:00Z' },
      ]),
      { status: 'failure', originalStatus: 'error', finishedAt: new Date('2026-10-01T10:05:00Z') },
    );
    assert.equal(
      deploymentOutcome([{ state: 'INACTIVE', createdAt: '2026-10-01T10:00:00Z' }]).status,
      'in_progress',
    );
    assert.equal(deploymentOutcome([]).status, 'in_progress');
  });
});

const issue = (overrides: Partial<GithubIncidentIssue> = {}): GithubIncidentIssue => ({
  number: 12,
  title: 'Checkout is down',
  body: '',
  createdAt: '2026-10-01T10:00:00Z',
  updatedAt: '2026-10-01T12:00:00Z',
  closedAt: '2026-10-01T12:00:00Z',
  state: 'CLOSED',
  stateReason: 'COMPLETED',
  labels: { nodes: [{ name: 'Incident' }, { name: 'sev-1' }] },
  timelineItems: { nodes: [{ createdAt: '2026-10-01T10:00:00Z', label: { name: 'incident' } }, {}] },
  ...overrides,
});
const repository = { id: 3, fullName: 'acme/shop' };

describe('GitHub incident issues', () => {
  test('an incident: opened with the label → restored when closed; severity from a sev label', () => {
    const row = mapIncidentIssue(repository, issue(), 'incident');
    assert.ok(row);
    assert.equal(row.externalId, 'acme/shop#12');
    assert.equal(row.source, 'github');
    assert.equal(row.repositoryId, 3);
    assert.equal(row.severity, 'sev-1');
    assert.deepEqual(row.startedAt, new Date('2026-10-01T10:00:00Z'));
    assert.deepEqual(row.resolvedAt, new Date('2026-10-01T12:00:00Z'));
    assert.equal(row.causeReference, null);
  });

  test('labelled later: starts at the label; labelled after it was closed: at creation', () => {
    const later = { nodes: [{ createdAt: '2026-10-01T11:00:00Z', label: { name: 'incident' } }] };
    assert.deepEqual(
      mapIncidentIssue(repository, issue({ timelineItems: later }), 'incident')?.startedAt,
      new Date('2026-10-01T11:00:00Z'),
    );
    const afterClose = { nodes: [{ createdAt: '2026-10-02T09:00:00Z', label: { name: 'incident' } }] };
    assert.deepEqual(
      mapIncidentIssue(repository, issue({ timelineItems: afterClose }), 'incident')?.startedAt,
      new Date('2026-10-01T10:00:00Z'),
    );
  });

  test('open or reopened: unresolved; closed as not planned or duplicate: not an incident', () => {
    assert.equal(
      mapIncidentIssue(repository, issue({ state: 'OPEN', stateReason: 'REOPENED' }), 'incident')?.resolvedAt,
      null,
    );
    assert.equal(mapIncidentIssue(repository, issue({ stateReason: 'NOT_PLANNED' }), 'incident'), null);
    assert.equal(mapIncidentIssue(repository, issue({ stateReason: 'DUPLICATE' }), 'incident'), null);
  });

  test('the cause an issue names: deploy:<id|sha>, another repository, a commit link; labels first', () => {
    assert.equal(causeReference('acme/shop', ['rolled back deploy:1234567890']), 'acme/shop@1234567890');
    assert.equal(causeReference('acme/shop', ['Deployment: ABCDEF1 broke it']), 'acme/shop@abcdef1');
    assert.equal(causeReference('acme/shop', ['deploy:acme/api@9f8e7d6c']), 'acme/api@9f8e7d6c');
    assert.equal(
      causeReference('acme/shop', ['since https://github.com/Acme/API/commit/0123456789abcdef ']),
      'acme/api@0123456789abcdef',
    );
    assert.equal(causeReference('acme/shop', ['deploy:42', 'deploy:43']), 'acme/shop@42');
    assert.equal(causeReference('acme/shop', ['deployed fine', 'sha 1234567']), null);
    const row = mapIncidentIssue(
      repository,
      issue({ labels: { nodes: [{ name: 'incident' }, { name: 'deploy:777' }] }, body: 'deploy:888' }),
      'incident',
    );
    assert.equal(row?.causeReference, 'acme/shop@777');
  });
});

describe('deployments from releases and workflow runs', () => {
  const release = (overrides: Partial<GithubRelease> = {}): GithubRelease => ({
    databaseId: 55,
    tagName: 'v2.1.0',
    name: 'v2.1.0',
    createdAt: '2026-10-01T10:00:00Z',
    publishedAt: '2026-10-01T10:30:00Z',
    isDraft: false,
    isPrerelease: false,
    tagCommit: { oid: 'ABC1234' },
    ...overrides,
  });

  test('a published release deploys its tag commit when it is published; drafts and prereleases do not', () => {
    const deployment = releaseDeployment(4, release(), 'production');
    assert.ok(deployment);
    assert.equal(deployment.source, 'github-release');
    assert.equal(deployment.externalId, '55');
    assert.equal(deployment.sha, 'abc1234');
    assert.deepEqual(deployment.finishedAt, new Date('2026-10-01T10:30:00Z'));
    assert.equal(releaseDeployment(4, release({ isDraft: true, publishedAt: null }), 'production'), null);
    assert.equal(releaseDeployment(4, release({ isPrerelease: true }), 'production'), null);
    assert.equal(mapRelease(4, release({ isDraft: true, publishedAt: null }))?.publishedAt, null);
  });

  test('a successful completed run deploys its head commit; other runs do not', () => {
    const run: GithubWorkflowRun = {
      id: 9001,
      head_sha: 'DEF5678',
      head_branch: 'main',
      status: 'completed',
      conclusion: 'success',
      created_at: '2026-10-01T10:00:00Z',
      updated_at: '2026-10-01T10:12:00Z',
      run_started_at: '2026-10-01T10:01:00Z',
    };
    const deployment = workflowRunDeployment(4, run, 'prod');
    assert.equal(deployment?.source, 'github-actions');
    assert.equal(deployment?.environment, 'prod');
    assert.deepEqual(deployment?.startedAt, new Date('2026-10-01T10:01:00Z'));
    assert.deepEqual(deployment?.finishedAt, new Date('2026-10-01T10:12:00Z'));
    assert.equal(workflowRunDeployment(4, { ...run, conclusion: 'failure' }, 'prod'), null);
    assert.equal(workflowRunDeployment(4, { ...run, status: 'in_progress', conclusion: null }, 'prod'), null);
  });
});

describe('which authors are left out of lead time', () => {
  test('by default GitHub Bot actors and dependency bots signing in as users', () => {
    const excluded = (login: string, __typename = 'User') =>
      isExcludedAuthor({ login, __typename }, DEFAULT_AUTHOR_EXCLUSION);
    assert.equal(excluded('dependabot', 'Bot'), true);
    assert.equal(excluded('renovate-bot'), true);
    assert.equal(excluded('release-please[bot]'), true);
    assert.equal(excluded('ana'), false);
  });

  test('configurable: bots kept in, a team account left out', () => {
    const exclusion = { bots: false, authors: [globMatcher('svc-*')] };
    assert.equal(isExcludedAuthor({ login: 'dependabot', __typename: 'Bot' }, exclusion), false);
    assert.equal(isExcludedAuthor({ login: 'SVC-deploy', __typename: 'User' }, exclusion), true);
    assert.equal(
      mapPullRequest(5, pr({ author: { login: 'svc-sync', __typename: 'User' } }), exclusion).authorIsBot,
      true,
    );
  });
});
