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
  'repository_id',
  'cause_reference',
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
  await linkIncidentsToCauses(db, { incidentIds: ids });
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
 * the same service (or, for an incident from a repository's issues, of the same repository) that finished within `windowHours` before the incident started (both ends inclusive),
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
        where (d.service = i2.service or d.repository_id = i2.repository_id) and ${production}
          and d.finished_at <= i2.started_at and d.finished_at >= i2.started_at - ${window}
        order by d.finished_at desc, d.id desc limit 1)`
    : sql`null::bigint`;
  const nearScopedDeployments = window
    ? sql`union
      select i3.id from deployments d
      join incidents i3 on (i3.service = d.service or i3.repository_id = d.repository_id)
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
      select i2.id,
        case when i2.cause_deployment_external_id is null and i2.cause_reference is null then ${cause} end
          as cause_id
      from incidents i2 join scoped on scoped.id = i2.id
      where i2.deployment_link is distinct from 'explicit'
    ) c
    where i.id = c.id and i.deployment_id is distinct from c.cause_id`.execute(db);
}

/**
 * Links incidents that name their cause (`cause_reference`, `owner/name@<ref>`) to it, explicitly: the
 * deployment of that repository whose id is the ref, else the first successful production deployment that
 * shipped the commit the ref names (deployed it, or carried it among its commits). An incident whose
 * reference resolves to nothing yet has no cause until it does; one that no longer names a cause loses the
 * explicit link it had. Scope: the given incidents, or (null) every incident with an unresolved reference —
 * a run calls that once at its end, when deployments of other repositories have arrived.
 */
export async function resolveIncidentReferences(
  db: Kysely<Database>,
  productionEnvironments: readonly string[],
  incidentIds: readonly number[] | null,
): Promise<void> {
  const scope = incidentIds
    ? sql`i2.id = any(${[...incidentIds]}::bigint[])`
    : sql`i2.cause_reference is not null and i2.deployment_id is null`;
  const ref = sql`split_part(i2.cause_reference, '@', 2)`;
  await sql`
    update incidents i
    set deployment_id = resolved.deployment_id,
        deployment_link = case when resolved.deployment_id is null then null else 'explicit' end
    from (
      select i2.id, (
        select d.id from deployments d join repositories r on r.id = d.repository_id
        where r.full_name = split_part(i2.cause_reference, '@', 1)
          and (d.external_id = ${ref}
            or (d.status = 'success' and d.environment = any(${[...productionEnvironments]}::text[])
              and (d.sha like ${ref} || '%' or exists (select 1 from deployment_commits dc
                where dc.deployment_id = d.id and dc.sha like ${ref} || '%'))))
        order by (d.external_id = ${ref}) desc, d.finished_at, d.id
        limit 1) as deployment_id
      from incidents i2
      where ${scope} and (i2.cause_reference is not null
        or (i2.deployment_link = 'explicit' and i2.cause_deployment_external_id is null))
    ) resolved
    where i.id = resolved.id and (i.deployment_id is distinct from resolved.deployment_id
      or i.deployment_link is distinct from
        case when resolved.deployment_id is null then null else 'explicit' end)`.execute(db);
}

/** Removes incidents that turned out not to be (closed as not planned, or as a duplicate). */
export async function deleteIncidents(
  db: Kysely<Database>,
  source: string,
  externalIds: readonly string[],
): Promise<void> {
  if (externalIds.length === 0) return;
  await db
    .deleteFrom('incidents')
    .where('source', '=', source)
    .where('externalId', 'in', [...externalIds])
    .execute();
}
