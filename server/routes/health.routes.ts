import { sql } from 'kysely';
import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { isFullyMigrated } from '../db/migrate.ts';

const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  engine: Type.String(),
  reason: Type.Optional(Type.String()),
});

export function registerHealthRoutes(app: FastifyTypebox, database: DatabaseHandle): void {
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
        summary: 'The database is reachable and fully migrated',
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
        return { status: 'ready' as const, engine: database.engine };
      } catch (error) {
        return reply.status(503).send({
          status: 'unavailable',
          engine: database.engine,
          reason: `database unreachable: ${(error as Error).message}`,
        });
      }
    },
  );
}
