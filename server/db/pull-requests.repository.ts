import type { Kysely } from 'kysely';
import type { Database, NewPullRequest } from './tables.ts';
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
