import type { Kysely } from 'kysely';
import { trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { Clock } from '../../server/clock.ts';
import { ensureRepositories } from '../../server/db/code-repositories.repository.ts';
import { readSyncState, saveSyncState } from '../../server/db/collector-state.repository.ts';
import type { SyncPosition } from '../../server/db/collector-state.repository.ts';
import { upsertCommits } from '../../server/db/commits.repository.ts';
import { upsertDeployments } from '../../server/db/deployments.repository.ts';
import { upsertPullRequests } from '../../server/db/pull-requests.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import type { GithubClient } from '../shared/github-client.ts';
import { linkShippedCommits } from './link-commits.ts';
import { mapCommit, mapDeployment, mapPullRequest, present } from './map.ts';
import type { GithubCommit, GithubDeployment, GithubPullRequest, Page } from './map.ts';
import {
  COMMIT_HISTORY_QUERY,
  COMMITS_QUERY,
  DEPLOYMENTS_QUERY,
  PULL_REQUESTS_QUERY,
  REPOSITORY_QUERY,
} from './queries.ts';

export const COLLECTOR_ID = 'github';

const tracer = trace.getTracer('groundwork.collector.github');

export interface GithubSyncOptions {
  /** Pull requests updated this long before the watermark are re-read (rows move while a walk pages). */
  pullRequestMarginMs: number;
  /** Deployments created this long before the watermark are re-read: their statuses change later. */
  deploymentLookbackMs: number;
  /** At most this many commits are attributed to one deployment; beyond it the link is flagged truncated. */
  linkCommitCap: number;
  productionEnvironments: readonly string[];
  /** Re-scan from this time instead of the watermarks (`--since`). */
  since: Date | null;
}

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
  signal?: AbortSignal | undefined;
}

export interface RepositoryCounts {
  pullRequests: number;
  commits: number;
  deployments: number;
  deploymentCommits: number;
  pages: number;
}

interface RepositoryFirstPages {
  repository: {
    defaultBranchRef: { name: string; target: { history?: Page<GithubCommit> } | null } | null;
    pullRequests: Page<GithubPullRequest>;
    deployments: Page<GithubDeployment>;
  } | null;
}

/** An unfinished walk, saved as the stream's cursor so a crash resumes it rather than restarting. */
interface PendingWalk {
  after: string;
  /** The newest item time seen so far: the watermark once the walk completes. */
  highWater: string | null;
  /** Items older than this end the walk. */
  floor: string | null;
}

interface Stream<T> {
  name: 'pull-requests' | 'commits' | 'deployments';
  /** How far back a fresh walk reads, from the stream's watermark. */
  floor(watermark: Date | null): Date | null;
  time(node: T): Date;
  write(db: Kysely<Database>, nodes: T[]): Promise<number>;
  page(after: string, floor: Date | null): Promise<Page<T>>;
}

/**
 * Syncs one repository: pull requests, default-branch commits and deployments, then links new successful
 * production deployments to the commits they shipped. Each page's rows and the stream's position are written
 * in one transaction, so a crash at any point resumes without losing or duplicating a row.
 */
export async function syncRepository(
  ctx: RepositorySyncContext,
  fullName: string,
): Promise<RepositoryCounts> {
  return tracer.startActiveSpan(
    'github.repository',
    { attributes: { repository: fullName } },
    async (span) => {
      try {
        return await syncRepositoryInSpan(ctx, fullName);
      } finally {
        span.end();
      }
    },
  );
}

