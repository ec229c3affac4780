import type { Kysely } from 'kysely';
import type { Database, NewCommit } from './tables.ts';
import { sql } from 'kysely';
import { batches } from './upsert.ts';

/** Upserts commits on (repository, sha); a later source may fill in an authored time the first lacked. */
export async function upsertCommits(db: Kysely<Database>, commits: readonly NewCommit[]): Promise<void> {
  const unique = new Map(commits.map((commit) => [`${commit.repositoryId}:${commit.sha}`, commit]));
  for (const batch of batches([...unique.values()])) {
    await db
      .insertInto('commits')
      .values(batch)
      .onConflict((oc) =>
        oc
          .columns(['repositoryId', 'sha'])
          .doUpdateSet((eb) => ({
            committedAt: eb.ref('excluded.committedAt'),
            authoredAt: eb.fn.coalesce('excluded.authoredAt', 'commits.authoredAt'),
          }))
          .where(
            sql<boolean>`commits.committed_at is distinct from excluded.committed_at
              or (excluded.authored_at is not null and commits.authored_at is distinct from excluded.authored_at)`,
          ),
      )
      .execute();
  }
}
