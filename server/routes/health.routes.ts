import { sql } from 'kysely';
import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { DatabaseHealth } from '../db/database-errors.ts';
import { isFullyMigrated } from '../db/migrate.ts';

const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  engine: Type.String(),
  reason: Type.Optional(Type.String()),
});

/** After a write failed for want of the database, /readyz says not ready for this long unless a write succeeds. */
const WRITE_FAILURE_MEMORY_MS = 30_000;

export function registerHealthRoutes(
  app: FastifyTypebox,
  database: DatabaseHandle,
  health: DatabaseHealth,
): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'The process is up',
        tags: ['operations'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'The database is reachable, fully migrated, and writes are not failing',
        tags: ['operations'],
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(database.db);
        if (!(await isFullyMigrated(database.db))) {
          return reply
            .status(503)
            .send({ status: 'unavailable', engine: database.engine, reason: 'migrations pending' });
        }
        const failure = health.lastFailure;
        if (failure && Date.now() - failure.at.getTime() < WRITE_FAILURE_MEMORY_MS) {
          return reply.status(503).send({
            status: 'unavailable',
            engine: database.engine,
            reason: `writes are failing since ${failure.at.toISOString()}`,
          });
        }
        return { status: 'ready' as const, engine: database.engine };
      } catch {
        // The driver's message may name hosts; the log has it, a probe needs only the verdict.
        return reply
          .status(503)
          .header('retry-after', '5')
          .send({ status: 'unavailable', engine: database.engine, reason: 'database unreachable' });
      }
    },
  );
}