async function syncRepositoryInSpan(ctx: RepositorySyncContext, fullName: string): Promise<RepositoryCounts> {
  const [owner, name] = fullName.split('/') as [string, string];
  const key = fullName.toLowerCase();
  const repositoryId = (await ensureRepositories(ctx.db, [key])).get(key);
  if (repositoryId === undefined) throw new Error(`repository ${key} was not recorded`);
  const counts: RepositoryCounts = {
    pullRequests: 0,
    commits: 0,
    deployments: 0,
    deploymentCommits: 0,
    pages: 0,
  };
  const query = <T>(document: string, variables: Record<string, unknown>) =>
    tracer.startActiveSpan('github.page', async (span: Span) => {
      try {
        ctx.signal?.throwIfAborted();
        counts.pages++;
        return await ctx.client.graphql<T>(document, { owner, name, ...variables });
      } finally {
        span.end();
      }
    });
  const { since, pullRequestMarginMs, deploymentLookbackMs } = ctx.options;
  const back = (watermark: Date | null, ms: number) =>
    since ?? (watermark ? new Date(watermark.getTime() - ms) : null);

  const pullRequests: Stream<GithubPullRequest> = {
    name: 'pull-requests',
    floor: (watermark) => back(watermark, pullRequestMarginMs),
    time: (pr) => new Date(pr.updatedAt),
    async write(db, nodes) {
      await upsertPullRequests(
        db,
        nodes.map((pr) => mapPullRequest(repositoryId, pr)),
      );
      return (counts.pullRequests += nodes.length);
    },
    page: async (after) =>
      (
        await query<{ repository: { pullRequests: Page<GithubPullRequest> } }>(PULL_REQUESTS_QUERY, {
          cursor: after,
        })
      ).repository.pullRequests,
  };
  const commits: Stream<GithubCommit> = {
    name: 'commits',
    floor: (watermark) => back(watermark, pullRequestMarginMs),
    time: (commit) => new Date(commit.committedDate),
    async write(db, nodes) {
      await upsertCommits(
        db,
        nodes.map((commit) => mapCommit(repositoryId, commit)),
      );
      return (counts.commits += nodes.length);
    },
    async page(after, floor) {
      const result = await query<RepositoryFirstPages>(COMMITS_QUERY, {
        cursor: after,
        since: floor?.toISOString(),
      });
      return result.repository?.defaultBranchRef?.target?.history ?? emptyPage();
    },
  };
  const deployments: Stream<GithubDeployment> = {
    name: 'deployments',
    floor: (watermark) => back(watermark, deploymentLookbackMs),
    time: (deployment) => new Date(deployment.createdAt),
    async write(db, nodes) {
      const rows = nodes.flatMap((deployment) => mapDeployment(repositoryId, deployment) ?? []);
      if (rows.length > 0) await upsertDeployments(db, rows, ctx.clock.now());
      return (counts.deployments += rows.length);
    },
    page: async (after) =>
      (
        await query<{ repository: { deployments: Page<GithubDeployment> } }>(DEPLOYMENTS_QUERY, {
          cursor: after,
        })
      ).repository.deployments,
  };

  const positions = {
    'pull-requests': await readSyncState(ctx.db, COLLECTOR_ID, `${key}:pull-requests`),
    commits: await readSyncState(ctx.db, COLLECTOR_ID, `${key}:commits`),
    deployments: await readSyncState(ctx.db, COLLECTOR_ID, `${key}:deployments`),
  };
  const commitsFloor = commits.floor(positions.commits.watermark);
  const first = await query<RepositoryFirstPages>(REPOSITORY_QUERY, {
    since: commitsFloor?.toISOString() ?? null,
  });
  if (!first.repository) throw new Error(`repository ${fullName} was not found`);
  const repository = first.repository;
  await walk(ctx, key, pullRequests, positions['pull-requests'], repository.pullRequests);
  await walk(
    ctx,
    key,
    commits,
    positions.commits,
    repository.defaultBranchRef?.target?.history ?? emptyPage(),
  );
  await walk(ctx, key, deployments, positions.deployments, repository.deployments);
  counts.deploymentCommits = await linkShippedCommits(
    {
      db: ctx.db,
      clock: ctx.clock,
      cap: ctx.options.linkCommitCap,
      environments: ctx.options.productionEnvironments,
    },
    repositoryId,
    async (oid, after) => {
      const result = await query<{ repository: { object: { history?: Page<GithubCommit> } | null } | null }>(
        COMMIT_HISTORY_QUERY,
        { oid, cursor: after },
      );
      return result.repository?.object?.history ?? emptyPage();
    },
  );
  return counts;
}

const emptyPage = <T>(): Page<T> => ({ pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] });

/**
 * Reads a stream newest first until an item is older than its floor (or the pages end). A saved pending walk
 * is resumed from its cursor; otherwise the walk starts at `firstPage`. The watermark advances only when a
 * walk completes, to the newest item time it saw.
 */
async function walk<T>(
  ctx: RepositorySyncContext,
  key: string,
  stream: Stream<T>,
  position: SyncPosition,
  firstPage: Page<T>,
): Promise<void> {
  const scope = `${key}:${stream.name}`;
  const resumed = position.cursor ? (JSON.parse(position.cursor) as PendingWalk) : null;
  const floor = resumed ? (resumed.floor ? new Date(resumed.floor) : null) : stream.floor(position.watermark);
  let highWater = resumed?.highWater ? new Date(resumed.highWater) : null;
  let page = resumed ? await stream.page(resumed.after, floor) : firstPage;
  for (;;) {
    const nodes = present(page.nodes);
    const fresh = nodes.filter((node) => floor === null || stream.time(node) >= floor);
    for (const node of nodes) {
      const at = stream.time(node);
      if (!highWater || at > highWater) highWater = at;
    }
    const done = !page.pageInfo.hasNextPage || !page.pageInfo.endCursor || fresh.length < nodes.length;
    const watermark = latest(position.watermark, highWater);
    const next: SyncPosition = done
      ? { cursor: null, watermark }
      : {
          cursor: JSON.stringify({
            after: page.pageInfo.endCursor ?? '',
            highWater: highWater?.toISOString() ?? null,
            floor: floor?.toISOString() ?? null,
          } satisfies PendingWalk),
          watermark: position.watermark,
        };
    await ctx.db.transaction().execute(async (trx) => {
      if (fresh.length > 0) await stream.write(trx, fresh);
      await saveSyncState(trx, COLLECTOR_ID, scope, next, ctx.clock.now());
    });
    if (done) return;
    page = await stream.page(page.pageInfo.endCursor as string, floor);
  }
}

const latest = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);
