import { DAY_MS, HOUR_MS, MINUTE_MS, isWeekend, toWorkingHours } from './demo-calendar.ts';
import { slowdownAt } from './delivery-profiles.ts';
import type { DeliveryProfile } from './delivery-profiles.ts';
import type { DemoCommit, DemoPullRequest } from './demo-rows.ts';
import type { SeededRandom } from './seeded-random.ts';

/** A change merged to the default branch, waiting to be deployed. */
export interface MergedChange {
  mergedAtMs: number;
  mergeCommitSha: string;
  /** Every commit the merge put on the default branch, the merge commit last. */
  shas: string[];
}

/** A pull request before it is numbered (numbers follow creation order, known once all are generated). */
export type PullRequestDraft = Omit<DemoPullRequest, 'number' | 'externalId'>;

export interface RepositoryActivity {
  pullRequests: PullRequestDraft[];
  commits: DemoCommit[];
  /** In merge order. */
  merges: MergedChange[];
}

export interface ActivityInput {
  repository: string;
  authors: readonly string[];
  /** Pull requests opened per working day in this repository. */
  pullRequestsPerWorkday: number;
  profile: DeliveryProfile;
  random: SeededRandom;
  startMs: number;
  untilMs: number;
}

/** Weekend days see this fraction of a working day's pull requests. */
const WEEKEND_ACTIVITY = 0.06;
const BOT_SHARE = 0.05;
const ABANDONED_SHARE = 0.05;
/** Merged with "squash and merge": one new commit on the default branch, made at merge time. */
const SQUASH_SHARE = 0.4;
const BOT_LOGIN = 'dependabot[bot]';

/** The pull requests of one repository over [startMs, untilMs), with the commits their merges made. */
export function generatePullRequestActivity(input: ActivityInput): RepositoryActivity {
  const activity: RepositoryActivity = { pullRequests: [], commits: [], merges: [] };
  for (let dayMs = input.startMs; dayMs < input.untilMs; dayMs += DAY_MS) {
    const expected = input.pullRequestsPerWorkday * (isWeekend(dayMs) ? WEEKEND_ACTIVITY : 1);
    const count = input.random.poisson(expected);
    for (let i = 0; i < count; i++) {
      const timeline = input.random.chance(BOT_SHARE)
        ? botTimeline(input, dayMs)
        : humanTimeline(input, dayMs);
      const merge = recordPullRequest(activity, input, timeline);
      if (merge) activity.merges.push(merge);
    }
  }
  activity.merges.sort((a, b) => a.mergedAtMs - b.mergedAtMs);
  return activity;
}

/** When each step of a pull request would happen; `recordPullRequest` cuts it off at `until`. */
export interface PullRequestTimeline {
  title: string;
  authorLogin: string;
  authorIsBot: boolean;
  firstCommitMs: number;
  createdMs: number;
  reviewMs: number | null;
  /** When it would be merged, or null if it is abandoned. */
  mergeMs: number | null;
  /** When an abandoned pull request is closed. */
  closeMs: number | null;
  additions: number;
  deletions: number;
  changedFiles: number;
  commitCount: number;
  squash: boolean;
}

function humanTimeline(input: ActivityInput, dayMs: number): PullRequestTimeline {
  const { random, profile } = input;
  const firstCommitMs = dayMs + random.between(8.5, 18) * HOUR_MS;
  const slowdown = slowdownAt(profile, firstCommitMs);
  const additions = Math.max(1, Math.round(random.lognormal(profile.medianAdditions, 1)));
  // Reviewers put off big pull requests: the wait grows with the square root of the size.
  const sizeFactor = Math.min(2.5, Math.max(0.5, Math.sqrt(additions / profile.medianAdditions)));
  const hours = (median: number, sigma: number) => random.lognormal(median * slowdown, sigma) * HOUR_MS;
  const createdMs = toWorkingHours(firstCommitMs + hours(profile.codingHours, 0.8), random);
  const reviewMs = toWorkingHours(createdMs + hours(profile.reviewWaitHours * sizeFactor, 0.9), random);
  const abandoned = random.chance(ABANDONED_SHARE);
  const mergeMs = toWorkingHours(reviewMs + hours(profile.reviewToMergeHours, 0.9), random);
  return {
    title: `${random.pick(VERBS)} ${random.pick(TOPICS)}`,
    authorLogin: random.pick(input.authors),
    authorIsBot: false,
    firstCommitMs,
    createdMs,
    reviewMs,
    mergeMs: abandoned ? null : mergeMs,
    closeMs: abandoned ? mergeMs + random.lognormal(24, 1) * HOUR_MS : null,
    additions,
    deletions: Math.round(additions * random.between(0.05, 0.7)),
    changedFiles: Math.max(1, Math.round(additions / random.between(20, 60))),
    commitCount: 1 + random.poisson(Math.min(4, additions / 80)),
    squash: random.chance(SQUASH_SHARE),
  };
}

