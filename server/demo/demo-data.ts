import type { OrganizationConfig, TeamConfig } from '#config/config.ts';
import { DAY_MS } from './demo-calendar.ts';
import { deliveryProfile } from './delivery-profiles.ts';
import type { DemoArchetype } from './demo-organization.ts';
import type { DemoData, DemoPullRequest } from './demo-rows.ts';
import { runDeploymentPipeline } from './deployment-pipeline.ts';
import type { IncidentDraft } from './deployment-pipeline.ts';
import { generatePullRequestActivity } from './pull-request-activity.ts';
import type { PullRequestDraft } from './pull-request-activity.ts';
import { SeededRandom } from './seeded-random.ts';
import { causelessIncidents, ongoingIncident } from './unplanned-incidents.ts';

export interface DemoPeriod {
  /** Whole days of history, ending at `until`. */
  days: number;
  seed: number;
  /** UTC midnight; the data covers [until − days, until). */
  until: Date;
}

/**
 * The delivery history of every team of `org`: pull requests, the commits their merges made, deployments
 * and what they shipped, incidents. Pure and deterministic: the same teams, archetypes and period always
 * give the same rows, with no clock, no `Math.random()` and no database.
 */
export function generateDemoData(
  org: Pick<OrganizationConfig, 'teams'>,
  archetypeOf: (slug: string) => DemoArchetype,
  period: DemoPeriod,
): DemoData {
  const all = emptyDemoData();
  for (const team of org.teams) {
    const data = generateDemoTeamData(team, archetypeOf(team.slug), period);
    append(all.repositories, data.repositories);
    append(all.commits, data.commits);
    append(all.pullRequests, data.pullRequests);
    append(all.deployments, data.deployments);
    append(all.deploymentCommits, data.deploymentCommits);
    append(all.incidents, data.incidents);
  }
  return all;
}

/**
 * One team's history. Each team draws from its own seeded stream, so a team's rows do not depend on how
 * many other teams there are, and the loader can generate and write one team at a time.
 */
export function generateDemoTeamData(
  team: TeamConfig,
  archetype: DemoArchetype,
  period: DemoPeriod,
): DemoData {
  assertDemoPeriod(period);
  const untilMs = period.until.getTime();
  const startMs = untilMs - period.days * DAY_MS;
  const teamRandom = new SeededRandom(period.seed, `team:${team.slug}`);
  const profile = deliveryProfile(archetype, teamRandom, untilMs);
  // Globs name repositories that may not exist yet; only exact names can be generated.
  const repositories = team.repositories.map((claim) => claim.pattern).filter((name) => !name.includes('*'));
  const services = team.services.map((claim) => claim.pattern).filter((name) => !name.includes('*'));
  const members = team.members.flatMap((member) => (member.github ? [member.github] : []));
  const authors = members.length > 0 ? members : [`dev-${team.slug}`];
  // The first repository is the busiest: weights 1, 1/2, 1/3 … of the team's pull requests.
  const weights = repositories.map((_, index) => 1 / (index + 1));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);

  const data: DemoData = { ...emptyDemoData(), repositories };
  const incidents: IncidentDraft[] = [];
  repositories.forEach((repository, index) => {
    const random = new SeededRandom(period.seed, `repository:${repository}`);
    const repositoryName = repository.split('/').at(-1) ?? repository;
    const activity = generatePullRequestActivity({
      repository,
      authors,
      pullRequestsPerWorkday: (profile.pullRequestsPerWorkday * (weights[index] ?? 0)) / totalWeight,
      profile,
      random,
      startMs,
      untilMs,
    });
    const pipeline = runDeploymentPipeline({
      repository,
      repositoryName,
      // Without a service to claim it, a deployment is attributed through its repository.
      service: services[index % Math.max(1, services.length)] ?? repositoryName,
      authors,
      profile,
      random,
      untilMs,
      activity,
    });
    append(data.commits, activity.commits);
    append(data.pullRequests, numberPullRequests(activity.pullRequests, random.integer(100, 2000)));
    append(data.deployments, pipeline.deployments);
    append(data.deploymentCommits, pipeline.deploymentCommits);
    append(incidents, pipeline.incidents);
  });
  append(incidents, causelessIncidents(services, profile, teamRandom, startMs, untilMs));
  const ongoing = ongoingIncident(data.deployments, services, profile, teamRandom, untilMs);
  if (ongoing) incidents.push(ongoing);
  data.incidents = incidents
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
    .map((incident, index) => ({ ...incident, externalId: `demo-incident-${team.slug}-${index + 1}` }));
  return data;
}

function emptyDemoData(): DemoData {
  return {
    repositories: [],
    commits: [],
    pullRequests: [],
    deployments: [],
    deploymentCommits: [],
    incidents: [],
  };
}

/** `push(...rows)` passes every row as an argument and overflows the stack for very long histories. */
function append<T>(target: T[], rows: readonly T[]): void {
  for (const row of rows) target.push(row);
}

/** Throws a RangeError unless `until` is a UTC midnight, `days` a positive integer and `seed` an integer. */
export function assertDemoPeriod(period: DemoPeriod): void {
  const untilMs = period.until.getTime();
  if (Number.isNaN(untilMs) || untilMs % DAY_MS !== 0) {
    throw new RangeError(`the demo period must end at a UTC midnight, not ${String(period.until)}`);
  }
  if (!Number.isInteger(period.days) || period.days < 1) {
    throw new RangeError(`the demo period needs a whole number of days, at least 1, not ${period.days}`);
  }
  if (!Number.isSafeInteger(period.seed))
    throw new RangeError(`the demo seed must be an integer, not ${period.seed}`);
}

/** Numbers follow creation order, from where the repository's earlier history left off (`firstNumber`). */
function numberPullRequests(drafts: readonly PullRequestDraft[], firstNumber: number): DemoPullRequest[] {
  return [...drafts]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((draft, index) => {
      const number = firstNumber + index;
      const repositoryName = draft.repository.split('/').at(-1) ?? draft.repository;
      return { ...draft, number, externalId: `demo-pr-${repositoryName}-${number}` };
    });
}
