import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface AuditEntry {
  actor: string;
  action: string;
  target: string | null;
  address: string | null;
  details?: Record<string, unknown>;
}

/** Appends one entry; call it in the transaction of the action it records, so neither exists without the other. */
export async function appendAudit(db: Kysely<Database>, entry: AuditEntry, at: Date): Promise<void> {
  const { details, ...rest } = entry;
  await db
    .insertInto('auditLog')
    .values({ ...rest, at, details: JSON.stringify(details ?? {}) })
    .execute();
}

/** Newest first, `limit` at most, before the entry `beforeId` when given (paging). */
export async function listAudit(
  db: Kysely<Database>,
  options: { limit: number; beforeId?: number | undefined },
) {
  let query = db
    .selectFrom('auditLog')
    .select(['id', 'at', 'actor', 'action', 'target', 'address', 'details'])
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  return query.execute();
}
