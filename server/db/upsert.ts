import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 bind parameters for our widest table. */
export const BATCH_SIZE = 500;

export function* batches<T>(rows: readonly T[], size = BATCH_SIZE): Generator<T[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}

/** `{ col: excluded.col, … }` for `ON CONFLICT … DO UPDATE SET`. */
export function fromExcluded(columns: readonly string[]): Record<string, RawBuilder<unknown>> {
  return Object.fromEntries(columns.map((column) => [column, sql.ref(`excluded.${column}`)]));
}

/**
 * `(t.a, t.b) IS DISTINCT FROM (excluded.a, excluded.b)`: an upsert only rewrites rows whose data changed, so
 * re-delivered events and re-run collectors leave unchanged rows (and their `updated_at`) untouched.
 */
export function anyChanged(table: string, columns: readonly string[]): RawBuilder<boolean> {
  const current = columns.map((column) => sql.ref(`${table}.${column}`));
  const incoming = columns.map((column) => sql.ref(`excluded.${column}`));
  return sql<boolean>`(${sql.join(current)}) is distinct from (${sql.join(incoming)})`;
}

/**
 * The team columns of an upserted event: a team the sender named wins; without one, the team resolved from
 * ownership is kept (re-attribution owns it), so re-delivering an event does not churn its row.
 */
export function teamColumnsFromExcluded(table: string): {
  set: Record<string, RawBuilder<unknown>>;
  changed: RawBuilder<boolean>;
} {
  const t = sql.table(table);
  return {
    set: {
      team_id: sql`case when excluded.team_attribution = 'explicit' then excluded.team_id
        when ${t}.team_attribution = 'explicit' then null else ${t}.team_id end`,
      team_attribution: sql`case when excluded.team_attribution = 'explicit' then 'explicit'
        when ${t}.team_attribution = 'explicit' then null else ${t}.team_attribution end`,
    },
    changed: sql<boolean>`((excluded.team_attribution = 'explicit' and ${t}.team_id is distinct from excluded.team_id)
      or (${t}.team_attribution = 'explicit' and excluded.team_attribution is distinct from 'explicit'))`,
  };
}
