import type { Kysely } from 'kysely';
import type { Database, NewDeployment } from './tables.ts';
import { attributeEvents } from './ownership.repository.ts';
import { sql } from 'kysely';
import { anyChanged, batches, fromExcluded, teamColumnsFromExcluded } from './upsert.ts';

const team = teamColumnsFromExcluded('deployments');

const UPDATABLE = [
  'repository_id',
  'service',
  'environment',
  'sha',
  'status',
  'original_status',
  'kind',
  'started_at',
  'finished_at',
  'commits_truncated',
  'url',
] as const;

export const deploymentKey = (source: string, externalId: string) => `${source}\u0000${externalId}`;

/** Rows per upsert statement: the arrays are a parameter per column whatever their length; this bounds memory. */
const ROWS_PER_STATEMENT = 5_000;

/**
 * Upserts deployments on (source, external id): a re-delivered deployment updates in place, an unchanged one
 * is not rewritten. Rows without an explicit team are attributed from ownership at their time.
 * Returns (source, external id) → id for every row given.
 *
 * One statement over arrays (`unnest`), one array per column: a pushed batch of a thousand is one short
 * statement to parse and plan, not a thousand-row VALUES list of fourteen thousand parameters (which cost
 * more to build and bind than to execute, docs/performance.md). Omitted `kind` and `commitsTruncated` take
 * the columns' defaults, as they would in a VALUES list.
 */
export async function upsertDeployments(
  db: Kysely<Database>,
  deployments: readonly NewDeployment[],
  now: Date,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const unique = [...new Map(deployments.map((d) => [deploymentKey(d.source, d.externalId), d])).values()];
  const set = { ...fromExcluded(UPDATABLE), ...team.set };
  for (const batch of batches(unique, ROWS_PER_STATEMENT)) {
    const column = <T>(value: (d: NewDeployment) => T | undefined) => batch.map((d) => value(d) ?? null);
    const written = await sql<{ id: number; source: string; externalId: string }>`
      insert into deployments (source, external_id, repository_id, service, environment, sha, status,
        original_status, kind, started_at, finished_at, team_id, team_attribution, commits_truncated, url,
        created_at, updated_at)
      select source, external_id, repository_id, service, environment, sha, status, original_status,
        coalesce(kind, 'planned'), started_at, finished_at, team_id, team_attribution,
        coalesce(commits_truncated, false), url, ${now}::timestamptz, ${now}::timestamptz
      from unnest(${column((d) => d.source)}::text[], ${column((d) => d.externalId)}::text[],
        ${column((d) => d.repositoryId)}::integer[], ${column((d) => d.service)}::text[],
        ${column((d) => d.environment)}::text[], ${column((d) => d.sha)}::text[],
        ${column((d) => d.status)}::text[], ${column((d) => d.originalStatus)}::text[],
        ${column((d) => d.kind)}::text[], ${column((d) => d.startedAt)}::timestamptz[],
        ${column((d) => d.finishedAt)}::timestamptz[], ${column((d) => d.teamId)}::integer[],
        ${column((d) => d.teamAttribution)}::text[], ${column((d) => d.commitsTruncated)}::boolean[],
        ${column((d) => d.url)}::text[])
        as row (source, external_id, repository_id, service, environment, sha, status, original_status, kind,
          started_at, finished_at, team_id, team_attribution, commits_truncated, url)
      on conflict (source, external_id) do update
        set ${sql.join(Object.entries(set).map(([name, value]) => sql`${sql.ref(name)} = ${value}`))},
          updated_at = ${now}::timestamptz
        where ${anyChanged('deployments', UPDATABLE)} or ${team.changed}
      returning id, source, external_id as "externalId"`.execute(db);
    for (const row of written.rows) ids.set(deploymentKey(row.source, row.externalId), row.id);
    // Rows that were already stored unchanged are not returned: look those (and only those) up.
    const unchanged = batch.filter((d) => !ids.has(deploymentKey(d.source, d.externalId)));
    for (const source of new Set(unchanged.map((d) => d.source))) {
      const rows = await db
        .selectFrom('deployments')
        .select(['id', 'source', 'externalId'])
        .where('source', '=', source)
        // `= any(array)`: one parameter; an IN list of a thousand is planned item by item.
        .where(
          'externalId',
          '=',
          sql<string>`any(${unchanged.filter((d) => d.source === source).map((d) => d.externalId)}::text[])`,
        )
        .execute();
      for (const row of rows) ids.set(deploymentKey(row.source, row.externalId), row.id);
    }
  }
  await attributeEvents(db, { deployments: [...ids.values()] });
  await linkIncidentsToCauses(db, { deploymentIds: [...ids.values()] });
  return ids;
}

/**
 * Records which commits each deployment shipped; links already known are kept. One statement over arrays
 * (`unnest`) rather than multi-row VALUES: three parameters however many links, so a pushed batch of a
 * thousand deployments is not parsed and bound as thousands of parameters.
 */
export async function linkDeploymentCommits(
  db: Kysely<Database>,
  links: readonly { deploymentId: number; repositoryId: number; sha: string }[],
): Promise<void> {
  if (links.length === 0) return;
  await sql`
    insert into deployment_commits (deployment_id, repository_id, sha)
    select * from unnest(${links.map((l) => l.deploymentId)}::bigint[], ${links.map((l) => l.repositoryId)}::integer[],
      ${links.map((l) => l.sha)}::text[])
    on conflict do nothing`.execute(db);
}

/**
 * An incident names the deployment that caused it by the sender's id, which may arrive before or after
 * the deployment itself; this makes the explicit link whenever both are present. Only the rows just written
 * can complete a link, so only they are looked at: the incidents of the batch, or the incidents naming the
 * deployments of the batch (re-linking every incident on every batch was a scan of all deployments).
 */
export async function linkIncidentsToCauses(
  db: Kysely<Database>,
  written: { incidentIds: readonly number[] } | { deploymentIds: readonly number[] },
): Promise<void> {
  const scope =
    'incidentIds' in written
      ? sql`i.id = any(${[...written.incidentIds]}::bigint[])`
      : sql`d.id = any(${[...written.deploymentIds]}::bigint[])`;
  await sql`
    update incidents i set deployment_id = d.id, deployment_link = 'explicit'
    from deployments d
    where ${scope} and i.cause_deployment_external_id is not null
      and d.source = i.source and d.external_id = i.cause_deployment_external_id
      and (i.deployment_id is distinct from d.id
        or i.deployment_link is distinct from 'explicit')`.execute(db);
}
