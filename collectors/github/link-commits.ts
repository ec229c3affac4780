import type { Kysely } from 'kysely';
import { markDeploymentCommitsTruncated } from '../../server/db/collector-state.repository.ts';
import { upsertCommits } from '../../server/db/commits.repository.ts';
import { successfulDeployments } from '../../server/db/deployment-links.repository.ts';
import type { SuccessfulDeployment } from '../../server/db/deployment-links.repository.ts';
import { linkDeploymentCommits } from '../../server/db/deployments.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import { mapCommit, present } from './map.ts';
import type { GithubCommit, Page } from './map.ts';

export interface LinkContext {
  db: Kysely<Database>;
  cap: number;
  environments: readonly string[];
  /** The deployment sources this repository's deployments come from (GitHub Deployments, runs, releases). */
  sources: readonly string[];
}

/** Fetches one page of the history behind a commit, newest first. */
export type HistoryPage = (oid: string, after: string | null) => Promise<Page<GithubCommit>>;

interface Pending {
  deployment: SuccessfulDeployment;
  /** Whether an earlier successful deployment to the same environment deployed this commit: the walk
   * stops at any such commit. */
  deployedBefore(sha: string): boolean;
  /** The deployment just before it in its environment. */
  previous: SuccessfulDeployment;
}

/**
 * Links each successful production deployment that has no shipped commits yet to the commits it shipped: the
 * deployed commit's history back to (not including) a commit an earlier successful deployment to the same
 * environment deployed — normally the previous one's — so lead time works without a webhook. A walk stops
 * at `cap` commits and flags the deployment truncated.
 * - The first deployment seen has no predecessor: its history is not attributed to it (it would claim every
 *   commit ever made). A redeploy or rollback to a commit deployed before shipped nothing new.
 * - Deployments in a row share one walk: when a walk reaches the previous deployment's commit and that one
 *   is unlinked too, the walk goes on for it, so a first sync costs one history walk, not one per deployment.
 * - History is followed in GitHub's order (newest first, across merge parents); a commit merged from a branch
 *   older than the stop commit may be listed after it and is then not attributed.
 * Each deployment's links are written in one transaction. Returns the links written.
 */
export async function linkShippedCommits(
  ctx: LinkContext,
  repositoryId: number,
  history: HistoryPage,
): Promise<number> {
  const pending = pendingDeployments(
    await successfulDeployments(ctx.db, repositoryId, ctx.environments),
    ctx.sources,
  );
  const byId = new Map(pending.map((p) => [p.deployment.id, p]));
  const done = new Set<number>();
  let linked = 0;
  // Newest first: a walk from the newest unlinked deployment continues into the ones before it.
  for (const start of [...pending].reverse()) {
    if (done.has(start.deployment.id)) continue;
    let current: Pending | undefined = start;
    let shipped: GithubCommit[] = [];
    let after: string | null = null;
    let truncated = false;
    walking: for (;;) {
      const page = await history(start.deployment.sha, after);
      for (const commit of present(page.nodes)) {
        const sha = commit.oid.toLowerCase();
        if (current.deployedBefore(sha)) {
          linked += await writeLinks(ctx, repositoryId, current, shipped, false);
          done.add(current.deployment.id);
          // The previous deployment's own commit: go on for it if it is waiting to be linked as well.
          const next = byId.get(current.previous.id);
          if (!next || done.has(next.deployment.id) || sha !== next.deployment.sha) break walking;
          current = next;
          shipped = [];
        }
        if (shipped.length === ctx.cap) {
          truncated = true;
          break walking;
        }
        shipped.push(commit);
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
    if (!done.has(current.deployment.id)) {
      linked += await writeLinks(ctx, repositoryId, current, shipped, truncated);
      done.add(current.deployment.id);
    }
  }
  return linked;
}

/** The unlinked deployments of `sources` that can have shipped something, with what stops their walk. */
function pendingDeployments(all: readonly SuccessfulDeployment[], sources: readonly string[]): Pending[] {
  const pending: Pending[] = [];
  // Per environment: the position (in finish order) at which each commit was first deployed, and the last.
  const environments = new Map<string, { firstDeployed: Map<string, number>; last: SuccessfulDeployment }>();
  all.forEach((deployment, position) => {
    const environment = environments.get(deployment.environment);
    if (!environment) {
      const firstDeployed = new Map([[deployment.sha, position]]);
      environments.set(deployment.environment, { firstDeployed, last: deployment });
      return;
    }
    const { firstDeployed, last: previous } = environment;
    const deployedBefore = (sha: string) => (firstDeployed.get(sha) ?? Infinity) < position;
    if (!deployment.linked && sources.includes(deployment.source) && !deployedBefore(deployment.sha)) {
      pending.push({ deployment, deployedBefore, previous });
    }
    if (!firstDeployed.has(deployment.sha)) firstDeployed.set(deployment.sha, position);
    environment.last = deployment;
  });
  return pending;
}

async function writeLinks(
  ctx: LinkContext,
  repositoryId: number,
  pending: Pending,
  shipped: readonly GithubCommit[],
  truncated: boolean,
): Promise<number> {
  await ctx.db.transaction().execute(async (trx) => {
    await upsertCommits(
      trx,
      shipped.map((commit) => mapCommit(repositoryId, commit)),
    );
    await linkDeploymentCommits(
      trx,
      shipped.map((commit) => ({
        deploymentId: pending.deployment.id,
        repositoryId,
        sha: commit.oid.toLowerCase(),
      })),
    );
    if (truncated) await markDeploymentCommitsTruncated(trx, pending.deployment.id);
  });
  return shipped.length;
}
