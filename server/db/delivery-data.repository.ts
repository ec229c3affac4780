import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/**
 * Whether any delivery data (a deployment or a pull request, from any source) is stored: the server loads
 * the demo organisation only into a database that has none, so it never mixes demo rows into real ones.
 */
export async function hasDeliveryData(db: Kysely<Database>): Promise<boolean> {
  const result = await sql<{ present: boolean }>`
    select exists (select 1 from deployments) or exists (select 1 from pull_requests) as present`.execute(db);
  return result.rows[0]?.present === true;
}
