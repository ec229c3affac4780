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

/** How an incident with no explicit cause is tied to a deployment (`metrics.incidentCauseInference`). */
export interface IncidentCauseRule {
  /** null: inference is off, and inferred links in scope are removed. */
  windowHours: number | null;
  productionEnvironments: readonly string[];
}

/**
 * Ties each incident in scope that has no explicit cause to the latest successful production deployment of
 * the same service that finished within `windowHours` before the incident started (both ends inclusive),
 * marked `inferred`. Explicit links — a `deploymentId` from the sender (even one not yet arrived: a guess is
 * dropped) or a link a collector set — always win. The scope is the freshly written incidents plus every
 * incident a freshly written deployment could now cause or was the inferred cause of, so either side may
 * arrive late, in any order. Writers of incidents or deployments call this after their upserts.
 */
export async function inferIncidentCauses(
  db: Kysely<Database>,
  rule: IncidentCauseRule,
  scope: { incidentIds?: readonly number[]; deploymentIds?: readonly number[] },
): Promise<void> {
  const incidentIds = [...(scope.incidentIds ?? [])];
  const deploymentIds = [...(scope.deploymentIds ?? [])];
  if (incidentIds.length === 0 && deploymentIds.length === 0) return;
  const environments = [...rule.productionEnvironments];
  const production = sql`d.status = 'success' and d.environment = any(${environments}::text[])`;
  const window = rule.windowHours === null ? null : sql`(${rule.windowHours}::float8 * interval '1 hour')`;
  const cause = window
    ? sql`(select d.id from deployments d
        where d.service = i2.service and ${production}
          and d.finished_at <= i2.started_at and d.finished_at >= i2.started_at - ${window}
        order by d.finished_at desc, d.id desc limit 1)`
    : sql`null::bigint`;
  const nearScopedDeployments = window
    ? sql`union
      select i3.id from deployments d
      join incidents i3 on i3.service = d.service
        and i3.started_at >= d.finished_at and i3.started_at <= d.finished_at + ${window}
      where d.id = any(${deploymentIds}::bigint[]) and ${production}`
    : sql``;
  await sql`
    with scoped as (
      select id from incidents where id = any(${incidentIds}::bigint[])
      union
      select id from incidents where deployment_id = any(${deploymentIds}::bigint[])
      ${nearScopedDeployments}
    )
    update incidents i
    set deployment_id = c.cause_id,
        deployment_link = case when c.cause_id is null then null else 'inferred' end
    from (
      -- An incident naming its cause waits for that deployment rather than keep a guess.
      select i2.id, case when i2.cause_deployment_external_id is null then ${cause} end as cause_id
      from incidents i2 join scoped on scoped.id = i2.id
      where i2.deployment_link is distinct from 'explicit'
    ) c
    where i.id = c.id and i.deployment_id is distinct from c.cause_id`.execute(db);
}
