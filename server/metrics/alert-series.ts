import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { AlertRule } from '../config/alerts-config.ts';
import type { TicketsConfig } from '../config/config.ts';
import type { Database } from '../db/tables.ts';
import type { SeriesSample } from '../alerts/alert-types.ts';
import { leadTimeSamples } from './lead-time.metric.ts';
import { productionDeploymentSamples } from './production-deployments.samples.ts';
import { incidentSamples } from './recovery-time.metric.ts';
import type { MetricScope } from './scope.ts';
import { ticketSamples } from './ticket-waits.metric.ts';

/**
 * The per-sample series an alert rule is evaluated on, for every team, from the very sample queries the
 * metrics and their drill-downs use (so an alert's figures are the dashboard's): per-change lead times with
 * their breakdown stages, production deployments (failed or not), deployment-caused incidents' recovery
 * times, a ticket category's waits before work started (by requesting team).
 */
export async function alertSeries(
  db: Kysely<Database>,
  rule: AlertRule,
  span: { from: Date; to: Date },
  settings: { productionEnvironments: readonly string[]; tickets: TicketsConfig },
): Promise<SeriesSample[]> {
  const scope: MetricScope = {
    period: { ...span, label: 'alert' },
    // Samples end at the evaluation time: a later deployment is outside the span however it is dated.
    now: span.to,
    productionEnvironments: settings.productionEnvironments,
    byTeam: true,
  };
  switch (rule.metric) {
    case 'leadTime': {
      const rows = await sql<{
        teamId: number;
        at: Date;
        leadTimeHours: number;
        codingHours: number | null;
        pickupHours: number | null;
        reviewHours: number | null;
        deployWaitHours: number | null;
        repository: string;
        sha: string;
        pullRequestNumber: number | null;
        deploymentId: number;
      }>`select s.team_id, s.at, s.deployment_id, s.lead_time_hours, s.coding_hours, s.pickup_hours, s.review_hours,
          s.deploy_wait_hours, s.repository, s.sha, s.pull_request_number
        from (${leadTimeSamples(scope)}) s
        where s.team_id is not null and s.excluded_reason is null`.execute(db);
      return rows.rows.map((row) => ({
        teamId: row.teamId,
        at: row.at,
        value: row.leadTimeHours,
        cluster: row.deploymentId,
        stages: {
          coding: row.codingHours,
          pickup: row.pickupHours,
          review: row.reviewHours,
          deployWait: row.deployWaitHours,
        },
        label:
          row.pullRequestNumber !== null
            ? `${row.repository}#${row.pullRequestNumber}`
            : `${row.repository}@${row.sha.slice(0, 7)}`,
      }));
    }
    case 'deploymentFrequency':
    case 'changeFailureRate': {
      const rows = await sql<{
        teamId: number;
        at: Date;
        causedIncident: boolean;
        repository: string | null;
        service: string | null;
        sha: string | null;
        externalId: string | null;
      }>`select s.team_id, s.at, s.caused_incident, s.repository, s.service, s.sha, s.external_id
        from (${productionDeploymentSamples(scope)}) s where s.team_id is not null`.execute(db);
      return rows.rows.map((row) => ({
        teamId: row.teamId,
        at: row.at,
        value: rule.metric === 'changeFailureRate' ? (row.causedIncident ? 1 : 0) : 1,
        label:
          `${row.repository ?? row.service ?? 'deployment'} ${row.sha?.slice(0, 7) ?? row.externalId ?? ''}`.trim(),
      }));
    }
    case 'recoveryTime': {
      const rows = await sql<{
        teamId: number;
        at: Date;
        recoveryHours: number;
        title: string | null;
        externalId: string;
      }>`select s.team_id, s.at, s.recovery_hours, s.title, s.external_id
        from (${incidentSamples(scope)}) s
        where s.team_id is not null and s.caused_by_deployment and s.recovery_hours is not null`.execute(db);
      return rows.rows.map((row) => ({
        teamId: row.teamId,
        at: row.at,
        value: row.recoveryHours,
        label: row.title ? `${row.externalId}: ${row.title}` : row.externalId,
      }));
    }
    case 'ticketWait': {
      // A ticket's wait counts when work on it started (the wait is known then), for the team that asked.
      const tickets = ticketSamples({
        period: { ...span, label: 'alert' },
        asOf: span.to,
        waiting: {
          categories: settings.tickets.waitingStatusCategories,
          names: settings.tickets.waitingStatuses,
        },
        groupBy: null,
      });
      const rows = await sql<{ teamId: number; at: Date; waitBeforeStartHours: number; key: string }>`
        select t.id as team_id, s.work_started_at as at, s.wait_before_start_hours, s.key
        from (${tickets}) s join teams t on t.slug = s.requesting_team
        where s.started_in_period and s.category = ${rule.category} and s.wait_before_start_hours is not null`.execute(
        db,
      );
      return rows.rows.map((row) => ({
        teamId: row.teamId,
        at: row.at,
        value: row.waitBeforeStartHours,
        label: row.key,
      }));
    }
    case 'surveyDriver':
      // Survey results are read only as published, anonymity applied: server/alerts/survey-share.ts.
      throw new Error('a survey driver rule reads the survey results service, not samples');
  }
}
