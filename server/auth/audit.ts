import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { appendAudit } from '../db/audit-log.repository.ts';
import type { Database } from '../db/tables.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The audit log's name for what this route does (default: "<METHOD> <route>"). */
    audit?: string;
  }
}

/** Who did it, for the audit log: a signed-in person, a proxy user, a named token or the ingest secret. */
export function actorOf(request: FastifyRequest): string {
  if (request.principal && request.principal.via !== 'open') return request.principal.subject;
  if (request.auth) return request.auth.tokenName ? `token:${request.auth.tokenName}` : 'ingest-signature';
  return 'anonymous';
}

/**
 * Every successful write on a protected route is an admin action (token changes, collector runs, imports,
 * acknowledgements — whatever route is added later), recorded here once, after it succeeded.
 */
export function registerAuditTrail(
  app: FastifyInstance,
  context: {
    db: Kysely<Database>;
    clock: Clock;
    isPublic: (method: string, url: string | undefined) => boolean;
  },
): void {
  app.addHook('onResponse', async (request, reply) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || reply.statusCode >= 400) return;
    const url = request.routeOptions.url;
    if (context.isPublic(request.method, url)) return;
    const params = request.params as Record<string, string> | undefined;
    try {
      await appendAudit(
        context.db,
        {
          actor: actorOf(request),
          action: request.routeOptions.config.audit ?? `${request.method} ${url ?? request.url}`,
          target: params && Object.keys(params).length > 0 ? Object.values(params).join('/') : null,
          address: request.ip,
          details: { status: reply.statusCode },
        },
        context.clock.now(),
      );
    } catch (error) {
      request.log.error({ err: error }, 'could not write the audit log entry');
    }
  });
}
