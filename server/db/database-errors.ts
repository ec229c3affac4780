/**
 * What a database error means for the client. PostgreSQL going away, a full disk or a pool that cannot hand
 * out a connection is "unavailable" (503, try again); a value PostgreSQL refuses as data (SQLSTATE class 22,
 * e.g. a NUL byte or a number out of range) that slipped past validation is the client's "bad input" (400).
 * Anything else is a defect (500).
 */
export type DatabaseFailure = 'unavailable' | 'bad-input' | null;

// 08: connection exception; 53: insufficient resources (disk full, out of memory, too many connections);
// 57P01-03: the server is shutting down or starting; 58: system error (I/O).
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]|58)/;
const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
// node-postgres reports a lost or unobtainable connection by message only.
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed|connection error/i;

export function classifyDatabaseError(error: unknown): DatabaseFailure {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (UNAVAILABLE_ERRNO.has(code) || (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE.test(code))) {
        return 'unavailable';
      }
      if (/^22[0-9A-Z]{3}$/.test(code)) return 'bad-input';
    }
    if (UNAVAILABLE_MESSAGE.test(cause.message)) return 'unavailable';
    cause = (cause as { cause?: unknown }).cause;
  }
  return null;
}

function isWritePathFailure(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^(53|58)[0-9A-Z]{3}$/.test(code)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Whether writes are failing right now, for /readyz: a `select 1` still answers when the disk is full or a
 * write path is broken, so the last request that failed for want of the database is remembered until a
 * write succeeds again.
 */
export class DatabaseHealth {
  private failure: { at: Date; message: string } | null = null;

  /** Remembers a failure of the write path (disk full, out of resources, I/O); a lost connection is not
   * remembered, as /readyz's own query tells whether the database is reachable. */
  noteUnavailable(error: unknown, at: Date): void {
    if (!isWritePathFailure(error)) return;
    this.failure = { at, message: error instanceof Error ? error.message : String(error) };
  }

  noteWriteSucceeded(): void {
    this.failure = null;
  }

  /** The last unavailability not yet followed by a successful write. */
  get lastFailure(): { at: Date; message: string } | null {
    return this.failure;
  }
}
