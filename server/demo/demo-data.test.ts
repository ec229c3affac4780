import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeOrganization } from '#config/config.ts';
import type { TeamConfig } from '#config/config.ts';
import { generateDemoData } from './demo-data.ts';
import { demoOrganization, demoTeamArchetype } from './demo-organization.ts';
import type { DemoData } from './demo-rows.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const until = new Date('2026-11-01T00:00:00Z');
const days = 180;
const org = normalizeOrganization(demoOrganization(8), 'demo');
const generate = (seed: number, teams = org.teams) =>
  generateDemoData({ teams }, demoTeamArchetype, { days, seed, until });
const data = generate(42);
const team = (slug: string) => org.teams.find((candidate) => candidate.slug === slug) as TeamConfig;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function productionDeploymentsOf(slug: string, rows: DemoData = data) {
  const repositories = new Set(team(slug).repositories.map((claim) => claim.pattern));
  return rows.deployments.filter((d) => d.environment === 'production' && repositories.has(d.repository));
}

/** For each merged pull request of the team that reached production: merged, first commit and deployed times. */
function shippedPullRequestsOf(slug: string) {
  const repositories = new Set(team(slug).repositories.map((claim) => claim.pattern));
  const finishedAt = new Map(data.deployments.map((d) => [d.externalId, d.finishedAt.getTime()]));
  const deployedAt = new Map<string, number>();
  for (const link of data.deploymentCommits) {
    deployedAt.set(`${link.repository}@${link.sha}`, finishedAt.get(link.deploymentExternalId) as number);
  }
  return data.pullRequests.flatMap((pr) => {
    const deployed = deployedAt.get(`${pr.repository}@${pr.mergeCommitSha}`);
    if (!repositories.has(pr.repository) || !pr.mergedAt || deployed === undefined) return [];
    return [
      {
        mergedMs: pr.mergedAt.getTime(),
        firstCommitMs: pr.firstCommitAuthoredAt.getTime(),
        deployedMs: deployed,
      },
    ];
  });
}

const medianMergeToDeployHours = (slug: string) =>
  median(shippedPullRequestsOf(slug).map((pr) => (pr.deployedMs - pr.mergedMs) / HOUR_MS));

const failedShare = (slug: string) => {
  const deployments = productionDeploymentsOf(slug);
  return deployments.filter((d) => d.status === 'failure').length / deployments.length;
};

describe('determinism', () => {
  test('the same seed, until, days and teams give identical rows, down to the serialised bytes', () => {
    const again = generate(42);
    assert.deepStrictEqual(again, data);
    assert.equal(JSON.stringify(again), JSON.stringify(data));
  });

  test('another seed gives other data', () => {
    const other = generate(43);
    assert.notDeepStrictEqual(other.deployments, data.deployments);
    assert.notDeepStrictEqual(other.pullRequests, data.pullRequests);
  });

  test("a team's rows do not depend on how many other teams there are", () => {
    const firstFour = generate(42, org.teams.slice(0, 4));
    const repositories = new Set(firstFour.repositories);
    assert.deepStrictEqual(
      firstFour.deployments,
      data.deployments.filter((d) => repositories.has(d.repository)),
    );
  });
});

