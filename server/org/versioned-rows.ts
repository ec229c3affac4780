/**
 * Plans the changes that keep a time-versioned assignment (repository → team, person → team) true to a newly
 * loaded configuration, without rewriting history:
 * - a key declared for the first time ever holds from the beginning of time (validFrom null), so history
 *   imported later is attributed to it, unless the config gives an `effectiveFrom`;
 * - a key whose owner changes closes the old row and opens a new one at `effectiveFrom` or now;
 * - a key no longer declared is closed now.
 * Pure, so the rules are tested without a database.
 */
export interface VersionedRow {
  id: number;
  key: string;
  ownerId: number;
  validFrom: Date | null;
  validTo: Date | null;
}

export interface Declaration {
  key: string;
  ownerId: number;
  effectiveFrom: Date | null;
}

export type VersionChange =
  | { op: 'open'; key: string; ownerId: number; validFrom: Date | null }
  | { op: 'close'; id: number; validTo: Date }
  | { op: 'reassign'; id: number; ownerId: number }
  | { op: 'delete'; id: number };

export function planVersionChanges(
  existing: readonly VersionedRow[],
  declared: readonly Declaration[],
  now: Date,
): VersionChange[] {
  const changes: VersionChange[] = [];
  const declaredKeys = new Set(declared.map((d) => d.key));
  for (const declaration of declared) {
    const history = existing.filter((row) => row.key === declaration.key);
    const open = history.find((row) => row.validTo === null);
    if (open && open.ownerId === declaration.ownerId) continue;
    if (!open) {
      const lastEnd = latest(history.map((row) => row.validTo));
      const validFrom =
        history.length === 0 ? declaration.effectiveFrom : later(declaration.effectiveFrom ?? now, lastEnd);
      changes.push({ op: 'open', key: declaration.key, ownerId: declaration.ownerId, validFrom });
      continue;
    }
    const effective = declaration.effectiveFrom ?? now;
    if (open.validFrom !== null && effective <= open.validFrom) {
      // The new owner takes over from before the current owner's start: the current row never really held.
      changes.push({ op: 'reassign', id: open.id, ownerId: declaration.ownerId });
    } else {
      changes.push({ op: 'close', id: open.id, validTo: effective });
      changes.push({ op: 'open', key: declaration.key, ownerId: declaration.ownerId, validFrom: effective });
    }
  }
  for (const row of existing) {
    if (row.validTo !== null || declaredKeys.has(row.key)) continue;
    if (row.validFrom !== null && row.validFrom >= now) changes.push({ op: 'delete', id: row.id });
    else changes.push({ op: 'close', id: row.id, validTo: now });
  }
  return changes;
}

function latest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((max, date) => (date && (!max || date > max) ? date : max), null);
}

function later(a: Date, b: Date | null): Date {
  return b && b > a ? b : a;
}
