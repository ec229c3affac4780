import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/tables.ts';
import type { CiCollectionSettings } from './ci-map.ts';
import { ciRunStream } from './ci-runs.stream.ts';
import type { CiRunNode } from './ci-runs.stream.ts';
import type { RepositoryScope } from './streams.ts';
import type { Stream } from './walk.ts';

/**
 * A repository's CI runs, walked like its other streams (resumable, one transaction per page). A token
 * without Actions read access fails here with a message saying what to do.
 */
export async function syncCiRuns(
  db: Kysely<Database>,
  scope: RepositoryScope,
  settings: CiCollectionSettings,
  run: (stream: Stream<CiRunNode>, firstPage: null) => Promise<void>,
): Promise<void> {
  try {
    await run(ciRunStream(scope, db, settings), null);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== 403 && status !== 404) throw error;
    throw new Error(
      `CI runs: ${(error as Error).message} (the token needs Actions: read; or set ci.github.collect: false)`,
      { cause: error },
    );
  }
}