describe('shape', () => {
  test('every timestamp lies in [until − 180 days, until)', () => {
    const fromMs = until.getTime() - days * DAY_MS;
    let checked = 0;
    for (const rows of [data.commits, data.pullRequests, data.deployments, data.incidents]) {
      for (const row of rows) {
        for (const value of Object.values(row)) {
          if (!(value instanceof Date)) continue;
          assert.ok(value.getTime() >= fromMs && value.getTime() < until.getTime(), value.toISOString());
          checked++;
        }
      }
    }
    // At least: commits 2 (authored, committed), pull requests 3 (first commit, created, updated),
    // deployments 2 (started, finished), incidents 1 (started).
    const atLeast = 2 * data.commits.length + 3 * data.pullRequests.length + 2 * data.deployments.length;
    assert.ok(checked >= atLeast + data.incidents.length, `only ${checked} timestamps`);
  });

  test('about 10–40 rows per team and day', () => {
    const rows = Object.values(data).reduce((sum, list: unknown[]) => sum + list.length, 0);
    const perTeamDay = rows / (8 * days);
    assert.ok(perTeamDay >= 10 && perTeamDay <= 40, `${perTeamDay} rows per team-day`);
  });

  test('pull requests run first commit → opened → first review → merged, and each merge commit is on main', () => {
    const commits = new Map(data.commits.map((c) => [`${c.repository}@${c.sha}`, c]));
    const merged = data.pullRequests.filter((pr) => pr.state === 'merged');
    assert.ok(merged.length > 2000);
    for (const pr of merged) {
      const times = [pr.firstCommitAuthoredAt, pr.createdAt, pr.firstReviewAt, pr.mergedAt].map(
        (d) => d?.getTime() ?? NaN,
      );
      assert.deepEqual(
        [...times].sort((a, b) => a - b),
        times,
        pr.externalId,
      );
      const mergeCommit = commits.get(`${pr.repository}@${pr.mergeCommitSha}`);
      assert.equal(mergeCommit?.committedAt.getTime(), pr.mergedAt?.getTime(), pr.externalId);
    }
    // Squash merges: the only commit on main is made at merge time, after the pull request's first commit.
    assert.ok(merged.some((pr) => pr.commitCount > 1 && pr.firstCommitAuthoredAt < (pr.mergedAt as Date)));
    const states = new Set(data.pullRequests.map((pr) => pr.state));
    assert.deepEqual([...states].sort(), ['closed', 'merged', 'open']);
  });

  test('some pull requests come from dependabot, flagged as a bot', () => {
    const bots = data.pullRequests.filter((pr) => pr.authorIsBot);
    assert.ok(
      bots.length > 50 && bots.length < data.pullRequests.length * 0.1,
      `${bots.length} bot pull requests`,
    );
    assert.ok(bots.every((pr) => pr.authorLogin === 'dependabot[bot]' && pr.title.startsWith('Bump ')));
  });

  test('a commit ships once, with a successful production deployment that started after it was made', () => {
    const deployments = new Map(data.deployments.map((d) => [d.externalId, d]));
    const commits = new Map(data.commits.map((c) => [`${c.repository}@${c.sha}`, c]));
    const shipped = new Set<string>();
    for (const link of data.deploymentCommits) {
      const deployment = deployments.get(link.deploymentExternalId);
      const commit = commits.get(`${link.repository}@${link.sha}`);
      assert.equal(deployment?.environment, 'production');
      assert.equal(deployment?.status, 'success');
      assert.ok(commit && deployment && commit.committedAt <= deployment.startedAt, link.sha);
      assert.ok(!shipped.has(`${link.repository}@${link.sha}`), 'shipped twice');
      shipped.add(`${link.repository}@${link.sha}`);
    }
    const kinds = new Set(data.deployments.map((d) => `${d.environment}/${d.status}/${d.kind}`));
    for (const expected of [
      'staging/success/planned',
      'production/failure/planned',
      'production/success/rollback',
    ]) {
      assert.ok(kinds.has(expected), expected);
    }
    assert.ok(kinds.has('production/success/hotfix'));
  });

  test('incidents: most name the successful deployment before them, a few have no cause, a few are still open', () => {
    const deployments = new Map(data.deployments.map((d) => [d.externalId, d]));
    const caused = data.incidents.filter((i) => i.causeDeploymentExternalId !== null);
    assert.ok(caused.length > data.incidents.length * 0.6, `${caused.length} of ${data.incidents.length}`);
    assert.ok(caused.length < data.incidents.length);
    for (const incident of caused) {
      const cause = deployments.get(incident.causeDeploymentExternalId as string);
      assert.equal(cause?.status, 'success');
      assert.ok(cause && cause.finishedAt < incident.startedAt, incident.externalId);
    }
    const open = data.incidents.filter((i) => i.resolvedAt === null);
    assert.ok(open.length >= 1 && open.length <= 8, `${open.length} open incidents`);
    assert.ok(open.every((i) => i.startedAt.getTime() > until.getTime() - 2 * DAY_MS));
    assert.deepEqual([...new Set(data.incidents.map((i) => i.severity))].sort(), ['sev1', 'sev2', 'sev3']);
  });

  test('weekends see far fewer production deployments than weekdays', () => {
    const perWeekday = [0, 0, 0, 0, 0, 0, 0];
    for (const d of data.deployments)
      if (d.environment === 'production') perWeekday[d.startedAt.getUTCDay()]! += 1;
    const [sunday = 0, monday = 0, , , , friday = 0, saturday = 0] = perWeekday;
    // 180 days hold 25–26 of each weekday, so per-day counts compare directly.
    assert.ok(sunday + saturday < (monday + friday) / 10, JSON.stringify(perWeekday));
  });

  test('a period that does not end at UTC midnight is refused', () => {
    const noon = new Date('2026-11-01T12:00:00Z');
    assert.throws(
      () => generateDemoData(org, demoTeamArchetype, { days: 1, seed: 1, until: noon }),
      RangeError,
    );
    assert.throws(() => generateDemoData(org, demoTeamArchetype, { days: 0, seed: 1, until }), RangeError);
  });
});

