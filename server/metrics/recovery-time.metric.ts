import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/tables.ts';
import { aggregate, hoursBetween, inPeriod, notDemo, teamFilter } from './scope.ts';
import type { Grouped, MetricScope } from './scope.ts';

/**
 * Failed deployment recovery time (DORA 2023, which replaced "time to restore service"): how long it takes
 * to restore service after a change to production caused a failure. Incidents tied to a deployment
 * (explicitly or by inference), from incident start to resolution, attributed to the period and team by
 * incident start. `allIncidents` gives the same over every incident, whatever caused it. Unresolved
 * incidents are counted, never timed.
 */
export function incidentSamples(scope: MetricScope): RawBuilder<unknown> {
  return sql`
    select i.id as incident_id, i.team_id, i.started_at as at, i.source, i.external_id, i.title, i.severity,
      i.service, i.started_at, i.resolved_at, i.deployment_link, i.deployment_id,
      d.external_id as deployment_external_id, i.deployment_id is not null as caused_by_deployment,
      case when i.resolved_at is null then null else ${hoursBetween(sql`i.started_at`, sql`i.resolved_at`)} end
        as recovery_hours
    from incidents i left join deployments d on d.id = i.deployment_id
    where ${inPeriod('i.started_at', scope)} ${teamFilter('i.team_id', scope)} ${notDemo('i', scope)}`;
}

export interface RecoveryRow extends Grouped {
  sampleSize: number;
  medianHours: number | null;
  p90Hours: number | null;
  unresolved: number;
  allSampleSize: number;
  allMedianHours: number | null;
  allP90Hours: number | null;
  allUnresolved: number;
}

export async function recoveryTime(db: Kysely<Database>, scope: MetricScope): Promise<RecoveryRow[]> {
  const tied = sql`s.caused_by_deployment and s.recovery_hours is not null`;
  const measures = sql`
    (count(*) filter (where ${tied}))::integer as sample_size,
    percentile_cont(0.5) within group (order by s.recovery_hours) filter (where ${tied}) as median_hours,
    percentile_cont(0.9) within group (order by s.recovery_hours) filter (where ${tied}) as p90_hours,
    (count(*) filter (where s.caused_by_deployment and s.recovery_hours is null))::integer as unresolved,
    (count(s.recovery_hours))::integer as all_sample_size,
    percentile_cont(0.5) within group (order by s.recovery_hours) as all_median_hours,
    percentile_cont(0.9) within group (order by s.recovery_hours) as all_p90_hours,
    (count(*) filter (where s.recovery_hours is null))::integer as all_unresolved`;
  const result = await aggregate<Omit<RecoveryRow, keyof Grouped>>(
    incidentSamples(scope),
    scope,
    measures,
  ).execute(db);
  return result.rows;
}
