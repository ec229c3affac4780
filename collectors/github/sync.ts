import type { Kysely } from 'kysely';
import { trace } from '@opentelemetry/api';
import type { Clock } from '../../server/clock.ts';
import { ensureRepositories } from '../../server/db/code-repositories.repository.ts';
import { readSyncState } from '../../server/db/collector-state.repository.ts';
import { oldestPendingDeployment } from '../../server/db/deployment-links.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import { GITHUB_SOURCE } from '../../server/ingest/github-deployment-status.ts';
import type { GithubClient } from '../shared/github-client.ts';
import { syncCiRuns } from './ci-runs.sync.ts';
import { linkShippedCommits } from './link-commits.ts';
import type { HistoryCommit } from './link-commits.ts';
import { RELEASE_SOURCE, WORKFLOW_RUN_SOURCE } from './map.ts';
import type { GithubDeployment, GithubIncidentIssue, GithubPullRequest, GithubRelease, Page } from './map.ts';
import type { CollectionSettings } from './plan.ts';
import { COMMIT_HISTORY_QUERY, REPOSITORY_QUERY } from './queries.ts';
import { emptyCounts, repositoryStreams } from './streams.ts';
import type { RepositoryCounts, RepositoryScope } from './streams.ts';
import { COLLECTOR_ID, emptyPage, walk } from './walk.ts';
import type { Stream } from './walk.ts';

export { COLLECTOR_ID };
export type { RepositoryCounts };

const tracer = trace.getTracer('groundwork.collector.github');

export interface GithubSyncOptions {
  /** Pull requests, commits and incidents updated this long before the watermark are re-read. */
  pullRequestMarginMs: number;
  /** Deployments, releases and workflow runs created this long before the watermark are re-read: their
   * statuses change later. */
  deploymentLookbackMs: number;
  /** At most this many commits are attributed to one deployment; beyond it the link is flagged truncated. */
  linkCommitCap: number;
  /** Re-scan from this time instead of the watermarks (`--since`). */
  since: Date | null;
  /** Run inside each deployment's link transaction before it commits: tests interrupt a run there. */
  beforeLinksCommit?: ((deploymentId: number) => Promise<void>) | undefined;
}

/** Deployments without an outcome are re-read for this long after they were created; older ones are taken
 * as abandoned (GitHub never finishes some). */
const PENDING_DEPLOYMENT_HORIZON_MS = 30 * 24 * 3_600_000;

export const DEFAULT_SYNC_OPTIONS = {
  pullRequestMarginMs: 10 * 60_000,
  deploymentLookbackMs: 72 * 3_600_000,
  linkCommitCap: 500,
} as const;

export interface RepositorySyncContext {
  db: Kysely<Database>;
  client: GithubClient;
  clock: Clock;
  options: GithubSyncOptions;
  settings: CollectionSettings;
  signal?: AbortSignal | undefined;
  /** Called after each committed page (progress, lease renewal); throwing stops the sync. */
  afterPage?: ((counts: Readonly<RepositoryCounts>) => Promise<void>) | undefined;
}

interface RepositoryFirstPages {
  repository: {
    defaultBranchRef: { name: string } | null;
    pullRequests: Page<GithubPullRequest>;
    deployments: Page<GithubDeployment>;
    releases: Page<GithubRelease>;
    issues: Page<GithubIncidentIssue>;
  } | null;
}

/** The deployment source each plan writes, for linking and the webhook's key. */
const DEPLOYMENT_SOURCES = {
  deployments: GITHUB_SOURCE,
  workflow: WORKFLOW_RUN_SOURCE,
  releases: RELEASE_SOURCE,
} as const;

/**
 * Syncs one repository: pull requests with their commits, deployments (GitHub Deployments, or a
 * workflow's runs, or releases, as planned), releases, then links new successful production deployments to
 * the commits they shipped (the only default-branch commits read: no metric reads the others), then incidents (labelled issues), which may name one of those deployments.
 * Each page's rows and its stream's position are written in one transaction.
 */
