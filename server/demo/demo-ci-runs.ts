import type { NewCiRun } from '#db/ci-tables.ts';
import type { DemoArchetype } from './demo-organization.ts';
import { DEMO_SOURCE } from './demo-rows.ts';
import type { DemoPullRequest } from './demo-rows.ts';
import type { DemoPeriod } from './demo-data.ts';
import { SeededRandom } from './seeded-random.ts';

/** A demo CI run attempt, by repository name. */
export type DemoCiRun = Omit<NewCiRun, 'repositoryId'> & { repository: string };

/** How a team's builds behave. Durations are lognormal medians in minutes; shares are probabilities. */
interface CiProfile {
  medianMinutes: number;
  sigma: number;
  queueMedianMinutes: number;
  /** A run fails (a real failure: it stays red until the next change). */
  failureShare: number;
  /** A run fails, then passes when re-run without a change. */
  flakyShare: number;
  cancelShare: number;
}

/**
 * The `unreliable-pipeline` team's builds are slow and flaky (the friction developers name most often); the
 * elite team's are quick. Steady teams vary a little around ten minutes.
 */
function ciProfile(archetype: DemoArchetype, random: SeededRandom): CiProfile {
  switch (archetype) {
    case 'elite':
      return {
        medianMinutes: 6,
        sigma: 0.35,
        queueMedianMinutes: 0.4,
        failureShare: 0.05,
        flakyShare: 0.01,
        cancelShare: 0.02,
      };
    case 'unreliable-pipeline':
      return {
        medianMinutes: 34,
        sigma: 0.5,
        queueMedianMinutes: 6,
        failureShare: 0.18,
        flakyShare: 0.16,
        cancelShare: 0.05,
      };
    default:
      return {
        medianMinutes: random.between(8, 14),
        sigma: 0.4,
        queueMedianMinutes: random.between(0.5, 1.5),
        failureShare: random.between(0.05, 0.1),
        flakyShare: random.between(0.01, 0.04),
        cancelShare: 0.03,
      };
  }
}

const MINUTE = 60_000;

/**
 * The team's CI runs, derived from its pull requests (pure and deterministic, on its own seeded stream so the
 * rest of the demo does not change): one to three runs while each pull request is open (pull_request events)
 * and one on the default branch when it merges (push). A flaky run fails, then passes on its re-run (attempt
 * 2); a run that finishes after `until` is left out.
 */
export function generateDemoCiRuns(
  teamSlug: string,
  archetype: DemoArchetype,
  pullRequests: readonly DemoPullRequest[],
  period: DemoPeriod,
): DemoCiRun[] {
  const random = new SeededRandom(period.seed, `ci:${teamSlug}`);
  const profile = ciProfile(archetype, random);
  const untilMs = period.until.getTime();
  const runs: DemoCiRun[] = [];
  const ordered = [...pullRequests].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const pr of ordered) {
    const closedMs = (pr.mergedAt ?? pr.closedAt)?.getTime() ?? untilMs;
    const pushes = random.integer(1, 3);
    for (let push = 0; push < pushes; push++) {
      const createdMs = pr.createdAt.getTime() + (push * (closedMs - pr.createdAt.getTime())) / (pushes + 1);
      const base = { repository: pr.repository, event: 'pull_request', branch: `pr-${pr.number}`, sha: null };
      runs.push(
        ...attemptsOf(`${pr.externalId}-${push + 1}`, base, 'pull_request', createdMs, profile, random),
      );
    }
    if (pr.mergedAt && pr.mergeCommitSha) {
      const base = {
        repository: pr.repository,
        event: 'push',
        branch: pr.baseBranch,
        sha: pr.mergeCommitSha,
      };
      runs.push(
        ...attemptsOf(
          `${pr.externalId}-merge`,
          base,
          'default_branch',
          pr.mergedAt.getTime() + MINUTE,
          profile,
          random,
        ),
      );
    }
  }
  return runs.filter(
    (run) => run.runCreatedAt instanceof Date && (run.finishedAt as Date).getTime() < untilMs,
  );
}

function attemptsOf(
  id: string,
  base: { repository: string; event: string; branch: string; sha: string | null },
  branchKind: DemoCiRun['branchKind'],
  createdMs: number,
  profile: CiProfile,
  random: SeededRandom,
): DemoCiRun[] {
  const roll = random.next();
  const flaky = roll < profile.flakyShare;
  const outcome =
    flaky || roll < profile.flakyShare + profile.failureShare
      ? 'failure'
      : roll < profile.flakyShare + profile.failureShare + profile.cancelShare
        ? 'cancelled'
        : 'success';
  const attempt = (
    number: number,
    conclusion: 'success' | 'failure' | 'cancelled',
    queuedMs: number | null,
    startMs: number,
  ) => {
    const minutes =
      random.lognormal(profile.medianMinutes, profile.sigma) * (conclusion === 'cancelled' ? 0.3 : 1);
    return {
      source: DEMO_SOURCE,
      externalId: `demo-ci-${id.replace(/^demo-pr-/, '')}`,
      attempt: number,
      ...base,
      pipeline: 'build-and-test',
      branchKind,
      status: 'completed' as const,
      conclusion,
      originalConclusion: conclusion,
      runCreatedAt: new Date(createdMs),
      queuedAt: queuedMs === null ? null : new Date(queuedMs),
      startedAt: new Date(startMs),
      finishedAt: new Date(startMs + Math.round(minutes * MINUTE)),
      url: null,
      teamId: null,
      teamAttribution: null,
    };
  };
  const queueMs = Math.round(random.lognormal(profile.queueMedianMinutes, 0.6) * MINUTE);
  const first = attempt(1, outcome, createdMs, createdMs + queueMs);
  if (!flaky) return [first];
  // Someone notices the red build and re-runs it.
  const rerunMs = (first.finishedAt as Date).getTime() + Math.round(random.between(5, 40) * MINUTE);
  return [first, attempt(2, 'success', null, rerunMs)];
}
