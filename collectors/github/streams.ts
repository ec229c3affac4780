// The streams one repository is synced from: how each pages, how far back it reads and what it writes.
import type { Kysely } from 'kysely';
import { upsertDeployments } from '../../server/db/deployments.repository.ts';
import {
  deleteIncidents,
  inferIncidentCauses,
  resolveIncidentReferences,
  upsertIncidents,
} from '../../server/db/incidents.repository.ts';
import { replacePullRequestCommits, upsertPullRequests } from '../../server/db/pull-requests.repository.ts';
import { upsertReleases } from '../../server/db/releases.repository.ts';
import type { Database, NewDeployment } from '../../server/db/tables.ts';
import { GITHUB_SOURCE } from '../../server/ingest/github-deployment-status.ts';
import {
  incidentExternalId,
  mapDeployment,
  mapIncidentIssue,
  mapPullRequest,
  mapPullRequestCommits,
  mapRelease,
  releaseDeployment,
  workflowRunDeployment,
} from './map.ts';
import type {
  GithubDeployment,
  GithubIncidentIssue,
  GithubPullRequest,
  GithubRelease,
  GithubWorkflowRun,
  Page,
} from './map.ts';
import type { CollectionSettings, RepositoryPlan } from './plan.ts';
import {
  DEPLOYMENT_STATUSES_QUERY,
  DEPLOYMENTS_QUERY,
  INCIDENT_ISSUES_QUERY,
  PULL_REQUEST_COMMITS_QUERY,
  PULL_REQUESTS_QUERY,
  RELEASES_QUERY,
} from './queries.ts';
import { emptyPage } from './walk.ts';
import type { Stream } from './walk.ts';

export interface RepositoryCounts {
  pullRequests: number;
  commits: number;
  deployments: number;
  releases: number;
  incidents: number;
  deploymentCommits: number;
  /** CI run attempts and their jobs (ci-runs.stream.ts). */
  ciRuns: number;
  ciJobs: number;
  pages: number;
}

export const COUNT_KEYS = [
  'pullRequests',
  'commits',
  'deployments',
  'releases',
  'incidents',
  'deploymentCommits',
  'ciRuns',
  'ciJobs',
  'pages',
] as const satisfies readonly (keyof RepositoryCounts)[];

export const emptyCounts = (): RepositoryCounts => ({
  pullRequests: 0,
  commits: 0,
  deployments: 0,
  releases: 0,
  incidents: 0,
  deploymentCommits: 0,
  ciRuns: 0,
  ciJobs: 0,
  pages: 0,
});

export interface StreamOptions {
  /** Pull requests, commits and incidents updated this long before the watermark are re-read (rows move
   * while a walk pages). */
  marginMs: number;
  /** Deployments, releases and runs created this long before the watermark are re-read: their statuses
   * (a release's publication, a run's completion) change later. */
  lookbackMs: number;
  /** Re-scan from this time instead of the watermarks (`--since`). */
  since: Date | null;
  /** When the oldest recent GitHub deployment still without an outcome was created: re-read back to it. */
  pendingDeploymentsSince: Date | null;
}

/** One repository being synced: what the streams need to page and write. */
export interface RepositoryScope {
  repository: { id: number; fullName: string; owner: string; name: string };
  /** The default branch (workflow runs are read on it); null for an empty repository. */
  defaultBranch: string | null;
  plan: RepositoryPlan;
  settings: CollectionSettings;
  options: StreamOptions;
  counts: RepositoryCounts;
  now: () => Date;
  /** A GraphQL query for this repository (owner and name are added), inside a page span. */
  graphql<T>(document: string, variables: Record<string, unknown>): Promise<T>;
  /** A REST call, inside a page span. */
  rest<T>(route: string, parameters: Record<string, unknown>): Promise<T>;
  /** A page of a REST listing and the next page's number (GitHub's Link header), inside a page span. */
  restPage<T>(
    route: string,
    parameters: Record<string, unknown>,
  ): Promise<{ data: T; nextPage: number | null }>;
}

