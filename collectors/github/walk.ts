import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import { saveSyncState } from '../../server/db/collector-state.repository.ts';
import type { SyncPosition } from '../../server/db/collector-state.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import { present } from './map.ts';
import type { Page } from './map.ts';

export const COLLECTOR_ID = 'github';

/** One kind of item of one repository, read page by page from a cursor. */
export interface Stream<T> {
  /** The sync-state scope: `owner/name:pull-requests`. */
  scope: string;
  /** How far back a fresh walk reads, from the stream's watermark; null: everything. */
  floor(watermark: Date | null): Date | null;
  /** The item's time the watermark follows (updated, committed or created). */
  time(node: T): Date;
  /** Completes a page's items before they are written (a PR's commits past the first page), outside the
   * page's transaction. */
  complete?(nodes: T[]): Promise<void>;
  /** Writes a page's items inside the page's transaction. */
  write(db: Kysely<Database>, nodes: T[]): Promise<void>;
  /** The page after `after` (null: the first page), for a walk reading back to `floor`. */
  page(after: string | null, floor: Date | null): Promise<Page<T>>;
}

/** An unfinished walk, saved as the stream's cursor so a crash resumes it rather than restarting. */
interface PendingWalk {
  after: string;
  /** The newest item time seen so far: the watermark once the walk completes. */
  highWater: string | null;
  /** Items older than this end the walk. */
  floor: string | null;
}

export interface WalkContext {
  db: Kysely<Database>;
  clock: Clock;
  /** Called after each page is committed (progress, lease renewal). */
  afterPage?: (() => Promise<void>) | undefined;
}

/**
 * Reads a stream until an item is older than its floor or the pages end. Each page's rows and the stream's
 * position are written in one transaction, so a crash at any point resumes from the saved cursor without
 * losing or duplicating a row. A saved pending walk is resumed from its cursor; otherwise the walk starts
 * at `firstPage` (already fetched with the repository's combined first query) or fetches it. The watermark
 * advances only when a walk completes, to the newest item time it saw.
 */
export async function walk<T>(
  ctx: WalkContext,
  stream: Stream<T>,
  position: SyncPosition,
  firstPage: Page<T> | null,
): Promise<void> {
  const resumed = position.cursor ? (JSON.parse(position.cursor) as PendingWalk) : null;
  const floor = resumed ? (resumed.floor ? new Date(resumed.floor) : null) : stream.floor(position.watermark);
  let highWater = resumed?.highWater ? new Date(resumed.highWater) : null;
  let page = resumed
    ? await stream.page(resumed.after, floor)
    : (firstPage ?? (await stream.page(null, floor)));
  for (;;) {
    const nodes = present(page.nodes);
    const fresh = nodes.filter((node) => floor === null || stream.time(node) >= floor);
    for (const node of nodes) {
      const at = stream.time(node);
      if (!highWater || at > highWater) highWater = at;
    }
    if (fresh.length > 0) await stream.complete?.(fresh);
    const done = !page.pageInfo.hasNextPage || !page.pageInfo.endCursor || fresh.length < nodes.length;
    const next: SyncPosition = done
      ? { cursor: null, watermark: latest(position.watermark, highWater) }
      : {
          cursor: JSON.stringify({
            after: page.pageInfo.endCursor ?? '',
            highWater: highWater?.toISOString() ?? null,
            floor: floor?.toISOString() ?? null,
          } satisfies PendingWalk),
          watermark: position.watermark,
        };
    await ctx.db.transaction().execute(async (trx) => {
      if (fresh.length > 0) await stream.write(trx, fresh);
      await saveSyncState(trx, COLLECTOR_ID, stream.scope, next, ctx.clock.now());
    });
    await ctx.afterPage?.();
    if (done) return;
    page = await stream.page(page.pageInfo.endCursor as string, floor);
  }
}

const latest = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);

export const emptyPage = <T>(): Page<T> => ({
  pageInfo: { hasNextPage: false, endCursor: null },
  nodes: [],
});
