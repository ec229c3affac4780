import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';

/** How many computed figures a server keeps (least recently used go first). */
const DEFAULT_MAX_ENTRIES = 1024;

interface Entry {
  value: Promise<unknown>;
  /** When the computation started (the system clock: it bounds how stale a rolling period may be). */
  startedAtMs: number;
}

export interface FiguresRequest<T> {
  /** What is computed, with every input that changes the result (period bounds, benchmark, team). */
  key: string;
  /** Reuse a result at most this old even at the same data version: rolling periods such as last-30d. */
  maxAgeMs?: number | undefined;
  compute: () => Promise<T>;
}

/**
 * Expensive read-only figures (the organisation's metrics, scorecard histories) computed once per key and
 * *data version*, and shared: concurrent requests for the same figures wait for one computation instead of
 * each running the same queries on the pool (no thundering herd), and later ones reuse it until data
 * changes. A failed computation is not kept.
 *
 * The data version is PostgreSQL's current snapshot (`xmin:xmax:in-progress`), which changes with every
 * committed write and only then; it is read before computing, so a result is never stored under a newer
 * version than the data it saw (it may have seen newer data, which the next version replaces). Any number
 * of server replicas each keep their own; reading the version on the handle the figures are read from keeps
 * that true on a read replica too.
 */
export class SharedFigures {
  readonly #entries = new Map<string, Entry>();
  readonly #db: Kysely<Database>;
  readonly #maxEntries: number;
  readonly #nowMs: () => number;
  #computations = 0;

  constructor(db: Kysely<Database>, options: { maxEntries?: number; nowMs?: () => number } = {}) {
    this.#db = db;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#nowMs = options.nowMs ?? Date.now;
  }

  /** How many computations ran (not served from a shared or stored result): for tests and the benchmark. */
  get computations(): number {
    return this.#computations;
  }

  async get<T>(request: FiguresRequest<T>): Promise<T> {
    const version = await dataVersion(this.#db);
    const key = `${request.key}@${version}`;
    const found = this.#entries.get(key);
    const now = this.#nowMs();
    if (found && (request.maxAgeMs === undefined || now - found.startedAtMs <= request.maxAgeMs)) {
      this.#entries.delete(key); // most recently used last
      this.#entries.set(key, found);
      return found.value as Promise<T>;
    }
    this.#computations += 1;
    const value = request.compute();
    this.#entries.delete(key);
    this.#entries.set(key, { value, startedAtMs: now });
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(oldest);
    }
    return value;
  }
}

/** Through `figures` when the caller has them (the server does), else computed directly (tests, CLI). */
export function shared<T>(
  figures: SharedFigures | undefined,
  key: unknown[],
  compute: () => Promise<T>,
  maxAgeMs?: number,
): Promise<T> {
  return figures ? figures.get({ key: JSON.stringify(key), compute, maxAgeMs }) : compute();
}

/** Changes whenever a write transaction commits (see SharedFigures). */
export async function dataVersion(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ version: string }>`select pg_current_snapshot()::text as version`.execute(db);
  return result.rows[0]?.version ?? '';
}