type RepositoryPage<K extends string, T> = { repository: Record<K, Page<T>> | null };

const earliest = (a: Date | null, b: Date | null) => (a === null || b === null ? a : a < b ? a : b);

export function repositoryStreams(scope: RepositoryScope) {
  const { repository, settings, options, counts } = scope;
  const key = repository.fullName;
  const back = (watermark: Date | null, ms: number) =>
    options.since ?? (watermark ? new Date(watermark.getTime() - ms) : null);
  const byMargin = (watermark: Date | null) => back(watermark, options.marginMs);
  const byLookback = (watermark: Date | null) => back(watermark, options.lookbackMs);
  const page = async <K extends string, T>(
    document: string,
    field: K,
    variables: Record<string, unknown>,
  ): Promise<Page<T>> =>
    (await scope.graphql<RepositoryPage<K, T>>(document, variables)).repository?.[field] ?? emptyPage();

  /** Deployments, then the incidents they may now be the inferred cause of, in the page's transaction. */
  const writeDeployments = async (db: Kysely<Database>, rows: NewDeployment[]) => {
    counts.deployments += rows.length;
    if (rows.length === 0) return;
    const ids = await upsertDeployments(db, rows, scope.now());
    await inferIncidentCauses(db, settings.causeRule, { deploymentIds: [...ids.values()] });
  };

  const pullRequests: Stream<GithubPullRequest> = {
    scope: `${key}:pull-requests`,
    floor: byMargin,
    time: (pr) => new Date(pr.updatedAt),
    async complete(nodes) {
      for (const pr of nodes) {
        let pageInfo = pr.commits.pageInfo;
        const list = (pr.commits.nodes ??= []);
        while (pageInfo?.hasNextPage && pageInfo.endCursor) {
          const result = await scope.graphql<{
            repository: { pullRequest: { commits: GithubPullRequest['commits'] } | null } | null;
          }>(PULL_REQUEST_COMMITS_QUERY, { number: pr.number, cursor: pageInfo.endCursor });
          const more = result.repository?.pullRequest?.commits;
          if (!more) break;
          list.push(...(more.nodes ?? []));
          pageInfo = more.pageInfo;
        }
      }
    },
    async write(db, nodes) {
      await upsertPullRequests(
        db,
        nodes.map((pr) => mapPullRequest(repository.id, pr, settings.authorExclusion)),
      );
      await replacePullRequestCommits(
        db,
        nodes.map((pr) => mapPullRequestCommits(repository.id, pr)),
      );
      counts.pullRequests += nodes.length;
    },
    // No "updated since" filter exists: newest-updated first, and the walk stops past the floor.
    page: (after) => page(PULL_REQUESTS_QUERY, 'pullRequests', { cursor: after }),
  };

  const deployments: Stream<GithubDeployment> = {
    scope: `${key}:deployments`,
    // Back to the oldest deployment still waiting for an outcome (an approval gate over a weekend).
    floor: (watermark) => earliest(byLookback(watermark), options.pendingDeploymentsSince),
    async complete(nodes) {
      for (const deployment of nodes) {
        const statuses = deployment.statuses;
        let pageInfo = statuses?.pageInfo;
        while (statuses && pageInfo?.hasNextPage && pageInfo.endCursor) {
          const result = await scope.graphql<{ node: { statuses?: GithubDeployment['statuses'] } | null }>(
            DEPLOYMENT_STATUSES_QUERY,
            { id: deployment.id, cursor: pageInfo.endCursor },
          );
          const more = result.node?.statuses;
          if (!more) break;
          (statuses.nodes ??= []).push(...(more.nodes ?? []));
          pageInfo = more.pageInfo;
        }
      }
    },
    time: (deployment) => new Date(deployment.createdAt),
    write: (db, nodes) =>
      writeDeployments(
        db,
        nodes.flatMap(
          (deployment) => mapDeployment(repository.id, deployment, settings.environmentName) ?? [],
        ),
      ),
    page: (after) => page(DEPLOYMENTS_QUERY, 'deployments', { cursor: after }),
  };

  const releases: Stream<GithubRelease> = {
    scope: `${key}:releases`,
    floor: byLookback,
    time: (release) => new Date(release.createdAt),
    async write(db, nodes) {
      await upsertReleases(
        db,
        nodes.flatMap((release) => mapRelease(repository.id, release) ?? []),
      );
      counts.releases += nodes.length;
      if (scope.plan.deployments.from !== 'releases') return;
      const environment = scope.plan.deployments.environment;
      await writeDeployments(
        db,
        nodes.flatMap((release) => releaseDeployment(repository.id, release, environment) ?? []),
      );
    },
    page: (after) => page(RELEASES_QUERY, 'releases', { cursor: after }),
  };

  const incidents: Stream<GithubIncidentIssue> = {
    scope: `${key}:incidents`,
    floor: byMargin,
    time: (issue) => new Date(issue.updatedAt),
    async write(db, nodes) {
      const label = settings.incidentLabel;
      const mapped = nodes.map((issue) => ({ issue, row: mapIncidentIssue(repository, issue, label) }));
      const rows = mapped.flatMap((m) => (m.row ? [m.row] : []));
      // Closed as not planned or as a duplicate: a false alarm, not an incident (any more).
      const falseAlarms = mapped.filter((m) => !m.row).map((m) => incidentExternalId(key, m.issue.number));
      await deleteIncidents(db, GITHUB_SOURCE, falseAlarms);
      counts.incidents += rows.length;
      if (rows.length === 0) return;
      const ids = await upsertIncidents(db, rows, scope.now());
      await resolveIncidentReferences(db, settings.productionEnvironments, ids);
      await inferIncidentCauses(db, settings.causeRule, { incidentIds: ids });
    },
    // Issues do filter by "updated since": oldest-updated first, from the floor.
    page: (after, floor) =>
      page(INCIDENT_ISSUES_QUERY, 'issues', {
        cursor: after,
        incidentLabel: settings.incidentLabel,
        incidentsSince: floor?.toISOString() ?? null,
      }),
  };

  /** REST only: GraphQL cannot list a repository's workflow runs. Pages are numbered; newest first. */
  const workflowRuns: Stream<GithubWorkflowRun> = {
    scope: `${key}:workflow-runs`,
    floor: byLookback,
    time: (run) => new Date(run.created_at),
    write: (db, nodes) =>
      writeDeployments(
        db,
        nodes.flatMap(
          (run) => workflowRunDeployment(repository.id, run, scope.plan.deployments.environment) ?? [],
        ),
      ),
    async page(after, floor) {
      const number = after === null ? 1 : Number(after) + 1;
      const perPage = 100;
      const result = await scope.rest<{ total_count: number; workflow_runs: GithubWorkflowRun[] }>(
        'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
        {
          owner: repository.owner,
          repo: repository.name,
          workflow_id: scope.plan.deployments.workflow,
          branch: scope.defaultBranch,
          status: 'success',
          exclude_pull_requests: true,
          per_page: perPage,
          page: number,
          // Search date syntax: ISO 8601 to the second.
          ...(floor ? { created: `>=${floor.toISOString().replace(/\.\d{3}Z$/, 'Z')}` } : {}),
        },
      );
      // A filtered listing returns at most 1,000 runs (GitHub's search limit).
      const reachable = Math.min(result.total_count, 1000);
      return {
        pageInfo: { hasNextPage: number * perPage < reachable, endCursor: String(number) },
        nodes: result.workflow_runs,
      };
    },
  };

  return { pullRequests, deployments, releases, incidents, workflowRuns };
}
