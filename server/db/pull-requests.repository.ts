import type { Kysely } from 'kysely';
import type { Database, NewPullRequest, NewPullRequestCommit } from './tables.ts';
import { attributeEvents } from './ownership.repository.ts';
import { anyChanged, batches, fromExcluded } from './upsert.ts';

const UPDATABLE = [
  'external_id',
  'title',
  'state',
  'author_login',
  'author_is_bot',
  'base_branch',
  'created_at',
  'first_commit_authored_at',
  'first_review_at',
  'merged_at',
  'closed_at',
  'merge_commit_sha',
  'additions',
  'deletions',
  'changed_files',
  'commit_count',
  'source_updated_at',
] as const;

/** Upserts pull requests on (repository, number) and attributes them to their repository's owner. */
export async function upsertPullRequests(
  db: Kysely<Database>,
  pullRequests: readonly NewPullRequest[],
): Promise<void> {
  const ids: number[] = [];
  const unique = [...new Map(pullRequests.map((pr) => [`${pr.repositoryId}#${pr.number}`, pr])).values()];
  for (const batch of batches(unique)) {
    const written = await db
      .insertInto('pullRequests')
      .values(batch)
      .onConflict((oc) =>
        oc
          .columns(['repositoryId', 'number'])
          .doUpdateSet(fromExcluded(UPDATABLE))
          .where(anyChanged('pull_requests', UPDATABLE)),
      )
      .returning('id')
      .execute();
    ids.push(...written.map((row) => row.id));
  }
  if (ids.length > 0) await attributeEvents(db, { pullRequests: ids });
}

/** One pull request's commits, complete (every page of GitHub's list). */
export interface PullRequestCommitList {
  repositoryId: number;
  number: number;
  commits: readonly Omit<NewPullRequestCommit, 'pullRequestId' | 'repositoryId'>[];
}

/**
 * Replaces the commits of already-written pull requests with their current lists: a force-pushed branch
 * drops commits, and a re-read PR must not keep them.
 */
export async function replacePullRequestCommits(
  db: Kysely<Database>,
  lists: readonly PullRequestCommitList[],
): Promise<void> {
  for (const group of batches([...lists])) {
    const rows = await db
      .selectFrom('pullRequests')
      .select(['id', 'repositoryId', 'number'])
      .where((eb) =>
        eb.or(
          group.map((list) =>
            eb.and([eb('repositoryId', '=', list.repositoryId), eb('number', '=', list.number)]),
          ),
        ),
      )
      .execute();
    const ids = new Map(rows.map((row) => [`${row.repositoryId}#${row.number}`, row.id]));
    const owned = group.flatMap((list) => {
      const pullRequestId = ids.get(`${list.repositoryId}#${list.number}`);
      return pullRequestId === undefined ? [] : [{ pullRequestId, list }];
    });
    if (owned.length === 0) continue;
    await db
      .deleteFrom('pullRequestCommits')
      .where(
        'pullRequestId',
        'in',
        owned.map((o) => o.pullRequestId),
      )
      .execute();
    const values = owned.flatMap(({ pullRequestId, list }) =>
      [...new Map(list.commits.map((commit) => [commit.sha, commit])).values()].map((commit) => ({
        ...commit,
        pullRequestId,
        repositoryId: list.repositoryId,
      })),
    );
    for (const batch of batches(values)) await db.insertInto('pullRequestCommits').values(batch).execute();
  }
}