/** Dependabot opens small pull requests at night; a person reviews them in working hours. */
function botTimeline(input: ActivityInput, dayMs: number): PullRequestTimeline {
  const { random } = input;
  const createdMs = dayMs + random.between(3, 7) * HOUR_MS;
  const reviewMs = toWorkingHours(createdMs + random.lognormal(6, 0.8) * HOUR_MS, random);
  const superseded = random.chance(0.25); // a newer version came out first
  const mergeMs = toWorkingHours(reviewMs + random.lognormal(0.5, 0.8) * HOUR_MS, random);
  const additions = Math.max(1, Math.round(random.lognormal(8, 0.8)));
  const library = random.pick(LIBRARIES);
  const minor = random.integer(0, 30);
  return {
    title: `Bump ${library} from 2.${minor}.0 to 2.${minor + 1}.0`,
    authorLogin: BOT_LOGIN,
    authorIsBot: true,
    firstCommitMs: createdMs - MINUTE_MS,
    createdMs,
    reviewMs,
    mergeMs: superseded ? null : mergeMs,
    closeMs: superseded ? createdMs + random.lognormal(48, 0.7) * HOUR_MS : null,
    additions,
    deletions: additions,
    changedFiles: random.integer(1, 2),
    commitCount: 1,
    squash: true,
  };
}

/**
 * Adds what of `timeline` happened before `until` (a pull request opened near the end is still open) and
 * the commits its merge put on the default branch; returns the merge, if there was one.
 */
export function recordPullRequest(
  activity: RepositoryActivity,
  input: Pick<ActivityInput, 'repository' | 'random' | 'untilMs'>,
  timeline: PullRequestTimeline,
): MergedChange | null {
  const { untilMs, repository } = input;
  if (timeline.createdMs >= untilMs) return null;
  const before = (ms: number | null) => (ms !== null && ms < untilMs ? ms : null);
  const reviewMs = before(timeline.reviewMs);
  const mergeMs = before(timeline.mergeMs);
  const closeMs = mergeMs ?? before(timeline.closeMs); // GitHub closes a pull request when it merges it
  const shas = mergeMs === null ? [] : mergeCommits(activity, timeline, mergeMs, input);
  const mergeCommitSha = shas.at(-1) ?? null;
  activity.pullRequests.push({
    repository,
    title: timeline.title,
    state: mergeMs !== null ? 'merged' : closeMs !== null ? 'closed' : 'open',
    authorLogin: timeline.authorLogin,
    authorIsBot: timeline.authorIsBot,
    baseBranch: 'main',
    createdAt: new Date(timeline.createdMs),
    firstCommitAuthoredAt: new Date(timeline.firstCommitMs),
    firstReviewAt: reviewMs === null ? null : new Date(reviewMs),
    mergedAt: mergeMs === null ? null : new Date(mergeMs),
    closedAt: closeMs === null ? null : new Date(closeMs),
    mergeCommitSha,
    additions: timeline.additions,
    deletions: timeline.deletions,
    changedFiles: timeline.changedFiles,
    commitCount: timeline.commitCount,
    sourceUpdatedAt: new Date(Math.max(timeline.createdMs, reviewMs ?? 0, closeMs ?? 0)),
    // Every commit but the merge (or squash) commit itself is one of the PR's own.
    commitShas: shas.slice(0, -1),
  });
  return mergeCommitSha === null || mergeMs === null ? null : { mergedAtMs: mergeMs, mergeCommitSha, shas };
}

/**
 * The commits a merge puts on the default branch. A squash merge makes one commit at merge time (so the
 * pull request's first commit is older than anything on the branch); a merge commit brings the branch's
 * commits along, authored from the first commit on.
 */
function mergeCommits(
  activity: RepositoryActivity,
  timeline: PullRequestTimeline,
  mergeMs: number,
  input: Pick<ActivityInput, 'repository' | 'random'>,
): string[] {
  const { random, repository } = input;
  const authoredMs: number[] = [];
  if (!timeline.squash) {
    authoredMs.push(timeline.firstCommitMs);
    for (let i = 1; i < timeline.commitCount; i++)
      authoredMs.push(random.between(timeline.firstCommitMs, mergeMs));
    authoredMs.sort((a, b) => a - b);
  }
  authoredMs.push(mergeMs);
  return authoredMs.map((ms) => {
    const sha = random.sha();
    activity.commits.push({ repository, sha, authoredAt: new Date(ms), committedAt: new Date(ms) });
    return sha;
  });
}

const VERBS = ['Add', 'Fix', 'Refactor', 'Remove', 'Update', 'Improve', 'Handle', 'Simplify'] as const;
const TOPICS = [
  'retry logic for webhooks',
  'pagination in the list endpoint',
  'currency rounding',
  'a flaky integration test',
  'logging around timeouts',
  'the feature flag for the new flow',
  'input validation',
  'cache invalidation',
  'metrics for queue depth',
  'the error page copy',
  'database connection pooling',
  'the onboarding checklist',
] as const;
const LIBRARIES = ['lodash', 'express', 'pg', 'react', 'typescript', 'eslint', 'axios', 'zod'] as const;
