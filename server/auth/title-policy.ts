import type { FastifyRequest } from 'fastify';
import type { AuthMode } from '../config/auth.schema.ts';
import { seesTitlesOf } from './principal.ts';

/** Drill-down row lists that may carry ticket, incident or pull request titles. */
const ROW_LISTS = ['samples', 'tickets', 'incidents'] as const;

/**
 * The one place titles are withheld: drill-down rows keep every figure, but `title` becomes null unless
 * the caller may see that row's team's titles (team-lead of it, admin, or open mode). The row's team is the
 * route's `:team`, else its serving or requesting team.
 */
export function redactTitlesInRows<T>(request: FastifyRequest, mode: AuthMode, rows: readonly T[]): T[] {
  const routeTeam = (request.params as { team?: string } | undefined)?.team;
  return rows.map((row) => {
    if (typeof row !== 'object' || row === null || !('title' in row)) return row;
    const record = row as Record<string, unknown>;
    const teams = [routeTeam, record['team'], record['servingTeam'], record['requestingTeam']] as (
      string | null
    )[];
    return seesTitlesOf(request.principal, teams, mode) ? row : ({ ...record, title: null } as T);
  });
}

/** The same, over a JSON reply's drill-down lists. */
export function redactTitles(request: FastifyRequest, mode: AuthMode, payload: unknown): unknown {
  if (mode === 'open' || typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return payload;
  }
  const record = payload as Record<string, unknown>;
  const lists = ROW_LISTS.filter((key) => Array.isArray(record[key]));
  if (lists.length === 0) return payload;
  const copy = { ...record };
  for (const key of lists) copy[key] = redactTitlesInRows(request, mode, copy[key] as unknown[]);
  return copy;
}
