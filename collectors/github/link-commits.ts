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
  /** Called inside each deployment's link transaction, before it commits (tests interrupt there). */
  beforeCommit?: ((deploymentId: number) => Promise<void>) | undefined;
}

/** A commit of a deployed commit's history, with its parents' oids. */
export interface HistoryCommit extends GithubCommit {
  parents: { nodes: ({ oid: string } | null)[] | null } | null;
}

/** Fetches one page of the history behind a commit, newest committed first. */
export type HistoryPage = (oid: string, after: string | null) => Promise<Page<HistoryCommit>>;

interface Pending {
  deployment: SuccessfulDeployment;
  /** The commits earlier successful deployments to the same environment deployed. */
  deployedBefore: readonly string[];
}

/** A walk down one commit's history, page by page: it can be continued for another deployment. */
interface Walk {
  root: string;
  after: string | null;
  exhausted: boolean;
  /** The oldest commit time read so far. */
  reachedMs: number;
}

/** A deployment whose commit a walk has not reached may still be reached within this much commit time. */
const SHARED_WALK_REACH_MS = 7 * 24 * 3_600_000;

/**
 * Links each successful production deployment that has no shipped commits yet to the commits it shipped,
 * by ancestry — what `git log <deployed> ^<earlier deployed>…` lists: the commits reachable from its commit
 * through their parents and not reachable from a commit an earlier successful deployment to the same
 * environment deployed (normally the previous one's). So lead time works without a webhook.
 * - The first deployment seen has no predecessor: its history is not attributed to it (it would claim every
 *   commit ever made). A redeploy or rollback to a commit deployed before shipped nothing new.
 * - History is read newest-first (GitHub orders it by commit date), with each commit's parents, until every
 *   commit found has its parents in hand: a branch merged long after it was written is followed back to
 *   where it forked, however old its commits. The read history is shared: deployments in a row cost one
 *   walk, not one each, and what a deployment is linked to does not depend on which was linked first, so a
 *   run killed halfway links the rest identically when it is run again.
 * - At most `cap` commits are attributed (the newest); beyond, the deployment is flagged truncated.
 * - A commit dated later than a descendant that links it to an earlier deployment (clock skew across
 *   machines) can be counted before that link is read.
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
  const graph = new Map<string, HistoryCommit>();
  /** Which walk read each commit: the one to continue for its ancestors. */
  const readBy = new Map<string, Walk>();
  const walks: Walk[] = [];
  const readPage = async (walk: Walk) => {
    const page = await history(walk.root, walk.after);
    for (const commit of present(page.nodes)) {
      const oid = commit.oid.toLowerCase();
      walk.reachedMs = Math.min(walk.reachedMs, Date.parse(commit.committedDate));
      if (graph.has(oid)) continue;
      graph.set(oid, commit);
      readBy.set(oid, walk);
    }
    walk.exhausted = !page.pageInfo.hasNextPage || !page.pageInfo.endCursor;
    walk.after = page.pageInfo.endCursor;
  };
  /** The walk that will reach `sha`: one that read it, one above it still going, or a new one from it. */
  const walkTo = async (deployment: SuccessfulDeployment): Promise<Walk | null> => {
    const reachBy = deployment.finishedAt.getTime() - SHARED_WALK_REACH_MS;
    for (;;) {
      const known = readBy.get(deployment.sha);
      if (known) return known;
      const going = walks.find((walk) => !walk.exhausted && walk.reachedMs >= reachBy);
      if (!going) break;
      await readPage(going);
    }
    const walk: Walk = { root: deployment.sha, after: null, exhausted: false, reachedMs: Infinity };
    walks.push(walk);
    await readPage(walk);
    return readBy.get(deployment.sha) ?? null;
  };

  let linked = 0;
  // Newest first: its walk reads the history of the ones before it.
  for (const { deployment, deployedBefore } of [...pending].reverse()) {
    const walk = await walkTo(deployment);
    // A deployed commit GitHub cannot find is looked up again on the next run.
    if (!walk) continue;
    let found = newCommits(graph, deployment.sha, deployedBefore);
    // Until every commit found has its parents in hand, or more than `cap` are found.
    while (found.missing > 0 && !walk.exhausted && found.commits.length <= ctx.cap) {
      await readPage(walk);
      found = newCommits(graph, deployment.sha, deployedBefore);
    }
    let shipped = found.commits;
    let truncated = false;
    if (shipped.length > ctx.cap) {
      shipped = newestFirst(shipped).slice(0, ctx.cap);
      truncated = true;
    }
    linked += await writeLinks(ctx, repositoryId, deployment, shipped, truncated);
  }
  return linked;
}

/**
 * The commits read so far that are reachable from `head` and from none of `excluded`, and how many of their
 * parents are not read yet (while any is missing, the answer may grow).
 */
function newCommits(
  graph: ReadonlyMap<string, HistoryCommit>,
  head: string,
  excluded: readonly string[],
): { commits: HistoryCommit[]; missing: number } {
  const parents = (commit: HistoryCommit) =>
    present(commit.parents?.nodes).map((parent) => parent.oid.toLowerCase());
  const old = new Set<string>();
  const stack = [...excluded];
  while (stack.length > 0) {
    const oid = stack.pop() as string;
    if (old.has(oid)) continue;
    old.add(oid);
    const commit = graph.get(oid);
    if (commit) stack.push(...parents(commit));
  }
  const commits: HistoryCommit[] = [];
  const seen = new Set<string>();
  let missing = 0;
  stack.push(head);
  while (stack.length > 0) {
    const oid = stack.pop() as string;
    if (seen.has(oid) || old.has(oid)) continue;
    seen.add(oid);
    const commit = graph.get(oid);
    if (!commit) {
      missing++;
      continue;
    }
    commits.push(commit);
    stack.push(...parents(commit));
  }
  return { commits, missing };
}

const newestFirst = (commits: readonly HistoryCommit[]) =>
  [...commits].sort(
    (a, b) =>
      Date.parse(b.committedDate) - Date.parse(a.committedDate) ||
      a.oid.toLowerCase().localeCompare(b.oid.toLowerCase()),
  );

/** The unlinked deployments of `sources` that can have shipped something, with what bounds their walk. */
function pendingDeployments(all: readonly SuccessfulDeployment[], sources: readonly string[]): Pending[] {
  const pending: Pending[] = [];
  // Per environment: the commits deployed so far (in finish order).
  const environments = new Map<string, string[]>();
  for (const deployment of all) {
    const deployed = environments.get(deployment.environment);
    if (!deployed) {
      environments.set(deployment.environment, [deployment.sha]);
      continue;
    }
    const before = [...deployed];
    if (!deployment.linked && sources.includes(deployment.source) && !before.includes(deployment.sha)) {
      pending.push({ deployment, deployedBefore: before });
    }
    if (!deployed.includes(deployment.sha)) deployed.push(deployment.sha);
  }
  return pending;
}

async function writeLinks(
  ctx: LinkContext,
  repositoryId: number,
  deployment: SuccessfulDeployment,
  shipped: readonly HistoryCommit[],
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
        deploymentId: deployment.id,
        repositoryId,
        sha: commit.oid.toLowerCase(),
      })),
    );
    if (truncated) await markDeploymentCommitsTruncated(trx, deployment.id);
    await ctx.beforeCommit?.(deployment.id);
  });
  return shipped.length;
}
