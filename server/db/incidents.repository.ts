import type { Kysely } from 'kysely';
import type { Database, NewIncident } from './tables.ts';
import { linkIncidentsToCauses } from './deployments.repository.ts';
import { attributeEvents } from './ownership.repository.ts';
import { sql } from 'kysely';
import { anyChanged, batches, fromExcluded, teamColumnsFromExcluded } from './upsert.ts';

const team = teamColumnsFromExcluded('incidents');

const UPDATABLE = [
  'title',
  'severity',
  'service',
  'started_at',
  'resolved_at',
  'cause_deployment_external_id',
] as const;

/**
 * Upserts incidents on (source, external id): the same incident reported again updates in place (it gains
 * its `resolvedAt` later). Attribution and the link to a causing deployment follow.
 */
export async function upsertIncidents(
  db: Kysely<Database>,
  incidents: readonly NewIncident[],
  now: Date,
): Promise<number[]> {
  const ids: number[] = [];
  const unique = [...new Map(incidents.map((i) => [`${i.source}\u0000${i.externalId}`, i])).values()];
  for (const batch of batches(unique)) {
    await db
      .insertInto('incidents')
      .values(batch.map((incident) => ({ ...incident, createdAt: now, updatedAt: now })))
      .onConflict((oc) =>
        oc
          .columns(['source', 'externalId'])
          .doUpdateSet({ ...fromExcluded(UPDATABLE), ...team.set, updatedAt: now })
          .where(sql<boolean>`${anyChanged('incidents', UPDATABLE)} or ${team.changed}`),
      )
      .execute();
    for (const source of new Set(batch.map((i) => i.source))) {
      const rows = await db
        .selectFrom('incidents')
        .select('id')
        .where('source', '=', source)
        .where(
          'externalId',
          'in',
          batch.filter((i) => i.source === source).map((i) => i.externalId),
        )
        .execute();
      ids.push(...rows.map((row) => row.id));
    }
  }
  await attributeEvents(db, { incidents: ids });
  await linkIncidentsToCauses(db);
  return ids;
}
