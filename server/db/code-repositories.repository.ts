import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';
import { batches } from './upsert.ts';

/** Makes sure each repository (`owner/name`, any case) exists; returns lower-cased name → id. */
export async function ensureRepositories(
  db: Kysely<Database>,
  fullNames: readonly string[],
): Promise<Map<string, number>> {
  const names = [...new Set(fullNames.map((name) => name.toLowerCase()))];
  const ids = new Map<string, number>();
  for (const batch of batches(names)) {
    await db
      .insertInto('repositories')
      .values(batch.map((fullName) => ({ fullName })))
      .onConflict((oc) => oc.column('fullName').doNothing())
      .execute();
    const rows = await db
      .selectFrom('repositories')
      .select(['id', 'fullName'])
      .where('fullName', 'in', batch)
      .execute();
    for (const row of rows) ids.set(row.fullName, row.id);
  }
  return ids;
}
