import type { DemoArchetype } from './demo-organization.ts';
import { DAY_MS, EVERY_DAY, TUESDAY_AND_THURSDAY, WEEKDAYS } from './demo-calendar.ts';
import type { DeployWindow } from './demo-calendar.ts';
import type { SeededRandom } from './seeded-random.ts';

/**
 * The numbers behind an archetype. Durations are medians of lognormal draws; shares are probabilities.
 * They are chosen so the DORA bands (DORA 2023 State of DevOps report) come out visibly different:
 * elite deploys on demand with lead time under a day, waiting-on-ops deploys twice a week, and so on.
 */
export interface DeliveryProfile {
  /** Pull requests opened per working day across all the team's repositories. */
  pullRequestsPerWorkday: number;
  /** Median lines added per pull request. */
  medianAdditions: number;
  /** First commit → pull request opened. */
  codingHours: number;
  /** Opened → first review. */
  reviewWaitHours: number;
  /** First review → merged. */
  reviewToMergeHours: number;
  /** Merged → the pipeline may deploy it (build, tests, approvals). */
  pipelineDelayHours: number;
  deployWindow: DeployWindow;
  deployMinutes: number;
  /** A failed deployment → the next attempt. */
  retryHours: number;
  /** Share of production deployments that fail outright (status `failure`). */
  deployFailureShare: number;
  /** Share of successful production deployments that cause an incident. */
  incidentShare: number;
  /** Incident start → service restored (by rollback or hotfix). */
  recoveryHours: number;
  /** Share of remediations done by rolling back; the rest are hotfixes. */
  rollbackShare: number;
  /** Incidents per day that no deployment caused (a provider outage, a full disk). */
  causelessIncidentsPerDay: number;
  /** The chance an incident is still open at `until` (started in its last day and a half). */
  ongoingIncidentChance: number;
  /** Share of production deployments preceded by a staging deployment of the same commit. */
  stagingShare: number;
  /**
   * From this instant the team's human and pipeline waits are `slowdownFactor` times longer
   * (the `regressed` archetype); null: never.
   */
  slowdownFromMs: number | null;
  slowdownFactor: number;
}

const OFFICE_HOURS: DeployWindow = { weekdays: WEEKDAYS, fromHour: 9, toHour: 17 };

/** How many days before `until` the `regressed` team's slowdown starts. */
export const REGRESSION_DAYS = 30;

/**
 * The profile of one team. `random` (the team's own stream) varies the `steady` teams mildly so they do not
 * draw identical lines; the four showcase archetypes are fixed so their stories always read the same.
 */
export function deliveryProfile(
  archetype: DemoArchetype,
  random: SeededRandom,
  untilMs: number,
): DeliveryProfile {
  const base: DeliveryProfile = {
    pullRequestsPerWorkday: 3,
    medianAdditions: 90,
    codingHours: 5,
    reviewWaitHours: 4,
    reviewToMergeHours: 3,
    pipelineDelayHours: 3,
    deployWindow: OFFICE_HOURS,
    deployMinutes: 15,
    retryHours: 1.5,
    deployFailureShare: 0.07,
    incidentShare: 0.08,
    recoveryHours: 3,
    rollbackShare: 0.5,
    causelessIncidentsPerDay: 1 / 45,
    ongoingIncidentChance: 0.3,
    stagingShare: 0.4,
    slowdownFromMs: null,
    slowdownFactor: 1,
  };
  switch (archetype) {
    case 'elite':
      return {
        ...base,
        pullRequestsPerWorkday: 6,
        medianAdditions: 40,
        codingHours: 2,
        reviewWaitHours: 0.5,
        reviewToMergeHours: 0.5,
        pipelineDelayHours: 0.3,
        deployWindow: { weekdays: EVERY_DAY, fromHour: 6, toHour: 22 },
        deployMinutes: 8,
        retryHours: 0.4,
        deployFailureShare: 0.02,
        incidentShare: 0.03,
        recoveryHours: 0.4,
        rollbackShare: 0.8,
        causelessIncidentsPerDay: 1 / 90,
        ongoingIncidentChance: 0,
        stagingShare: 0.2,
      };
    case 'unreliable-pipeline':
      return {
        ...base,
        medianAdditions: 140,
        pipelineDelayHours: 3,
        retryHours: 3,
        deployFailureShare: 0.25,
        // Remediation deployments never cause incidents here, so this yields ~35% of successful ones.
        incidentShare: 0.5,
        recoveryHours: 12,
        rollbackShare: 0.35,
        causelessIncidentsPerDay: 1 / 20,
        ongoingIncidentChance: 1,
      };
    case 'regressed':
      return {
        ...base,
        pullRequestsPerWorkday: 3.5,
        medianAdditions: 60,
        codingHours: 3,
        reviewWaitHours: 1.5,
        reviewToMergeHours: 1,
        pipelineDelayHours: 1,
        deployWindow: { weekdays: WEEKDAYS, fromHour: 7, toHour: 20 },
        slowdownFromMs: untilMs - REGRESSION_DAYS * DAY_MS,
        // Nights and weekends already pad the early lead time, so waits grow 5× for lead time to about triple.
        slowdownFactor: 5,
      };
    case 'waiting-on-ops':
      return {
        ...base,
        medianAdditions: 160,
        pipelineDelayHours: 2,
        // The ops team runs the production change window on Tuesday and Thursday afternoons only.
        deployWindow: { weekdays: TUESDAY_AND_THURSDAY, fromHour: 14, toHour: 16 },
        deployMinutes: 35,
        retryHours: 24,
        incidentShare: 0.12,
        recoveryHours: 8,
        stagingShare: 0.9,
      };
    case 'steady':
      return {
        ...base,
        pullRequestsPerWorkday: random.between(2.5, 4.5),
        medianAdditions: random.between(70, 130),
        codingHours: random.between(4, 8),
        reviewWaitHours: random.between(2.5, 6),
        reviewToMergeHours: random.between(1.5, 4),
        pipelineDelayHours: random.between(1.5, 5),
        deployFailureShare: random.between(0.04, 0.1),
        incidentShare: random.between(0.05, 0.12),
        recoveryHours: random.between(2, 6),
      };
  }
}

/** The factor a wait is stretched by at `ms` (the `regressed` team's last 30 days). */
export function slowdownAt(profile: DeliveryProfile, ms: number): number {
  return profile.slowdownFromMs !== null && ms >= profile.slowdownFromMs ? profile.slowdownFactor : 1;
}
