import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './tables.ts';
import { lockDataDir } from './data-dir-lock.ts';

// Counts and sums come back from PostgreSQL as int8/numeric strings; Groundwork's numbers fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * How long a query waits for a connection. PGlite has exactly one: a query issued outside an open
 * transaction would otherwise wait for it forever. Here it fails with "timeout exceeded when trying to connect".
 */
const CONNECTION_TIMEOUT_MS = 10_000;

export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  /** The primary: every write, and every read that must see the request's own writes. */
  db: Kysely<Database>;
  /**
   * Where dashboard reads go: the read replica (`DATABASE_READ_URL`) when one is configured, else `db`. A
   * replica lags the primary and refuses writes, so only read-only figures that may be a moment old use it.
   */
  read: Kysely<Database>;
  engine: Engine;
  /** A printable description of where the data lives (never the password). */
  location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite is used. */
  url: string | null;
  /** A read replica of `url` (`DATABASE_READ_URL`) for dashboard reads; null or absent: reads use `url`. */
  readUrl?: string | null;
  /** PGlite persists under `<dataDir>/pglite`; `memory` keeps it in memory (tests). */
  dataDir: string | 'memory';
  /** Who holds the PGlite lock, named to a second process that is refused ("server", "groundwork migrate"). */
  role: string;
  /** How long a query waits for a free connection before failing (default 10 s). */
  connectionTimeoutMs?: number;
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparsable DATABASE_URL';
  }
}

function kyselyOver(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
}

/** Returns a typed Kysely instance over real PostgreSQL (`url`) or embedded PGlite, checked reachable. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const timeoutMs = options.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS;
  if (!options.url) return openPglite(options.dataDir, options.role, timeoutMs);
  const primary = await openPostgres(options.url, 'DATABASE_URL', timeoutMs);
  if (!options.readUrl) return primary;
  let replica: Kysely<Database>;
  try {
    replica = (await openPostgres(options.readUrl, 'DATABASE_READ_URL', timeoutMs)).db;
  } catch (error) {
    await primary.close();
    throw error;
  }
  return {
    ...primary,
    read: replica,
    location: `${primary.location}, reads from ${redactUrl(options.readUrl)}`,
    async close() {
      await Promise.all([primary.close(), replica.destroy()]);
    },
  };
}

async function openPostgres(url: string, variable: string, timeoutMs: number): Promise<DatabaseHandle> {
  const location = redactUrl(url);
  const reads = variable === 'DATABASE_READ_URL';
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    max: 10,
    // Named so an operator (and the replica test) can tell the two pools apart in pg_stat_activity.
    application_name: reads ? 'groundwork reads' : 'groundwork',
    // JIT compilation cost 100–350 ms of a 1 s organisation query and never paid back (docs/performance.md).
    // The read pool is read-only even when it points at a primary: a write routed there by mistake fails
    // loudly in development instead of only once a real replica is behind it.
    options: reads ? '-c jit=off -c default_transaction_read_only=on' : '-c jit=off',
  });
  // An idle client that dies (server restart) must not crash the process.
  pool.on('error', () => undefined);
  // Nor one that is checked out: between two queries of a transaction a lost connection is emitted as
  // 'error' on the client itself, which had no listener and took the process down. The query in flight,
  // or the next one, fails on its own and the request gets a 503; the pool discards the broken client.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end();
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DatabaseUnavailableError(
      `cannot connect to PostgreSQL at ${location} (${variable}): ${reason}`,
      {
        cause: error,
      },
    );
  }
  const db = kyselyOver(pool);
  return { db, read: db, engine: 'postgres', location, close: () => db.destroy() };
}

async function openPglite(dataDir: string, role: string, timeoutMs: number): Promise<DatabaseHandle> {
  const lock = dataDir === 'memory' ? null : lockDataDir(dataDir, role);
  try {
    const pglitePath = dataDir === 'memory' ? undefined : path.join(dataDir, 'pglite');
    const pglite = await PGlite.create(pglitePath);
    const pool = new pg.Pool({
      ...createPgConfig(pglite),
      connectionTimeoutMillis: timeoutMs,
      // The single PGlite connection object cannot be re-opened once the pool closes it for idleness.
      idleTimeoutMillis: 0,
    });
    const db = kyselyOver(pool);
    return {
      db,
      read: db,
      engine: 'pglite',
      location: pglitePath ? `embedded PGlite in ${pglitePath}` : 'embedded PGlite in memory',
      async close() {
        try {
          await db.destroy();
          await pglite.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}
