import Type from 'typebox';
import type { Static } from 'typebox';
import type { NewIncident } from '../db/tables.ts';
import { AppError } from '../errors.ts';
import {
  API_SOURCE,
  assertOrdered,
  batchOf,
  explicitTeam,
  ExternalId,
  invalidEvent,
  ServiceName,
  TeamSlug,
  Timestamp,
} from './event-fields.ts';

export const IncidentEventSchema = Type.Object(
  {
    id: ExternalId,
    service: Type.Optional(ServiceName),
    team: Type.Optional(TeamSlug),
    startedAt: Timestamp,
    resolvedAt: Type.Optional(
      Type.Union([Timestamp, Type.Null()], { description: 'null (or absent) until resolved' }),
    ),
    updatedAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'when your tool last changed the incident; reopening a resolved incident (resolvedAt null) needs ' +
          'one later than the stored resolution, so a replayed old "open" event cannot undo it',
      }),
    ),
    severity: Type.String({ minLength: 1, maxLength: 50, description: 'as your incident tool names it' }),
    title: Type.Optional(Type.String({ maxLength: 500 })),
    deploymentId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'the id you sent for the deployment that caused it (it may arrive later)',
      }),
    ),
  },
  { additionalProperties: false, description: 'an incident; give service and/or team' },
);

export const IncidentBatchSchema = batchOf(IncidentEventSchema);
export type IncidentEvent = Static<typeof IncidentEventSchema>;

/**
 * Pushed incident events → rows (pure). Checks what the schema cannot: service and/or team, a resolution not
 * before the start, and that a named team exists. Throws a 400 naming the first bad item's field.
 */
export function mapIncidentEvents(
  events: readonly IncidentEvent[],
  teamIds: ReadonlyMap<string, number>,
): NewIncident[] {
  return events.map(({ updatedAt: _updatedAt, ...event }, index) => {
    const service = event.service?.toLowerCase() ?? null;
    if (!service && event.team === undefined) throw invalidEvent(index, 'service', 'or team is required');
    const startedAt = new Date(event.startedAt);
    const resolvedAt = event.resolvedAt ? new Date(event.resolvedAt) : null;
    assertOrdered(startedAt, resolvedAt, index, 'resolvedAt', 'startedAt');
    return {
      source: API_SOURCE,
      externalId: event.id,
      title: event.title ?? null,
      severity: event.severity,
      service,
      startedAt,
      resolvedAt,
      // Linked (explicitly) by incidents.repository once a deployment with this id is stored.
      causeDeploymentExternalId: event.deploymentId ?? null,
      ...explicitTeam(event.team, teamIds, index),
    };
  });
}

/**
 * A pushed "open" incident that was stored resolved reopens it only with an `updatedAt` after that
 * resolution; otherwise it is a stale or replayed event and the batch is refused (409), naming the item.
 */
export function assertNoStaleReopen(
  events: readonly IncidentEvent[],
  storedResolutions: ReadonlyMap<string, Date>,
): void {
  events.forEach((event, index) => {
    if (event.resolvedAt) return;
    const resolvedAt = storedResolutions.get(event.id);
    if (!resolvedAt) return;
    if (event.updatedAt !== undefined && new Date(event.updatedAt) > resolvedAt) return;
    const path = `body[${index}].resolvedAt`;
    throw new AppError(
      409,
      'STALE_EVENT',
      `${path}: incident "${event.id}" was resolved at ${resolvedAt.toISOString()}; clearing that needs an ` +
        'updatedAt after it (a replayed or out-of-order event would reopen it)',
      path,
    );
  });
}
