import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from './tables.ts';
import type { VersionChange, VersionedRow } from '../org/versioned-rows.ts';

export type ResourceKind = 'repository' | 'service';

/** Specificity of an exact name: above any glob's (a glob's is its count of literal characters). */
const EXACT = 1_000_000;

/** An exact name outranks any glob; among globs, more literal characters is more specific. */
export function specificityOf(pattern: string): number {
  return pattern.includes('*') ? pattern.replace(/\*/g, '').length : EXACT;
}

/** `acme/pay_*` → `acme/pay\_%` (LIKE's own wildcards in a name are literal). */
export function likePatternOf(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

const ownershipKey = (kind: string, pattern: string) => `${kind}:${pattern}`;

export async function listOwnershipRows(db: Kysely<Database>): Promise<VersionedRow[]> {
  const rows = await db.selectFrom('teamOwnerships').selectAll().execute();
  return rows.map((row) => ({
    id: row.id,
    key: ownershipKey(row.resourceKind, row.pattern),
    ownerId: row.teamId,
    validFrom: row.validFrom,
    validTo: row.validTo,
  }));
}

export async function applyOwnershipChanges(
  db: Kysely<Database>,
  changes: readonly VersionChange[],
): Promise<void> {
  for (const change of changes) {
    switch (change.op) {
      case 'open': {
        const [kind, ...rest] = change.key.split(':');
        const pattern = rest.join(':');
        await db
          .insertInto('teamOwnerships')
          .values({
            teamId: change.ownerId,
            resourceKind: kind as ResourceKind,
            pattern,
            likePattern: likePatternOf(pattern),
            specificity: specificityOf(pattern),
            validFrom: change.validFrom,
            validTo: null,
          })
          .execute();
        break;
      }
      case 'close':
        await db
          .updateTable('teamOwnerships')
          .set({ validTo: change.validTo })
          .where('id', '=', change.id)
          .execute();
        break;
      case 'reassign':
        await db
          .updateTable('teamOwnerships')
          .set({ teamId: change.ownerId })
          .where('id', '=', change.id)
          .execute();
        break;
      case 'delete':
        await db.deleteFrom('teamOwnerships').where('id', '=', change.id).execute();
        break;
    }
  }
}

export { ownershipKey };

/**
 * SQL for the team that owned `name` (a repository full name or a service) at instant `at`, or null.
 * The most specific claim wins: an exact name (found by index) beats any glob; among globs, more literal
 * characters win, and ties break on the pattern so the answer is stable.
 */
function ownerAt(
  kind: ResourceKind,
  name: RawBuilder<unknown>,
  at: RawBuilder<unknown>,
): RawBuilder<number | null> {
  const inForce = sql`(o.valid_from is null or o.valid_from <= ${at}) and (o.valid_to is null or ${at} < o.valid_to)`;
  return sql<number | null>`coalesce(
    (select o.team_id from team_ownerships o
     where o.resource_kind = ${kind} and o.pattern = ${name} and o.specificity = ${sql.lit(EXACT)} and ${inForce}
     limit 1),
    (select o.team_id from team_ownerships o
     where o.resource_kind = ${kind} and o.specificity < ${sql.lit(EXACT)} and ${name} like o.like_pattern and ${inForce}
     order by o.specificity desc, o.pattern
     limit 1))`;
}

const onlyIds = (column: string, ids: readonly number[] | null) =>
  ids ? sql`and ${sql.ref(column)} = any(${[...ids]}::bigint[])` : sql``;

/**
 * Sets `team_id` on events not explicitly attributed by their sender, from the ownership in force when each
 * happened: a deployment by its service's owner, else its repository's, at its finish (or start); an incident
 * by its service's owner, else its repository's (an incident from a GitHub issue), at its start; a pull request by its repository's owner when merged (or opened); a CI run attempt by its repository's owner when the run was created.
 * Only rows whose team changes are written. `ids` limits the work to freshly written rows.
 */
export async function attributeEvents(
  db: Kysely<Database>,
  scope: {
    deployments?: readonly number[] | null;
    incidents?: readonly number[] | null;
    pullRequests?: readonly number[] | null;
    ciRuns?: readonly number[] | null;
  } = {
    deployments: null,
    incidents: null,
    pullRequests: null,
    ciRuns: null,
  },
): Promise<void> {
  if (scope.deployments !== undefined) {
    // Set-based (hash joins on the exact names, the few globs tried by LIKE) rather than four correlated
    // look-ups per row: attributing a pushed batch of a thousand cost more than inserting it
    // (docs/performance.md). The same answer as `ownerAt`: the service's owner, else the repository's.
    await sql`
      with scoped as (
        select d2.id, d2.service, r.full_name as repository,
          coalesce(d2.finished_at, d2.started_at, d2.created_at) as at
        from deployments d2 left join repositories r on r.id = d2.repository_id
        where d2.team_attribution is distinct from 'explicit' ${onlyIds('d2.id', scope.deployments)}
      ),
      claims as (${sql.join(
        (['service', 'repository'] as const).flatMap((kind) => {
          const name = sql.ref(`s.${kind}`);
          const columns = sql`s.id, s.at, ${sql.lit(kind)} as kind, o.team_id, o.specificity, o.pattern,
            o.valid_from, o.valid_to`;
          return [
            sql`select ${columns} from scoped s join team_ownerships o
              on o.resource_kind = ${sql.lit(kind)} and o.specificity = ${sql.lit(EXACT)} and o.pattern = ${name}`,
            sql`select ${columns} from scoped s join team_ownerships o
              on o.resource_kind = ${sql.lit(kind)} and o.specificity < ${sql.lit(EXACT)} and ${name} like o.like_pattern`,
          ];
        }),
        sql` union all `,
      )}),
      owners as (
        select distinct on (c.id) c.id, c.team_id from claims c
        where (c.valid_from is null or c.valid_from <= c.at) and (c.valid_to is null or c.at < c.valid_to)
        -- the service's claims before the repository's; within each, the most specific (ownerAt's order)
        order by c.id, c.kind = 'service' desc, c.specificity desc, c.pattern
      ),
      resolved as (
        select s.id, owners.team_id from scoped s left join owners on owners.id = s.id
      )
      update deployments d
      set team_id = resolved.team_id,
          team_attribution = case when resolved.team_id is null then null else 'ownership' end
      from resolved
      -- the ids again on the updated table: the planner cannot see through the CTE how few rows it holds
      where d.id = resolved.id ${onlyIds('d.id', scope.deployments)}
        and d.team_id is distinct from resolved.team_id`.execute(db);
  }
  if (scope.incidents !== undefined) {
    await sql`
      update incidents i
      set team_id = resolved.team_id,
          team_attribution = case when resolved.team_id is null then null else 'ownership' end
      from (
        select i2.id, coalesce(${ownerAt('service', sql`i2.service`, sql`i2.started_at`)},
          ${ownerAt('repository', sql`r.full_name`, sql`i2.started_at`)}) as team_id
        from incidents i2 left join repositories r on r.id = i2.repository_id
        where i2.team_attribution is distinct from 'explicit' ${onlyIds('i2.id', scope.incidents)}
      ) resolved
      where i.id = resolved.id and i.team_id is distinct from resolved.team_id`.execute(db);
  }
  if (scope.pullRequests !== undefined) {
    await sql`
      update pull_requests p
      set team_id = resolved.team_id
      from (
        select p2.id, ${ownerAt('repository', sql`r.full_name`, sql`coalesce(p2.merged_at, p2.created_at)`)} as team_id
        from pull_requests p2 join repositories r on r.id = p2.repository_id
        where true ${onlyIds('p2.id', scope.pullRequests)}
      ) resolved
      where p.id = resolved.id and p.team_id is distinct from resolved.team_id`.execute(db);
  }
  if (scope.ciRuns !== undefined) {
    // Every attempt of a run at the run's creation, so a re-run never lands on another team.
    await sql`
      update ci_runs c
      set team_id = resolved.team_id,
          team_attribution = case when resolved.team_id is null then null else 'ownership' end
      from (
        select c2.id, ${ownerAt('repository', sql`r.full_name`, sql`c2.run_created_at`)} as team_id
        from ci_runs c2 join repositories r on r.id = c2.repository_id
        where c2.team_attribution is distinct from 'explicit' ${onlyIds('c2.id', scope.ciRuns)}
      ) resolved
      where c.id = resolved.id and c.team_id is distinct from resolved.team_id`.execute(db);
  }
}
