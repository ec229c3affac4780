import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import { markDeploymentCommitsTruncated } from '../../server/db/collector-state.repository.ts';
import { upsertCommits } from '../../server/db/commits.repository.ts';
import { deploymentsWithoutCommits } from '../../server/db/deployment-links.repository.ts';
import { linkDeploymentCommits } from '../../server/db/deployments.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import { GITHUB_SOURCE } from '../../server/ingest/github-deployment-status.ts';
import { mapCommit, present } from './map.ts';
import type { GithubCommit, Page } from './map.ts';

export interface LinkContext {
  db: Kysely<Database>;
  clock: Clock;
  cap: number;
  environments: readonly string[];
}

/** Fetches one page of the history behind a commit, newest first. */
export type HistoryPage = (oid: string, after: string | null) => Promise<Page<GithubCommit>>;

/**
 * Links each successful production deployment that has no shipped commits yet to the commits it shipped:
 * the deployed commit's history back to (not including) the previous successful deployment's commit, so
 * lead time works without a webhook. The walk stops at `cap` commits and flags the deployment truncated.
 * The first deployment seen has no predecessor: its history is not attributed to it (it would claim every
 * commit ever made). A redeploy of the predecessor's commit shipped nothing new. Returns the links written.
 *
 * History is followed in GitHub's order (newest first, across merge parents); a commit merged from a branch
 * older than the predecessor's commit may be listed after it and is then not attributed.
 */
export async function linkShippedCommits(
  ctx: LinkContext,
  repositoryId: number,
  history: HistoryPage,
): Promise<number> {
  const pending = await deploymentsWithoutCommits(ctx.db, {
    source: GITHUB_SOURCE,
    repositoryId,
    environments: ctx.environments,
  });
  let linked = 0;
  for (const deployment of pending) {
    if (deployment.previousSha === null || deployment.previousSha === deployment.sha) continue;
    const shipped: GithubCommit[] = [];
    let truncated = false;
    let after: string | null = null;
    walking: for (;;) {
      const page = await history(deployment.sha, after);
      for (const commit of present(page.nodes)) {
        if (commit.oid.toLowerCase() === deployment.previousSha) break walking;
        if (shipped.length === ctx.cap) {
          truncated = true;
          break walking;
        }
        shipped.push(commit);
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
      after = page.pageInfo.endCursor;
    }
    await ctx.db.transaction().execute(async (trx) => {
      await upsertCommits(
        trx,
        shipped.map((commit) => mapCommit(repositoryId, commit)),
      );
      await linkDeploymentCommits(
        trx,
        shipped.map((commit) => ({
          deploymentId: deployment.id,
          repositoryId,
          sha: commit.oid.toLowerCase(),
        })),
      );
      if (truncated) await markDeploymentCommitsTruncated(trx, deployment.id);
    });
    linked += shipped.length;
  }
  return linked;
}
