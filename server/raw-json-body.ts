import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** A JSON body exactly as received: signatures are checked over these bytes, never a re-serialisation. */
    rawBody?: string;
  }
}

/**
 * Replaces Fastify's JSON parser with one that keeps the raw text next to the parsed value, for HMAC
 * signature checks (GitHub webhooks, signed pushes). Parsing itself is still Fastify's, with its
 * prototype-poisoning protection.
 */
export function keepRawJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    void parseJson(request, body as string, done); // callback style: it reports through done
  });
}
