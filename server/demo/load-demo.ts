import type { Kysely } from 'kysely';
import { normalizeOrganization } from '#config/config.ts';
import { ensureRepositories } from '#db/code-repositories.repository.ts';
import { upsertCommits } from '#db/commits.repository.ts';
import { deploymentKey, linkDeploymentCommits, upsertDeployments } from '#db/deployments.repository.ts';
import { upsertIncidents } from '#db/incidents.repository.ts';
import { replacePullRequestCommits, upsertPullRequests } from '#db/pull-requests.repository.ts';
import type { Database } from '#db/tables.ts';
import { syncOrganization } from '#server/org/organization-sync.ts';
import { upsertCiRuns } from '#db/ci-runs.repository.ts';
import { generateDemoCiRuns } from './demo-ci-runs.ts';
import type { DemoCiRun } from './demo-ci-runs.ts';
import { assertDemoPeriod, generateDemoTeamData } from './demo-data.ts';
import { demoOrganization, demoTeamArchetype } from './demo-organization.ts';
import { DEMO_SOURCE } from './demo-rows.ts';
import type { DemoData } from './demo-rows.ts';
import { loadDemoSurveyResponses } from './load-demo-surveys.ts';
import { generateDemoTickets } from './demo-tickets.ts';
import { upsertTickets } from '#db/tickets.repository.ts';
import { loadSurveys } from '../../scorecards/load-surveys.ts';

export interface DemoLoadOptions {
  teams: number;
  /** Whole days of history before `until`. */
  days: number;
  seed: number;
  /** UTC midnight: the data covers [until − days, until). */
  until: Date;
}

/** How many rows the demo generated and wrote (upserted: a second load writes the same rows again). */
export interface DemoSummary {
  teams: number;
  repositories: number;
  pullRequests: number;
  commits: number;
  deployments: number;
  incidents: number;
  /** Developer-survey responses over the last two survey rounds before `until`. */
  surveyResponses: number;
  /** Requests filed with the ops and DBA queues. */
  tickets: number;
  /** CI run attempts (pull-request and default-branch builds). */
  ciRuns: number;
}

/**
 * Loads the demo organisation `acme`: syncs its teams and ownership, then writes each team's generated
 * history through the same repository functions the collectors use, so team attribution and incident
 * linking happen exactly as for real data. One transaction per team: a crash leaves whole teams, and since
 * every write is an upsert on a natural key, loading again completes it and changes nothing else.
 * Generating one team at a time keeps memory bounded (200 teams × 365 days is over a million rows).
 */
export async function loadDemo(
  db: Kysely<Database>,
  options: DemoLoadOptions,
  now: Date,
): Promise<DemoSummary> {
  const period = { days: options.days, seed: options.seed, until: options.until };
  assertDemoPeriod(period); // before anything is written
  const org = normalizeOrganization(demoOrganization(options.teams), 'the demo organisation');
  await syncOrganization(db, org, now);
  // Marked, so an own configuration later leaves them out and `demo --purge` finds them.
  await db
    .updateTable('teams')
    .set({ demo: true })
    .where(
      'slug',
      'in',
      org.teams.map((team) => team.slug),
    )
    .execute();
  const summary: DemoSummary = {
    teams: org.teams.length,
    repositories: 0,
    pullRequests: 0,
    commits: 0,
    deployments: 0,
    incidents: 0,
    surveyResponses: 0,
    tickets: 0,
    ciRuns: 0,
  };
  for (const team of org.teams) {
    const data = generateDemoTeamData(team, demoTeamArchetype(team.slug), period);
    const ciRuns = generateDemoCiRuns(team.slug, demoTeamArchetype(team.slug), data.pullRequests, period);
    await db.transaction().execute(async (trx) => {
      await writeDemoData(trx, data, now);
      await writeDemoCiRuns(trx, ciRuns, now);
    });
    summary.ciRuns += ciRuns.length;
    summary.repositories += data.repositories.length;
    summary.pullRequests += data.pullRequests.length;
    summary.commits += data.commits.length;
    summary.deployments += data.deployments.length;
    summary.incidents += data.incidents.length;
  }
  summary.surveyResponses = await loadDemoSurveyResponses(db, org, loadSurveys(), period);
  for (const [index, team] of org.teams.entries()) {
    const tickets = generateDemoTickets(team, index, demoTeamArchetype(team.slug), period, org.tickets);
    await db.transaction().execute((trx) => upsertTickets(trx, tickets, now));
    summary.tickets += tickets.length;
  }
  return summary;
}

/** Writes generated rows in dependency order: commits before the pull requests and links that name them. */
async function writeDemoData(db: Kysely<Database>, data: DemoData, now: Date): Promise<void> {
  const repositoryIds = await ensureRepositories(db, data.repositories);
  await db
    .updateTable('repositories')
    .set({ demo: true })
    .where('id', 'in', [...repositoryIds.values()])
    .execute();
  const repositoryId = (fullName: string): number => {
    const id = repositoryIds.get(fullName);
    if (id === undefined) throw new Error(`demo: repository ${fullName} was not created`);
    return id;
  };
  await upsertCommits(
    db,
    data.commits.map(({ repository, ...commit }) => ({ ...commit, repositoryId: repositoryId(repository) })),
  );
  await upsertPullRequests(
    db,
    data.pullRequests.map(({ repository, commitShas: _commitShas, ...pullRequest }) => ({
      ...pullRequest,
      repositoryId: repositoryId(repository),
    })),
  );
  const commits = new Map(data.commits.map((commit) => [`${commit.repository}@${commit.sha}`, commit]));
  await replacePullRequestCommits(
    db,
    data.pullRequests.map((pullRequest) => ({
      repositoryId: repositoryId(pullRequest.repository),
      number: pullRequest.number,
      commits: pullRequest.commitShas.map((sha) => {
        const commit = commits.get(`${pullRequest.repository}@${sha}`);
        return { sha, authoredAt: commit?.authoredAt ?? null, committedAt: commit?.committedAt ?? null };
      }),
    })),
  );
  const deploymentIds = await upsertDeployments(
    db,
    data.deployments.map(({ repository, ...deployment }) => ({
      ...deployment,
      repositoryId: repositoryId(repository),
      commitsTruncated: false, // the demo links every commit a deployment shipped
      // Each deployment's page in the demo's deploy tool, so its drill-downs show links out; the reserved
      // .example domain resolves nowhere (the demo's repositories get no GitHub links for the same reason).
      url: `https://deploy.acme.example/${deployment.service}/${deployment.externalId}`,
    })),
    now,
  );
  await linkDeploymentCommits(
    db,
    data.deploymentCommits.map((link) => {
      const deploymentId = deploymentIds.get(deploymentKey(DEMO_SOURCE, link.deploymentExternalId));
      if (deploymentId === undefined)
        throw new Error(`demo: deployment ${link.deploymentExternalId} was not written`);
      return { deploymentId, repositoryId: repositoryId(link.repository), sha: link.sha };
    }),
  );
  // After the deployments, so each incident's cause is there to link to.
  await upsertIncidents(db, data.incidents, now);
}

async function writeDemoCiRuns(db: Kysely<Database>, runs: readonly DemoCiRun[], now: Date): Promise<void> {
  const repositoryIds = await ensureRepositories(
    db,
    runs.map((run) => run.repository),
  );
  await upsertCiRuns(
    db,
    runs.map(({ repository, ...run }) => ({ ...run, repositoryId: repositoryIds.get(repository) as number })),
    now,
  );
}
