import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LimitsConfig } from './config/limits.schema.ts';
import { AppError } from './errors.ts';

const rfc3339 = fullFormats['date-time'] as { validate: (value: string) => boolean };

/**
 * RFC 3339 allows a leap second (23:59:60Z) that JavaScript's Date cannot hold: it became an Invalid Date and
 * a 500 further on. A timestamp Groundwork accepts is one it can represent, so it is refused at validation.
 */
export function strictDateTime(ajv: {
  addFormat(name: string, format: (value: string) => boolean): unknown;
}) {
  ajv.addFormat('date-time', (value: string) => rfc3339.validate(value) && !Number.isNaN(Date.parse(value)));
}

// A NUL byte (PostgreSQL text and jsonb refuse it) or an unpaired UTF-16 surrogate (jsonb refuses its escape).
// eslint-disable-next-line no-control-regex -- finding the NUL byte is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemIn(value: unknown, at: string, budget: { left: number }, depth = 0): string | null {
  // Bounded: a body nested 100,000 deep must not overflow the stack here (validation judges its shape).
  if (--budget.left < 0 || depth > 64) return null;
  if (typeof value === 'string') return UNSTORABLE.test(value) ? at : null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : at;
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = problemIn(value[i], `${at}[${i}]`, budget, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    const path = at ? `${at}.${key}` : key;
    if (UNSTORABLE.test(key)) return path;
    const found = problemIn(child, path, budget, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The first field holding a NUL byte, a lone surrogate or a non-finite number, named like validation errors. */
export function unstorableField(request: FastifyRequest): string | null {
  const budget = { left: 200_000 };
  return (
    problemIn(request.params, 'params', budget) ??
    problemIn(request.query, 'querystring', budget) ??
    problemIn(request.body, 'body', budget)
  );
}

/**
 * What every route gets, whoever wrote it: text PostgreSQL cannot store and numbers that are not finite are a
 * 400 naming the field (not a 500 from the database); security headers; and rate limits on the routes anyone
 * may call.
 */
export async function registerHardening(app: FastifyInstance, limits: LimitsConfig): Promise<void> {
  // After validation: Ajv coerces "1e309" to Infinity and lets it through as an integer below any maximum.
  app.addHook('preHandler', async (request) => {
    const field = unstorableField(request);
    if (field) {
      throw new AppError(
        400,
        'INVALID_VALUE',
        `${field} holds a NUL byte, an unpaired UTF-16 surrogate or a number out of range`,
        field,
      );
    }
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        // The dashboard is served over plain http on a laptop; upgrading its requests would break it.
        upgradeInsecureRequests: null,
        // Recharts and Swagger UI set style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });

  // Counted per client address in memory (one process). Routes outside these classes are not limited here:
  // reads are cheap and bounded, and behind sign-in.
  const classOf = (request: FastifyRequest): { name: string; max: number } | null => {
    const url = request.routeOptions.url ?? '';
    if (url.startsWith('/api/v1/events/') || url.startsWith('/api/v1/webhooks/')) {
      return { name: 'ingest', max: limits.ingestPerMinute };
    }
    if (url === '/api/v1/surveys/:id/responses') return { name: 'survey', max: limits.surveyFormPerMinute };
    if (request.method === 'POST' && (url === '/auth/token' || url.startsWith('/auth/oidc/'))) {
      return { name: 'sign-in', max: limits.signInPerMinute };
    }
    if (request.method === 'GET' && url.startsWith('/auth/oidc/')) {
      return { name: 'sign-in', max: limits.signInPerMinute };
    }
    return null;
  };
  await app.register(fastifyRateLimit, {
    global: true,
    timeWindow: 60_000,
    allowList: (request) => classOf(request) === null,
    max: (request) => classOf(request)?.max ?? 1,
    keyGenerator: (request) => `${classOf(request)?.name ?? 'none'}:${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new AppError(
        429,
        'RATE_LIMITED',
        `too many requests: at most ${context.max} a minute from one address; retry after ${context.after}`,
      ),
  });
}
