import { DAY_MS, HOUR_MS } from './demo-calendar.ts';
import type { DeliveryProfile } from './delivery-profiles.ts';
import { DEMO_SOURCE } from './demo-rows.ts';
import type { DemoDeployment } from './demo-rows.ts';
import { SYMPTOMS } from './deployment-pipeline.ts';
import type { IncidentDraft } from './deployment-pipeline.ts';
import type { SeededRandom } from './seeded-random.ts';

/** Incidents no deployment caused (a cloud provider outage, a full disk), resolved without a deployment. */
export function causelessIncidents(
  services: readonly string[],
  profile: DeliveryProfile,
  random: SeededRandom,
  startMs: number,
  untilMs: number,
): IncidentDraft[] {
  const incidents: IncidentDraft[] = [];
  if (services.length === 0) return incidents;
  for (let dayMs = startMs; dayMs < untilMs; dayMs += DAY_MS) {
    for (let count = random.poisson(profile.causelessIncidentsPerDay); count > 0; count--) {
      const service = random.pick(services);
      const startedMs = dayMs + random.between(0, 24) * HOUR_MS;
      const resolvedMs = startedMs + random.lognormal(profile.recoveryHours, 0.8) * HOUR_MS;
      incidents.push({
        source: DEMO_SOURCE,
        title: `${service}: ${random.pick(SYMPTOMS)} (upstream)`,
        severity: random.chance(0.3) ? 'sev2' : 'sev3',
        service,
        startedAt: new Date(startedMs),
        resolvedAt: resolvedMs < untilMs ? new Date(resolvedMs) : null,
        causeDeploymentExternalId: null,
      });
    }
  }
  return incidents;
}

/**
 * Sometimes an incident is still open at `until`, so "open incidents" and unresolved recovery times have
 * something to show: it started in the last day and a half and, most of the time, the team's latest
 * successful production deployment before it is the suspected cause.
 */
export function ongoingIncident(
  deployments: readonly DemoDeployment[],
  services: readonly string[],
  profile: DeliveryProfile,
  random: SeededRandom,
  untilMs: number,
): IncidentDraft | null {
  if (services.length === 0 || !random.chance(profile.ongoingIncidentChance)) return null;
  const startedMs = untilMs - random.between(1, 36) * HOUR_MS;
  let cause: DemoDeployment | null = null;
  for (const deployment of deployments) {
    const finishedMs = deployment.finishedAt.getTime();
    const candidate = deployment.environment === 'production' && deployment.status === 'success';
    if (candidate && finishedMs < startedMs && (!cause || finishedMs > cause.finishedAt.getTime()))
      cause = deployment;
  }
  if (!random.chance(0.7)) cause = null;
  const service = cause?.service ?? random.pick(services);
  return {
    source: DEMO_SOURCE,
    title: `${service}: ${random.pick(SYMPTOMS)}`,
    severity: random.chance(0.5) ? 'sev2' : 'sev3',
    service,
    startedAt: new Date(startedMs),
    resolvedAt: null,
    causeDeploymentExternalId: cause?.externalId ?? null,
  };
}
