import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly holderPid: number,
    readonly holderRole: string,
  ) {
    super(`${holderRole} pid ${holderPid} holds the database; stop it or use the API`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one in-process session with no cross-process locking: two processes opening the same data
 * directory would corrupt it. The process that opens it holds `groundwork.lock` (created atomically with
 * O_EXCL); any other process is refused while the holder lives. A lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string, role: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'groundwork.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, role }));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new DataDirLockedError(holder.pid, holder.role);
      }
      rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not take the lock ${lockPath}`);
}

function readHolder(lockPath: string): { pid: number; role: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown; role?: unknown };
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, role: String(parsed.role ?? 'process') }
      : null;
  } catch {
    return null; // half-written or unreadable: treat as stale
  }
}
