import type { Kysely } from 'kysely';
import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { Clock } from '../clock.ts';
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
}

const unauthenticated = (message: string) => new AppError(401, 'UNAUTHENTICATED', message);

/**
 * A preValidation hook admitting `Authorization: Bearer <token>` with a scope that grants `scope`, or (for the
 * `ingest` scope) `X-Groundwork-Signature: sha256=<HMAC of the raw body>`. It runs after parsing, because the
 * signature covers the body, and before validation, so an unauthenticated caller learns nothing about the
 * schema: 401 (who are you?) or 403 (not allowed), and the handler never runs.
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
    const token = await findActiveApiToken(context.db, hashToken(bearer));
    if (!token) throw unauthenticated('unknown or revoked token');
    if (!scopeGrants(token.scope, scope)) {
      throw new AppError(
        403,
        'FORBIDDEN',
        `token "${token.name}" has scope ${token.scope}; this needs ${scope}`,
      );
    }
    await markApiTokenUsed(context.db, token.id, context.clock.now());
    return { method: 'token', tokenName: token.name };
  }
  const signature = request.headers['x-groundwork-signature'];
  if (typeof signature === 'string') {
    if (!context.ingestSecret) {
      throw unauthenticated('signed requests are not accepted: GROUNDWORK_INGEST_SECRET is not set');
    }
    if (!verifySha256Signature(context.ingestSecret, request.rawBody ?? '', signature)) {
      throw unauthenticated('X-Groundwork-Signature does not match the body');
    }
    if (scope !== 'ingest') {
      throw new AppError(
        403,
        'FORBIDDEN',
        `the ingest signature does not grant the ${scope} scope; use a token`,
      );
    }
    return { method: 'signature', tokenName: null };
  }
  throw unauthenticated(
    'send "Authorization: Bearer <token>" or "X-Groundwork-Signature: sha256=<HMAC-SHA256 of the body>"',
  );
}
