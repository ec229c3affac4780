import type { FastifyRequest } from 'fastify';
import type { FastifyTypebox } from '../app.ts';
import { requireScope } from '../auth/require-scope.ts';
import type { RequestAuth } from '../auth/require-scope.ts';
import { CiRunBatchSchema } from '../ingest/ci-run-events.ts';
import { ingestCiRuns } from '../ingest/ci-runs-ingest.service.ts';
import { DeploymentBatchSchema } from '../ingest/deployment-events.ts';
import { firstSchemaError, IngestResultSchema, singleEventAsBatch } from '../ingest/event-fields.ts';
import { IncidentBatchSchema } from '../ingest/incident-events.ts';
import { ingestDeployments, ingestIncidents } from '../ingest/push-events.service.ts';
import type { IngestContext } from '../ingest/push-events.service.ts';
import type { RouteContext } from './index.ts';
import { ErrorResponse } from './schemas.ts';
import { canonicalEnvironment } from '../config/config.ts';

/** 1,000 deployments with their shipped commits can exceed Fastify's 1 MiB default. */
const EVENTS_BODY_LIMIT = 10 * 1024 * 1024;

const AUTH_HELP =
  'Authenticate with `Authorization: Bearer <token>` (`groundwork token create --scope ingest`) or ' +
  '`X-Groundwork-Timestamp: <unix seconds>` with `X-Groundwork-Signature: sha256=<hex HMAC-SHA256 of ' +
  '"<timestamp>.<raw body>">` keyed with GROUNDWORK_INGEST_SECRET (within 5 minutes of the server clock; a ' +
  'signature over the body alone is refused when ingest.requireTimestamp is on). ' +
  'A batch is all-or-nothing: one bad item is a 400 naming it (`body[7].status`) and nothing is written. ' +
  'Sending an event again (same `id`) updates it in place. 200: every event is attributed to a team; ' +
  '202: accepted, but some events no team owns yet (listed, and counted on /api/v1/data-sources).';

const responses = {
  200: IngestResultSchema,
  202: IngestResultSchema,
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
};

export function ingestContextOf(context: RouteContext): IngestContext {
  return {
    db: context.database.db,
    now: () => context.clock.now(),
    causeRule: {
      windowHours: context.config.org.metrics.incidentCauseWindowHours,
      productionEnvironments: context.config.org.productionEnvironments,
    },
    environmentName: (name) => canonicalEnvironment(context.config.org, name),
  };
}

function authOf(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw new Error('ingestion route registered without requireScope');
  return request.auth;
}

const asBatch = <T>(body: T | T[]): T[] => (Array.isArray(body) ? body : [body]);

/** Push ingestion: any CI/CD or incident tool reports deployments, incidents and CI runs here. */
export function registerEventRoutes(app: FastifyTypebox, context: RouteContext): void {
  const ingest = ingestContextOf(context);
  const options = {
    bodyLimit: EVENTS_BODY_LIMIT,
    preValidation: [
      requireScope(
        {
          db: context.database.db,
          clock: context.clock,
          ingestSecret: context.config.secrets.ingestSecret,
          ingest: context.config.ingest,
        },
        'ingest',
      ),
      singleEventAsBatch,
    ],
    schemaErrorFormatter: firstSchemaError,
  };

  app.post(
    '/api/v1/events/deployments',
    {
      ...options,
      schema: {
        summary: 'Report deployments (one, or a batch of up to 1,000)',
        description: AUTH_HELP,
        tags: ['ingestion'],
        body: DeploymentBatchSchema,
        response: responses,
      },
    },
    async (request, reply) => {
      const result = await ingestDeployments(ingest, {
        events: asBatch(request.body),
        auth: authOf(request),
        rawJson: request.rawBody ?? JSON.stringify(request.body),
      });
      return reply.status(result.unattributed.length > 0 ? 202 : 200).send(result);
    },
  );

  app.post(
    '/api/v1/events/incidents',
    {
      ...options,
      schema: {
        summary: 'Report incidents (one, or a batch of up to 1,000); send again when resolved',
        description: AUTH_HELP,
        tags: ['ingestion'],
        body: IncidentBatchSchema,
        response: responses,
      },
    },
    async (request, reply) => {
      const result = await ingestIncidents(ingest, {
        events: asBatch(request.body),
        auth: authOf(request),
        rawJson: request.rawBody ?? JSON.stringify(request.body),
      });
      return reply.status(result.unattributed.length > 0 ? 202 : 200).send(result);
    },
  );

  app.post(
    '/api/v1/events/ci-runs',
    {
      ...options,
      schema: {
        summary: 'Report CI pipeline runs (one attempt each, or a batch of up to 1,000)',
        description: `${AUTH_HELP} A re-run keeps its pipelineId and sends the next attempt.`,
        tags: ['ingestion'],
        body: CiRunBatchSchema,
        response: responses,
      },
    },
    async (request, reply) => {
      const result = await ingestCiRuns(ingest, {
        events: asBatch(request.body),
        auth: authOf(request),
        rawJson: request.rawBody ?? JSON.stringify(request.body),
      });
      return reply.status(result.unattributed.length > 0 ? 202 : 200).send(result);
    },
  );
}
