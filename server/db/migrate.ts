import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Migrator } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: migrationsFolder }),
  });
}

/** Applies every pending migration, forward-only; returns the names applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? ''} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every migration in `migrations/` has been applied (readiness). */
export async function isFullyMigrated(db: Kysely<Database>): Promise<boolean> {
  const migrations = await migrator(db).getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}

/** How many migrations are applied, and the names of those pending (`groundwork doctor`). */
export async function migrationStatus(db: Kysely<Database>): Promise<{ applied: number; pending: string[] }> {
  const migrations = await migrator(db).getMigrations();
  return {
    applied: migrations.filter((m) => m.executedAt !== undefined).length,
    pending: migrations.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}
