import { LogController } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fastify logs two JSON lines per request at `info`; a dashboard page makes a dozen requests, which drowns
 * the terminal. This keeps one compact line per request, at `debug` (LOG_LEVEL=debug shows them); failed
 * requests are still logged as errors by Fastify's own error paths.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      super.requestCompleted(error, request, reply);
      return;
    }
    const path = request.url.split('?')[0] ?? '';
    request.log.debug(`${request.method} ${path} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`);
  }
}
