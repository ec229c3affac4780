import type { Kysely } from 'kysely';
import { saveSyncState } from '../../server/db/collector-state.repository.ts';
import type { SyncPosition } from '../../server/db/collector-state.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import { upsertTickets } from '../../server/db/tickets.repository.ts';
import type { NewTicket } from '../../server/db/tickets.repository.ts';

/** Where a ticket walk stands after a page: done (the watermark moves up), or the cursor to resume from. */
export function nextPosition(
  saved: SyncPosition,
  done: boolean,
  highWater: Date | null,
  pending: () => unknown,
): SyncPosition {
  if (!done) return { cursor: JSON.stringify(pending()), watermark: saved.watermark };
  const watermark = !saved.watermark
    ? highWater
    : !highWater || saved.watermark > highWater
      ? saved.watermark
      : highWater;
  return { cursor: null, watermark };
}

/**
 * Writes a page of tickets and the walk's position in one transaction, so a crash keeps both or neither,
 * and counts them (`tickets` read, `ticketsChanged` written).
 */
export async function saveTicketPage(
  db: Kysely<Database>,
  page: {
    collector: string;
    scope: string;
    tickets: readonly NewTicket[];
    position: SyncPosition;
    now: Date;
  },
  counts: Record<string, number>,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const written = await upsertTickets(trx, page.tickets, page.now);
    counts['tickets'] = (counts['tickets'] ?? 0) + page.tickets.length;
    counts['ticketsChanged'] = (counts['ticketsChanged'] ?? 0) + written.tickets;
    await saveSyncState(trx, page.collector, page.scope, page.position, page.now);
  });
}
