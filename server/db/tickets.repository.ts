import { sql } from 'kysely';
import type { Insertable, Kysely } from 'kysely';
import type { Database, TicketsTable, TicketStatusIntervalsTable } from './tables.ts';
import { anyChanged, batches, fromExcluded } from './upsert.ts';

export type NewTicketInterval = Omit<Insertable<TicketStatusIntervalsTable>, 'ticketId'> & {
  startedAt: Date;
  endedAt: Date | null;
};

/** A ticket as a collector writes it: the row and every status it sat in, oldest first. */
export type NewTicket = Omit<Insertable<TicketsTable>, 'requestingTeamId' | 'updatedAt'> & {
  intervals: readonly NewTicketInterval[];
};

const UPDATABLE = [
  'external_id',
  'queue',
  'title',
  'url',
  'issue_type',
  'labels',
  'components',
  'category',
  'requester_jira_account_id',
  'requester_github_login',
  'requester_email',
  'requesting_team_hint',
  'serving_team',
  'status',
  'status_category',
  'created_at',
  'first_response_at',
  'work_started_at',
  'resolved_at',
  'source_updated_at',
] as const;

export interface TicketWriteCounts {
  /** Tickets inserted or whose row changed. */
  tickets: number;
  /** Tickets whose status history was rewritten. */
  histories: number;
}

/**
 * Upserts tickets on (source, key) with their status intervals — after removing any row of the same
 * source id under another key (a moved issue). Unchanged tickets are left alone, rows and
 * histories alike, so a re-run collector changes no data row; a ticket whose history changed has its intervals
 * replaced. Requesting teams are resolved afterwards for the tickets written.
 */
export async function upsertTickets(
  db: Kysely<Database>,
  tickets: readonly NewTicket[],
  now: Date,
): Promise<TicketWriteCounts> {
  const counts: TicketWriteCounts = { tickets: 0, histories: 0 };
  const unique = [...new Map(tickets.map((ticket) => [`${ticket.source}|${ticket.key}`, ticket])).values()];
  const touched: number[] = [];
  for (const batch of batches(unique)) {
    await deleteMovedTickets(db, batch);
    const rows = batch.map(({ intervals: _intervals, ...row }) => ({ ...row, updatedAt: now }));
    const written = await db
      .insertInto('tickets')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['source', 'key'])
          .doUpdateSet({ ...fromExcluded(UPDATABLE), updatedAt: now })
          .where(anyChanged('tickets', UPDATABLE)),
      )
      .returning('id')
      .execute();
    counts.tickets += written.length;
    touched.push(...written.map((row) => row.id));
    counts.histories += await replaceChangedHistories(db, batch);
  }
  if (touched.length > 0) await attributeTickets(db, touched);
  return counts;
}

/**
 * A ticket's identity is the source's stable id: an issue moved to another project (OPS-12 → DBA-3) keeps
 * its id and gets a new key. The row under the old key goes; the ticket is written under the new one.
 */
async function deleteMovedTickets(db: Kysely<Database>, tickets: readonly NewTicket[]): Promise<void> {
  const identified = tickets.filter((ticket) => ticket.externalId);
  if (identified.length === 0) return;
  await db
    .deleteFrom('tickets')
    .where((eb) =>
      eb.or(
        identified.map((ticket) =>
          eb.and([
            eb('source', '=', ticket.source),
            eb('externalId', '=', ticket.externalId ?? null),
            eb('key', '!=', ticket.key),
          ]),
        ),
      ),
    )
    .execute();
}

const sameInterval = (a: NewTicketInterval, b: NewTicketInterval) =>
  a.seq === b.seq &&
  a.status === b.status &&
  a.statusCategory === b.statusCategory &&
  a.startedAt.getTime() === b.startedAt.getTime() &&
  (a.endedAt?.getTime() ?? null) === (b.endedAt?.getTime() ?? null);

/** Rewrites the intervals of the tickets whose stored history differs from the one given. */
async function replaceChangedHistories(db: Kysely<Database>, batch: readonly NewTicket[]): Promise<number> {
  const source = batch[0]?.source;
  if (source === undefined) return 0;
  const stored = await db
    .selectFrom('tickets as t')
    .leftJoin('ticketStatusIntervals as i', 'i.ticketId', 't.id')
    .select(['t.id', 't.key', 'i.seq', 'i.status', 'i.statusCategory', 'i.startedAt', 'i.endedAt'])
    .where('t.source', '=', source)
    .where(
      't.key',
      'in',
      batch.map((ticket) => ticket.key),
    )
    .orderBy('t.id')
    .orderBy('i.seq')
    .execute();
  const byKey = new Map<string, { id: number; intervals: NewTicketInterval[] }>();
  for (const row of stored) {
    const entry = byKey.get(row.key) ?? { id: row.id, intervals: [] };
    byKey.set(row.key, entry);
    if (row.seq !== null && row.status !== null && row.statusCategory !== null && row.startedAt !== null) {
      entry.intervals.push({
        seq: row.seq,
        status: row.status,
        statusCategory: row.statusCategory,
        startedAt: row.startedAt,
        endedAt: row.endedAt,
      });
    }
  }
  const changed: { id: number; intervals: readonly NewTicketInterval[] }[] = [];
  for (const ticket of batch) {
    if (ticket.source !== source) throw new Error('upsertTickets: one source per call');
    const entry = byKey.get(ticket.key);
    if (!entry) throw new Error(`ticket ${ticket.source} ${ticket.key} was not written`);
    const same =
      entry.intervals.length === ticket.intervals.length &&
      entry.intervals.every((interval, index) => sameInterval(interval, ticket.intervals[index]!));
    if (!same) changed.push({ id: entry.id, intervals: ticket.intervals });
  }
  if (changed.length === 0) return 0;
  await db
    .deleteFrom('ticketStatusIntervals')
    .where(
      'ticketId',
      'in',
      changed.map((ticket) => ticket.id),
    )
    .execute();
  const intervals = changed.flatMap((ticket) =>
    ticket.intervals.map((interval) => ({ ...interval, ticketId: ticket.id })),
  );
  for (const rows of batches(intervals)) await db.insertInto('ticketStatusIntervals').values(rows).execute();
  return changed.length;
}

/**
 * Sets each ticket's requesting team: a team named by the ticket (slug or name, from a configured field)
 * wins; otherwise the team the requester belonged to when filing it, matched by Jira account id, GitHub
 * login or e-mail. Only tickets whose team changes are written. `ids` limits the work to fresh rows; without
 * it every ticket is re-attributed (membership changed).
 */
export async function attributeTickets(db: Kysely<Database>, ids: readonly number[] | null = null) {
  const only = ids ? sql`and t2.id = any(${[...ids]}::bigint[])` : sql``;
  await sql`
    update tickets t
    set requesting_team_id = resolved.team_id
    from (
      select t2.id, coalesce(
        (select tm.id from teams tm
         where t2.requesting_team_hint is not null
           and (tm.slug = lower(t2.requesting_team_hint) or lower(tm.name) = lower(t2.requesting_team_hint))
         order by tm.id limit 1),
        (select m.team_id from team_memberships m
         where (m.jira_account_id = t2.requester_jira_account_id
             or m.github_login = lower(t2.requester_github_login)
             or m.email = lower(t2.requester_email))
           and (m.valid_from is null or m.valid_from <= t2.created_at)
           and (m.valid_to is null or m.valid_to > t2.created_at)
         order by m.team_id limit 1)) as team_id
      from tickets t2
      where true ${only}
    ) resolved
    where t.id = resolved.id and t.requesting_team_id is distinct from resolved.team_id`.execute(db);
}
