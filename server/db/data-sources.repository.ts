import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database, PayloadAuthMethod } from './tables.ts';

export interface SourceSummary {
  source: string;
  deployments: { total: number; unattributed: number };
  incidents: { total: number; unattributed: number };
  /** The last payload pushed under this source; null for sources that never push (demo, collectors). */
  lastEvent: {
    receivedAt: Date;
    kind: string;
    authMethod: PayloadAuthMethod;
    tokenName: string | null;
    itemCount: number;
  } | null;
}

/** The last payload one pusher (a source under one token, or under the shared signature) sent. */
export type PusherSummary = NonNullable<SourceSummary['lastEvent']> & { source: string };

export interface UnattributedSummary {
  count: number;
  /** The commonest services/repositories nobody owns: what to add to groundwork.yaml. */
  examples: { service: string | null; repository: string | null; count: number }[];
}

/** Per source, what is stored and what arrived last; and what no team owns, with examples. */
export async function summarizeDataSources(
  db: Kysely<Database>,
  exampleCount = 5,
): Promise<{
  sources: SourceSummary[];
  pushers: PusherSummary[];
  unattributed: Record<'deployments' | 'incidents', UnattributedSummary>;
}> {
  const counts = await sql<{
    eventTable: 'deployments' | 'incidents';
    source: string;
    total: number;
    unattributed: number;
  }>`
    select 'deployments' as event_table, source, count(*) as total,
      count(*) filter (where team_id is null) as unattributed
    from deployments group by source
    union all
    select 'incidents', source, count(*), count(*) filter (where team_id is null)
    from incidents group by source`.execute(db);
  // One row per source, authentication and token: a CI system that stopped pushing shows up here even
  // while another token keeps the same source busy.
  const pushers = await sql<PusherSummary>`
    select distinct on (source, auth_method, token_name)
      source, received_at, kind, auth_method, token_name, item_count
    from event_payloads
    order by source, auth_method, token_name, received_at desc, id desc`.execute(db);
  const bySource = new Map<string, SourceSummary>();
  const summaryOf = (source: string): SourceSummary => {
    let summary = bySource.get(source);
    if (!summary) {
      summary = {
        source,
        deployments: { total: 0, unattributed: 0 },
        incidents: { total: 0, unattributed: 0 },
        lastEvent: null,
      };
      bySource.set(source, summary);
    }
    return summary;
  };
  for (const row of counts.rows) {
    summaryOf(row.source)[row.eventTable] = { total: row.total, unattributed: row.unattributed };
  }
  for (const { source, ...lastEvent } of pushers.rows) {
    const summary = summaryOf(source);
    if (!summary.lastEvent || summary.lastEvent.receivedAt < lastEvent.receivedAt)
      summary.lastEvent = lastEvent;
  }
  const sources = [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
  const total = (table: 'deployments' | 'incidents') =>
    sources.reduce((sum, source) => sum + source[table].unattributed, 0);
  return {
    sources,
    pushers: [...pushers.rows].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime()),
    unattributed: {
      deployments: { count: total('deployments'), examples: await unattributedDeployments(db, exampleCount) },
      incidents: { count: total('incidents'), examples: await unattributedIncidents(db, exampleCount) },
    },
  };
}

async function unattributedDeployments(db: Kysely<Database>, limit: number) {
  const rows = await sql<{ service: string | null; repository: string | null; count: number }>`
    select d.service, r.full_name as repository, count(*) as count
    from deployments d left join repositories r on r.id = d.repository_id
    where d.team_id is null
    group by d.service, r.full_name
    order by count(*) desc, d.service nulls last, r.full_name nulls last
    limit ${limit}`.execute(db);
  return rows.rows;
}

async function unattributedIncidents(db: Kysely<Database>, limit: number) {
  // Incidents from GitHub issues belong to a repository rather than a service.
  const rows = await sql<{ service: string | null; repository: string | null; count: number }>`
    select i.service, r.full_name as repository, count(*) as count
    from incidents i left join repositories r on r.id = i.repository_id
    where i.team_id is null
    group by i.service, r.full_name
    order by count(*) desc, i.service nulls last, r.full_name nulls last
    limit ${limit}`.execute(db);
  return rows.rows;
}

/**
 * Of these rows, by id, the external ids of those no team owns. By primary key: a batch's rows were just
 * written side by side, while a thousand external ids looked up by (source, external id) were planned as a
 * scan of the whole table.
 */
export async function unattributedExternalIdsOf(
  db: Kysely<Database>,
  table: 'deployments' | 'incidents',
  ids: readonly number[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom(table)
    .select('externalId')
    .where('id', '=', sql<number>`any(${[...ids]}::bigint[])`)
    .where('teamId', 'is', null)
    .execute();
  return new Set(rows.map((row) => row.externalId));
}
