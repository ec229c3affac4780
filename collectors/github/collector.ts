import type { Kysely } from 'kysely';
import { trace } from '@opentelemetry/api';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { Database } from '../../server/db/tables.ts';
import { resolveIncidentReferences } from '../../server/db/incidents.repository.ts';
import { createGithubClient } from '../shared/github-client.ts';
import type { GithubClient } from '../shared/github-client.ts';
import { LeaseLostError, message, startLeasedRun } from '../shared/leased-run.ts';
import type { LeasedRunResult, LeasedRunStart, RunWork, WorkOutcome } from '../shared/leased-run.ts';
import { OWNER_REPOSITORIES_QUERY } from './queries.ts';
import type { Page } from './map.ts';
import { globMatcher, present } from './map.ts';
import { collectionSettings } from './plan.ts';
import type { CollectionSettings } from './plan.ts';
import { COUNT_KEYS, emptyCounts } from './streams.ts';
import { COLLECTOR_ID, DEFAULT_SYNC_OPTIONS, syncRepository } from './sync.ts';
import type { GithubSyncOptions, RepositoryCounts } from './sync.ts';

export interface GithubRunContext {
  db: Kysely<Database>;
  config: AppConfig;
  clock: Clock;
  /** Built from the configuration when not given; tests pass one with a fake sleep. */
  client?: GithubClient;
  signal?: AbortSignal;
  /** Only this repository (`--repo owner/name`). */
  repository?: string | null;
  since?: Date | null;
  options?: Partial<Omit<GithubSyncOptions, 'since'>>;
  onProgress?: (progress: GithubProgress) => void;
}

export interface GithubProgress {
  repositoriesDone: number;
  repositoriesTotal: number;
  /** Rows collected so far in this run (pull requests, commits, deployments, releases, incidents). */
  items: number;
  rateLimitRemaining: number | null;
  /** The repository being synced, or the one just finished. */
  repository: string;
  /** Set when that repository failed. */
  error: string | null;
  /** The repository is done (after its last page, or its failure). */
  repositoryFinished: boolean;
}

export type GithubRunResult = LeasedRunResult;

const tracer = trace.getTracer('groundwork.collector.github');

export type GithubRunStart = LeasedRunStart;

/**
 * One collector run: claims the job (so no two runs overlap, across processes too), records the run in
 * `collector_runs`, syncs every configured repository — a failing repository is recorded and the others go
 * on — and releases the job.
 */
export async function runGithubCollector(ctx: GithubRunContext): Promise<GithubRunResult> {
  const start = await startGithubCollector(ctx);
  return start.started ? start.finished : start;
}

/** Claims the job and records the run; the sync goes on in `finished` (what the API answers 202 for). */
export async function startGithubCollector(ctx: GithubRunContext): Promise<GithubRunStart> {
  return startLeasedRun({
    db: ctx.db,
    clock: ctx.clock,
    collector: COLLECTOR_ID,
    scope: ctx.repository?.toLowerCase() ?? '*',
    busyReason: 'another GitHub collector run holds the job',
    work: (run) =>
      tracer.startActiveSpan('github.run', async (span) => {
        try {
          return await runHoldingJob(ctx, run);
        } finally {
          span.end();
        }
      }),
  });
}

async function runHoldingJob(ctx: GithubRunContext, run: RunWork): Promise<WorkOutcome> {
  const client =
    ctx.client ??
    createGithubClient({
      baseUrl: ctx.config.github.apiUrl,
      token: ctx.config.github.token,
      app: ctx.config.github.app,
      clock: ctx.clock,
    });
  const totals: Totals = { repositories: 0, failedRepositories: 0, ...emptyCounts() };
  // A client may serve several runs (tests, the benchmark): each run reports what it spent.
  const pointsBefore = client.usage.pointsSpent;
  const pointsSpent = () => client.usage.pointsSpent - pointsBefore;
  const errors: string[] = [];
  const options: GithubSyncOptions = { ...DEFAULT_SYNC_OPTIONS, ...ctx.options, since: ctx.since ?? null };
  const settings = collectionSettings(ctx.config);
  let repositories: string[] = [];
  try {
    repositories = ctx.repository ? [ctx.repository] : await configuredRepositories(ctx.config, client);
  } catch (error) {
    errors.push(`resolving repositories: ${message(error)}`);
  }
  try {
    await syncAll(ctx, { leased: run, client, options, settings, repositories, totals, errors });
    // Incidents that name a deployment of a repository synced after theirs.
    await resolveIncidentReferences(ctx.db, settings.productionEnvironments, null);
  } finally {
    // Aborted (shutdown) or the database went away: the run is recorded as failed with what it did so far;
    // the rows written and their cursors stay, and the next run resumes from them.
    Object.assign(run.counts, totals);
    run.costPoints = pointsSpent();
  }
  return { errors, progressed: totals.repositories > 0, costPoints: pointsSpent() };
}

