import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { inPeriod, productionOnly, teamFilter } from './scope.ts';
import type { MetricScope } from './scope.ts';

/**
 * Successful production deployments that finished in the period: the population behind deployment
 * frequency, change failure rate and rework rate. Each row says whether an incident is tied to it (and
 * whether every such tie was inferred rather than explicit) and whether it shipped commit data.
 */
export function productionDeploymentSamples(scope: MetricScope): RawBuilder<unknown> {
  return sql`
    select d.id as deployment_id, d.team_id, d.finished_at as at,
      d.source, d.external_id, d.service, r.full_name as repository, d.environment, d.sha, d.kind,
      d.started_at, d.finished_at,
      exists (select 1 from incidents i where i.deployment_id = d.id) as caused_incident,
      not exists (select 1 from incidents i where i.deployment_id = d.id and i.deployment_link = 'explicit')
        and exists (select 1 from incidents i where i.deployment_id = d.id) as only_inferred_links,
      exists (select 1 from deployment_commits dc where dc.deployment_id = d.id) as has_commits
    from deployments d left join repositories r on r.id = d.repository_id
    where d.status = 'success' and d.finished_at is not null
      and ${productionOnly('d', scope)} and ${inPeriod('d.finished_at', scope)} ${teamFilter('d.team_id', scope)}`;
}
