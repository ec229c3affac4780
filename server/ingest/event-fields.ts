import Type from 'typebox';
import type { TSchema } from 'typebox';
import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { AppError, validationField } from '../errors.ts';
import type { TeamAttribution } from '../db/tables.ts';

/** The most events one request may carry: big enough for a backfill page, small enough for one transaction. */
export const MAX_EVENTS_PER_REQUEST = 1000;

/** Pushed events are stored under this source; the sender's `id` is the external id. */
export const API_SOURCE = 'api';

export const Timestamp = Type.String({
  format: 'date-time',
  description: 'ISO 8601 timestamp with a time zone, e.g. 2026-11-24T09:30:00Z',
});
export const ExternalId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "the sender's id; sending the same id again updates the event in place",
});
export const ServiceName = Type.String({
  minLength: 1,
  maxLength: 200,
  description: "a service name, matched (lower-cased) against the teams' services",
});
export const RepositoryName = Type.String({
  pattern: '^[^\\s/]+(/[^\\s/]+)+$',
  maxLength: 300,
  description: 'owner/name, matched (lower-cased) against the teams\u2019 repositories',
});
export const TeamSlug = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*$',
  description: 'a configured team slug; names the team explicitly, overriding ownership',
});
/**
 * A link to the event at its source (a CI/CD run, a deploy log). Only http(s): the dashboard renders it as a
 * link, and a `javascript:` or `data:` URL there would run in the reader's session.
 */
export const SourceUrl = Type.String({
  pattern: '^[hH][tT][tT][pP][sS]?://[^\\s]+$',
  maxLength: 2000,
  description: 'an http(s) URL of the event at its source, e.g. the CI/CD run',
});
export const GitSha = Type.String({ pattern: '^[0-9a-fA-F]{7,64}$', description: 'a git commit sha' });

/** One event or an array of up to 1,000; either way the body is handled as a batch. */
export function batchOf<T extends TSchema>(event: T) {
  return Type.Union([Type.Array(event, { minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST }), event], {
    description: `one event, or an array of 1 to ${MAX_EVENTS_PER_REQUEST} (all-or-nothing)`,
  });
}

/**
 * A preValidation hook that turns a single event into a batch of one, so validation always judges an array
 * and errors name the item (`body[0].status`) rather than the union's branches.
 */
export async function singleEventAsBatch(request: FastifyRequest): Promise<void> {
  if (!Array.isArray(request.body)) request.body = [request.body];
}

/** One clear message from Ajv's first error: `body[7].status must be one of: success, failure, in_progress`. */
export const firstSchemaError = (errors: FastifySchemaValidationError[], dataVar: string): Error => {
  const first = errors[0];
  if (!first) return new Error(`${dataVar} is invalid`);
  const allowed = (first.params as { allowedValues?: unknown[] }).allowedValues;
  const message = allowed ? `must be one of: ${allowed.join(', ')}` : first.message;
  return new Error(`${validationField(first, dataVar)} ${message}`);
};

export function invalidEvent(index: number, field: string, message: string): AppError {
  const path = `body[${index}].${field}`;
  return new AppError(400, 'INVALID_EVENT', `${path} ${message}`, path);
}

/** A team the sender named must exist (a typo must not silently become "unattributed"). */
export function explicitTeam(
  team: string | undefined,
  teamIds: ReadonlyMap<string, number>,
  index: number,
): { teamId: number | null; teamAttribution: TeamAttribution | null } {
  if (team === undefined) return { teamId: null, teamAttribution: null };
  const teamId = teamIds.get(team);
  if (teamId === undefined) throw invalidEvent(index, 'team', `"${team}" is not a configured team`);
  return { teamId, teamAttribution: 'explicit' };
}

/** `later` must not precede `earlier` (a resolution before the start, a finish before the start). */
export function assertOrdered(
  earlier: Date | null,
  later: Date | null,
  index: number,
  field: string,
  earlierField: string,
): void {
  if (earlier && later && later < earlier) {
    throw invalidEvent(index, field, `is before ${earlierField}`);
  }
}

export const IngestResultSchema = Type.Object({
  accepted: Type.Integer({ description: 'events written: new, updated in place, or unchanged repeats' }),
  unattributed: Type.Array(Type.Object({ index: Type.Integer(), id: Type.String() }), {
    description: 'accepted events no team owns yet (stored, listed on /api/v1/data-sources)',
  }),
});