type Totals = RepositoryCounts & { repositories: number; failedRepositories: number };

async function syncAll(
  ctx: GithubRunContext,
  run: {
    leased: RunWork;
    client: GithubClient;
    options: GithubSyncOptions;
    settings: CollectionSettings;
    repositories: string[];
    totals: Totals;
    errors: string[];
  },
): Promise<void> {
  const { leased, client, options, settings, repositories, totals, errors } = run;
  const items = (counts: Readonly<RepositoryCounts>) =>
    counts.pullRequests + counts.commits + counts.deployments + counts.releases + counts.incidents;
  const progress = (
    done: number,
    fullName: string,
    itemsSoFar: number,
    error: string | null,
    finished: boolean,
  ) =>
    ctx.onProgress?.({
      repositoriesDone: done,
      repositoriesTotal: repositories.length,
      items: itemsSoFar,
      rateLimitRemaining: client.usage.remaining,
      repository: fullName,
      error,
      repositoryFinished: finished,
    });
  // Held while the run goes on: renewed after every page, so only a run that stopped loses it.
  const renewLease = () => leased.renew();
  for (const [index, fullName] of repositories.entries()) {
    let failure: string | null = null;
    try {
      const counts = await syncRepository(
        {
          db: ctx.db,
          client,
          clock: ctx.clock,
          options,
          settings,
          signal: ctx.signal,
          afterPage: async (counts) => {
            await renewLease();
            progress(index, fullName, items(totals) + items(counts), null, false);
          },
        },
        fullName,
      );
      totals.repositories++;
      for (const key of COUNT_KEYS) totals[key] += counts[key];
    } catch (error) {
      if (ctx.signal?.aborted || error instanceof LeaseLostError) throw error;
      totals.failedRepositories++;
      failure = `${fullName}: ${message(error)}`;
      errors.push(failure);
    }
    await renewLease();
    progress(index + 1, fullName, items(totals), failure, true);
  }
}

/**
 * The configured repositories: exact `owner/name`s as given, `owner/*` globs resolved by listing the owner's
 * (non-archived) repositories.
 */
export async function configuredRepositories(config: AppConfig, client: GithubClient): Promise<string[]> {
  const github = config.org.sources.github;
  const patterns = github?.repositories ?? (github?.organization ? [`${github.organization}/*`] : []);
  const names = new Set<string>();
  for (const pattern of patterns) {
    if (!pattern.includes('*')) {
      names.add(pattern.toLowerCase());
      continue;
    }
    const [ownerLogin, namePattern = '*'] = pattern.split('/') as [string, string | undefined];
    const matcher = globMatcher(namePattern);
    let cursor: string | null = null;
    for (;;) {
      const result: {
        repositoryOwner: { repositories: Page<{ nameWithOwner: string; isArchived: boolean }> } | null;
      } = await client.graphql(OWNER_REPOSITORIES_QUERY, { owner: ownerLogin, cursor });
      const page = result.repositoryOwner?.repositories;
      if (!page) throw new Error(`GitHub owner ${ownerLogin} was not found`);
      for (const repository of present(page.nodes)) {
        const repoName = repository.nameWithOwner.split('/')[1] ?? '';
        if (!repository.isArchived && matcher.test(repoName))
          names.add(repository.nameWithOwner.toLowerCase());
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      cursor = page.pageInfo.endCursor;
    }
  }
  return [...names].sort();
}
