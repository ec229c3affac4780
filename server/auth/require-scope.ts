import type { Kysely } from 'kysely';
import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { Clock } from '../clock.ts';
import type { IngestConfig } from '../config/ingest.schema.ts';
import { findActiveApiToken, markApiTokenUsed } from '../db/api-tokens.repository.ts';
import type { Database, PayloadAuthMethod, TokenScope } from '../db/tables.ts';
import { AppError } from '../errors.ts';
import { hashToken, scopeGrants } from './api-tokens.ts';
import { verifySha256Signature } from './signatures.ts';

/** Who pushed a request: a named token, or whoever holds the shared ingest secret. */
export interface RequestAuth {
  method: Extract<PayloadAuthMethod, 'token' | 'signature'>;
  tokenName: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireScope` once the request is authenticated. */
    auth?: RequestAuth;
  }
}

export interface AuthContext {
  db: Kysely<Database>;
  clock: Clock;
  /** `GROUNDWORK_INGEST_SECRET`; null turns signature authentication off. */
  ingestSecret: string | null;
  /** `ingest.requireTimestamp` and the window; absent: body-only signatures are still accepted. */
  ingest?: IngestConfig;
}

const unauthenticated = (message: string) => new AppError(401, 'UNAUTHENTICATED', message);

/**
 * A preValidation hook admitting `Authorization: Bearer <token>` with a scope that grants `scope`, or (for the
 * `ingest` scope) `X-Groundwork-Signature: sha256=<HMAC>` over `<X-Groundwork-Timestamp>.<raw body>` (or, while
 * `ingest.requireTimestamp` is off, over the raw body alone). An admin signed in to the dashboard (a session,
 * or an SSO proxy's user) holds the admin scope. It runs after parsing, because the signature covers the
 * body, and before validation, so an unauthenticated caller learns nothing about the schema: 401 (who are
 * you?) or 403 (not allowed), and the handler never runs.
 */
export function requireScope(context: AuthContext, scope: TokenScope): preValidationAsyncHookHandler {
  return async (request: FastifyRequest) => {
    request.auth = await authenticate(context, scope, request);
  };
}

async function authenticate(
  context: AuthContext,
  scope: TokenScope,
  request: FastifyRequest,
): Promise<RequestAuth> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (!bearer) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const now = context.clock.now();
    const token = await findActiveApiToken(context.db, hashToken(bearer), now);
    if (!token) throw unauthenticated('unknown, expired or revoked token');
    if (!scopeGrants(token.scope, scope)) {
      throw new AppError(
        403,
        'FORBIDDEN',
        `token "${token.name}" has scope ${token.scope}; this needs ${scope}`,
      );
    }
    await markApiTokenUsed(context.db, token.id, now);
    return { method: 'token', tokenName: token.name };
  }
  const signature = request.headers['x-groundwork-signature'];
  if (typeof signature === 'string') {
    if (!context.ingestSecret) {
      throw unauthenticated('signed requests are not accepted: GROUNDWORK_INGEST_SECRET is not set');
    }
    verifySignedRequest(context, request, signature);
    if (scope !== 'ingest') {
      throw new AppError(
        403,
        'FORBIDDEN',
        `the ingest signature does not grant the ${scope} scope; use a token`,
      );
    }
    return { method: 'signature', tokenName: null };
  }
  const principal = request.principal;
  if (scope === 'admin' && principal?.role === 'admin' && principal.via !== 'open') {
    return { method: 'token', tokenName: principal.subject };
  }
  throw unauthenticated(
    'send "Authorization: Bearer <token>" or "X-Groundwork-Signature: sha256=<HMAC-SHA256 of ' +
      '<X-Groundwork-Timestamp>.<body>>" with X-Groundwork-Timestamp: <unix seconds>',
  );
}

/**
 * With `X-Groundwork-Timestamp` the signature covers `<timestamp>.<body>` and the timestamp must be within the
 * window: a captured push cannot be replayed later. Without it, the body alone — refused once
 * `ingest.requireTimestamp` is on.
 */
function verifySignedRequest(context: AuthContext, request: FastifyRequest, signature: string): void {
  const secret = context.ingestSecret ?? '';
  const body = request.rawBody ?? '';
  const timestamp = request.headers['x-groundwork-timestamp'];
  const tolerance = context.ingest?.timestampToleranceSeconds ?? 300;
  if (timestamp === undefined) {
    if (context.ingest?.requireTimestamp) {
      throw unauthenticated(
        'a signature over the body alone is refused (ingest.requireTimestamp): send X-Groundwork-Timestamp ' +
          '(unix seconds) and sign "<timestamp>.<body>"',
      );
    }
    if (!verifySha256Signature(secret, body, signature)) {
      throw unauthenticated('X-Groundwork-Signature does not match the body');
    }
    return;
  }
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) {
    throw unauthenticated('X-Groundwork-Timestamp must be the unix time in seconds');
  }
  const skew = Math.abs(context.clock.now().getTime() / 1000 - Number(timestamp));
  if (skew > tolerance) {
    throw unauthenticated(
      `X-Groundwork-Timestamp is ${Math.round(skew)} s from the server's clock (at most ${tolerance} s): ` +
        'a stale or replayed request',
    );
  }
  if (!verifySha256Signature(secret, `${timestamp}.${body}`, signature)) {
    throw unauthenticated('X-Groundwork-Signature does not match "<X-Groundwork-Timestamp>.<body>"');
  }
}
