import type { Kysely } from 'kysely';
import type { Database, NewRelease } from './tables.ts';
import { anyChanged, batches, fromExcluded } from './upsert.ts';

const UPDATABLE = [
  'tag_name',
  'name',
  'sha',
  'is_draft',
  'is_prerelease',
  'released_created_at',
  'published_at',
] as const;

/** Upserts GitHub releases on (repository, GitHub id); an unchanged release is not rewritten. */
export async function upsertReleases(db: Kysely<Database>, releases: readonly NewRelease[]): Promise<void> {
  const unique = [...new Map(releases.map((r) => [`${r.repositoryId}:${r.externalId}`, r])).values()];
  for (const batch of batches(unique)) {
    await db
      .insertInto('releases')
      .values(batch)
      .onConflict((oc) =>
        oc
          .columns(['repositoryId', 'externalId'])
          .doUpdateSet(fromExcluded(UPDATABLE))
          .where(anyChanged('releases', UPDATABLE)),
      )
      .execute();
  }
}