describe('archetypes tell their stories', () => {
  test('elite ships a merge within hours; waiting-on-ops waits about a day or more for the ops window', () => {
    const elite = medianMergeToDeployHours('payments');
    const waiting = medianMergeToDeployHours('identity');
    assert.ok(elite < 2, `elite ${elite} h`);
    assert.ok(waiting > 20, `waiting-on-ops ${waiting} h`);
    assert.ok(elite * 10 < waiting);
  });

  test('waiting-on-ops plans production deployments on Tuesdays and Thursdays only', () => {
    const planned = productionDeploymentsOf('identity').filter((d) => d.kind === 'planned');
    assert.ok(planned.length > 40);
    assert.deepEqual([...new Set(planned.map((d) => d.startedAt.getUTCDay()))].sort(), [2, 4]);
  });

  test('unreliable-pipeline has the largest share of failed deployments, about a quarter', () => {
    const shares = org.teams.map((t) => ({ slug: t.slug, share: failedShare(t.slug) }));
    const worst = shares.reduce((a, b) => (b.share > a.share ? b : a));
    assert.equal(worst.slug, 'checkout');
    assert.ok(worst.share > 0.18 && worst.share < 0.35, `${worst.share}`);
  });

  test('unreliable-pipeline: about a third of its successful deployments cause an incident, elite almost none', () => {
    const causes = new Set(data.incidents.map((i) => i.causeDeploymentExternalId));
    const causedShare = (slug: string) => {
      const successful = productionDeploymentsOf(slug).filter((d) => d.status === 'success');
      return successful.filter((d) => causes.has(d.externalId)).length / successful.length;
    };
    const unreliable = causedShare('checkout');
    assert.ok(unreliable > 0.25 && unreliable < 0.45, `${unreliable}`);
    assert.ok(causedShare('payments') < 0.06);
  });

  test('elite restores service in under an hour (median), unreliable-pipeline takes many', () => {
    const recoveryHours = (slug: string) => {
      const services = new Set(team(slug).services.map((claim) => claim.pattern));
      const resolved = data.incidents.filter((i) => services.has(i.service) && i.resolvedAt);
      return median(
        resolved.map((i) => ((i.resolvedAt as Date).getTime() - i.startedAt.getTime()) / HOUR_MS),
      );
    };
    assert.ok(recoveryHours('payments') < 1, `${recoveryHours('payments')}`);
    assert.ok(recoveryHours('checkout') > 4, `${recoveryHours('checkout')}`);
  });

  test('regressed: lead time (first commit → production) in the last 30 days is at least twice the earlier', () => {
    const cutMs = until.getTime() - 30 * DAY_MS;
    const shipped = shippedPullRequestsOf('search');
    const leadHours = (prs: typeof shipped) =>
      median(prs.map((pr) => (pr.deployedMs - pr.firstCommitMs) / HOUR_MS));
    const before = leadHours(shipped.filter((pr) => pr.mergedMs < cutMs));
    const after = leadHours(shipped.filter((pr) => pr.mergedMs >= cutMs));
    assert.ok(after >= 2 * before, `before ${before} h, after ${after} h`);
  });
});
