import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deploymentOutcome, firstReviewAt, isBot, mapPullRequest } from './map.ts';
import type { GithubPullRequest } from './map.ts';

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
