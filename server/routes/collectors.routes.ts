import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import { requireScope } from '../auth/require-scope.ts';
import { AppError } from '../errors.ts';
import { parseUtcDate } from '../time.ts';
import type { RouteContext } from './index.ts';
import { collectorReadiness } from '../../collectors/shared/readiness.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

const CollectorStatus = Type.Object({
  collector: Type.String({ description: 'github, jira or github-issues' }),
  configured: Type.Boolean({ description: 'sources.<collector> names something to collect' }),
  configKey: Type.String({ description: 'the configuration key that names what to collect' }),
  missingCredentials: Type.Array(Type.String(), {
    description: 'environment variables the collector needs and does not have',
  }),
  credentialsHint: Nullable(Type.String({ description: 'how to supply the missing credentials' })),
  running: Type.Boolean({ description: 'a run holds the job lease now' }),
  schedule: Nullable(Type.String({ description: 'cron expression (UTC), when scheduled in this server' })),
  nextRunAt: Nullable(DateTime),
  lastRun: Nullable(
    Type.Object({
      id: Type.Integer(),
      status: Type.String({ description: 'running, success, partial (some repositories failed) or failed' }),
      startedAt: DateTime,
      finishedAt: Nullable(DateTime),
      error: Nullable(Type.String()),
    }),
  ),
  lastSuccessAt: Nullable(DateTime),
  lastError: Nullable(Type.Object({ at: DateTime, message: Type.String() })),
});

const RunRequest = Type.Object(
  {
    repository: Type.Optional(
      Type.String({ pattern: '^[^\\s/]+/[^\\s/]+$', description: 'only this repository (owner/name)' }),
    ),
    since: Type.Optional(
      Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 're-scan from this UTC date' }),
    ),
  },
  { additionalProperties: false },
);

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The collectors' status, and on-demand GitHub runs (admin tokens only). */
export function registerCollectorRoutes(app: FastifyTypebox, context: RouteContext): void {
  app.get(
    '/api/v1/collectors',
    {
      schema: {
        summary: 'Collector status: running, last success, last error, next scheduled run',
        tags: ['collectors'],
        response: { 200: Type.Object({ collectors: Type.Array(CollectorStatus) }) },
      },
    },
    async () => {
      const github = await context.githubCollector.status();
      const tickets = await Promise.all(context.ticketCollectors.map((collector) => collector.status()));
      const readiness = new Map(collectorReadiness(context.config).map((entry) => [entry.collector, entry]));
      return {
        collectors: [github, ...tickets].map((status) => ({
          configKey: `sources.${status.collector}`,
          missingCredentials: [],
          credentialsHint: null,
          ...readiness.get(status.collector as 'github'),
          ...status,
          nextRunAt: iso(status.nextRunAt),
          lastSuccessAt: iso(status.lastSuccessAt),
          lastRun: status.lastRun && {
            ...status.lastRun,
            startedAt: status.lastRun.startedAt.toISOString(),
            finishedAt: iso(status.lastRun.finishedAt),
          },
          lastError: status.lastError && { ...status.lastError, at: status.lastError.at.toISOString() },
        })),
      };
    },
  );

  for (const collector of context.ticketCollectors) {
    app.post(
      `/api/v1/collectors/${collector.id}/run`,
      {
        preValidation: requireScope(
          {
            db: context.database.db,
            clock: context.clock,
            ingestSecret: context.config.secrets.ingestSecret,
          },
          'admin',
        ),
        schema: {
          summary: `Start a ${collector.id} collector run now (admin token); 409 while another run holds the job`,
          tags: ['collectors'],
          body: Type.Optional(
            collector.id === 'jira'
              ? Type.Object({ since: RunRequest.properties.since }, { additionalProperties: false })
              : RunRequest,
          ),
          response: { 202: Type.Object({ runId: Type.Integer(), status: Type.Literal('running') }) },
        },
      },
      async (request, reply) => {
        const body = request.body as { since?: string; repository?: string } | undefined;
        const since = body?.since === undefined ? null : parseUtcDate(body.since);
        if (body?.since !== undefined && !since) {
          throw new AppError(
            400,
            'INVALID_REQUEST',
            `body.since "${body.since}" is not a real date`,
            'body.since',
          );
        }
        const start = await collector.trigger({ since, repository: body?.repository ?? null });
        if (!start.started) throw new AppError(409, 'COLLECTOR_BUSY', start.reason);
        return reply.code(202).send({ runId: start.runId, status: 'running' as const });
      },
    );
  }

  app.post(
    '/api/v1/collectors/github/run',
    {
      preValidation: requireScope(
        { db: context.database.db, clock: context.clock, ingestSecret: context.config.secrets.ingestSecret },
        'admin',
      ),
      schema: {
        summary: 'Start a GitHub collector run now (admin token); 409 while another run holds the job',
        tags: ['collectors'],
        body: Type.Optional(RunRequest),
        response: {
          202: Type.Object({ runId: Type.Integer(), status: Type.Literal('running') }),
        },
      },
    },
    async (request, reply) => {
      const since = request.body?.since === undefined ? null : parseUtcDate(request.body.since);
      if (request.body?.since !== undefined && !since) {
        throw new AppError(
          400,
          'INVALID_REQUEST',
          `body.since "${request.body.since}" is not a real date`,
          'body.since',
        );
      }
      const start = await context.githubCollector.trigger({
        repository: request.body?.repository ?? null,
        since,
      });
      if (!start.started) throw new AppError(409, 'COLLECTOR_BUSY', start.reason);
      return reply.code(202).send({ runId: start.runId, status: 'running' as const });
    },
  );
}