export async function syncRepository(
  ctx: RepositorySyncContext,
  fullName: string,
): Promise<RepositoryCounts> {
  return tracer.startActiveSpan(
    'github.repository',
    { attributes: { 'github.repository': fullName } },
    async (span) => {
      try {
        return await syncRepositoryInSpan(ctx, fullName);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

async function syncRepositoryInSpan(ctx: RepositorySyncContext, fullName: string): Promise<RepositoryCounts> {
  const [owner, name] = fullName.split('/') as [string, string];
  const key = fullName.toLowerCase();
  const id = (await ensureRepositories(ctx.db, [key])).get(key);
  if (id === undefined) throw new Error(`repository ${key} was not recorded`);
  const counts = emptyCounts();
  const inPage = <T>(operation: string, call: () => Promise<T>) =>
    tracer.startActiveSpan('github.page', { attributes: { 'github.operation': operation } }, async (span) => {
      try {
        ctx.signal?.throwIfAborted();
        counts.pages++;
        return await call();
      } finally {
        span.end();
      }
    });
  const plan = ctx.settings.planFor(key);
  const scope: RepositoryScope = {
    repository: { id, fullName: key, owner, name },
    defaultBranch: null,
    plan,
    settings: ctx.settings,
    options: {
      marginMs: ctx.options.pullRequestMarginMs,
      lookbackMs: ctx.options.deploymentLookbackMs,
      since: ctx.options.since,
      pendingDeploymentsSince: await oldestPendingDeployment(
        ctx.db,
        id,
        GITHUB_SOURCE,
        new Date(ctx.clock.now().getTime() - PENDING_DEPLOYMENT_HORIZON_MS),
      ),
    },
    counts,
    now: () => ctx.clock.now(),
    graphql: (document, variables) =>
      inPage(operationName(document), () => ctx.client.graphql(document, { owner, name, ...variables })),
    rest: (route, parameters) => inPage(route, () => ctx.client.request(route, parameters)),
    restPage: (route, parameters) => inPage(route, () => ctx.client.requestPage(route, parameters)),
  };
  const streams = repositoryStreams(scope);
  const walkContext = {
    db: ctx.db,
    clock: ctx.clock,
    afterPage: ctx.afterPage && (() => ctx.afterPage?.(counts) ?? Promise.resolve()),
  };
  const position = (streamScope: string) => readSyncState(ctx.db, COLLECTOR_ID, streamScope);
  const incidentPosition = await position(streams.incidents.scope);

  // Every stream's first page in one query (≈1 point): a sync with nothing new costs one query.
  const first = await scope.graphql<RepositoryFirstPages>(REPOSITORY_QUERY, {
    incidentLabel: ctx.settings.incidentLabel,
    incidentsSince: streams.incidents.floor(incidentPosition.watermark)?.toISOString() ?? null,
  });
  if (!first.repository) throw new Error(`repository ${fullName} was not found`);
  const repository = first.repository;
  scope.defaultBranch = repository.defaultBranchRef?.name ?? null;
  const run = async <T>(stream: Stream<T>, firstPage: Page<T> | null) =>
    walk(walkContext, stream, await position(stream.scope), firstPage);

  await run(streams.pullRequests, repository.pullRequests);
  if (plan.deployments.from === 'deployments') await run(streams.deployments, repository.deployments);
  if (plan.deployments.from === 'workflow' && scope.defaultBranch) await run(streams.workflowRuns, null);
  await run(streams.releases, repository.releases);
  counts.deploymentCommits = await linkShippedCommits(
    {
      db: ctx.db,
      cap: ctx.options.linkCommitCap,
      environments: ctx.settings.productionEnvironments,
      sources: [DEPLOYMENT_SOURCES[plan.deployments.from]],
      beforeCommit: ctx.options.beforeLinksCommit,
    },
    id,
    async (oid, after) => {
      const result = await scope.graphql<{
        repository: { object: { history?: Page<HistoryCommit> } | null } | null;
      }>(COMMIT_HISTORY_QUERY, { oid, cursor: after });
      return result.repository?.object?.history ?? emptyPage();
    },
  );
  // Linking writes every default-branch commit the collector stores, each linked to one deployment.
  counts.commits = counts.deploymentCommits;
  if (plan.incidents) await run(streams.incidents, repository.issues);
  if (ctx.settings.ci.collect) await syncCiRuns(ctx.db, scope, ctx.settings.ci, run);
  return counts;
}

const operationName = (document: string) => /query\s+(\w+)/.exec(document)?.[1] ?? 'query';
