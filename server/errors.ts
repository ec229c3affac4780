import type { FastifyError, FastifyInstance, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { classifyDatabaseError } from './db/database-errors.ts';

/** An error a client can act on: a stable `code`, an HTTP status and, for bad input, the field at fault. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/**
 * `/0/sha` (Ajv instancePath) → `body[0].sha`; a missing or unknown property is named too
 * (`must have required property 'x'` → `body.x`).
 */
export function validationField(first: FastifySchemaValidationError, context: string): string {
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const property = params.missingProperty ?? params.additionalProperty;
  const path = first.instancePath
    .split('/')
    .slice(1)
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : `${acc}.${part}`), context);
  return property ? `${path}.${property}` : path;
}

function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  return first ? validationField(first, error.validationContext ?? 'body') : undefined;
}

/** What a client is told to wait before retrying when the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * One error shape for every route; no stack traces or SQL reach clients. The database going away is a 503
 * with Retry-After (the server stays up and recovers with it); `onDatabaseUnavailable` lets /readyz know.
 */
export function registerErrorHandler(
  app: FastifyInstance,
  options: { onDatabaseUnavailable?: (error: unknown) => void } = {},
): void {
  app.setErrorHandler<FastifyError | AppError>((error, request, reply) => {
    if (error instanceof AppError) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error.field) body.error.field = error.field;
      return reply.status(error.statusCode).send(body);
    }
    if (error.validation) {
      const field = fieldOf(error);
      return reply.status(400).send({
        error: { code: 'VALIDATION_FAILED', message: error.message, ...(field ? { field } : {}) },
      } satisfies ErrorBody);
    }
    const failure = classifyDatabaseError(error);
    if (failure === 'unavailable') {
      options.onDatabaseUnavailable?.(error);
      request.log.warn({ err: error }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({
          error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is unavailable; try again shortly' },
        } satisfies ErrorBody);
    }
    if (failure === 'bad-input') {
      return reply.status(400).send({
        error: { code: 'INVALID_INPUT', message: 'a value in the request is not acceptable to the database' },
      } satisfies ErrorBody);
    }
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send({
      error: {
        code: status >= 500 ? 'INTERNAL' : (error.code ?? 'BAD_REQUEST'),
        message: status >= 500 ? 'internal error; see the server log' : error.message,
      },
    } satisfies ErrorBody);
  });
}

export function notFoundBody(request: FastifyRequest): ErrorBody {
  return { error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } };
}
