import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthConfig } from '../config/auth.schema.ts';
import { findActiveApiToken, markApiTokenUsed } from '../db/api-tokens.repository.ts';
import { AppError } from '../errors.ts';
import { hashToken } from './api-tokens.ts';
import { roleFromGroups } from './principal.ts';
import type { Principal } from './principal.ts';
import { sessionPrincipal } from './sessions.ts';
import type { SessionContext } from './sessions.ts';

/**
 * Routes anyone may call, by route pattern. Everything else needs a principal: reads a viewer (or open
 * mode), writes an admin session or the credentials the route itself checks (a token, a signature). A route
 * added later is protected without doing anything; making one public is an edit here.
 */
const PUBLIC_ROUTES: readonly { method: string | '*'; url: string | RegExp; why: string }[] = [
  { method: '*', url: '/healthz', why: 'liveness' },
  { method: '*', url: '/readyz', why: 'readiness' },
  { method: '*', url: /^\/auth\//, why: 'sign-in, sign-out and the session probe' },
  { method: '*', url: /^\/api\/v1\/events\//, why: 'ingestion: its own tokens and signatures' },
  { method: '*', url: /^\/api\/v1\/webhooks\//, why: 'webhooks: their own signatures' },
  { method: 'GET', url: '/api/v1/surveys/:id', why: 'the survey form' },
  { method: 'POST', url: '/api/v1/surveys/:id/responses', why: 'the survey form (its own links)' },
  { method: 'GET', url: '/*', why: 'the dashboard files (no data; the data is behind /api)' },
  { method: 'HEAD', url: '/*', why: 'the dashboard files' },
];

export function isPublicRoute(method: string, url: string | undefined): boolean {
  // No route: a 404, or a dashboard page served by the not-found handler; neither holds data.
  if (url === undefined) return true;
  return PUBLIC_ROUTES.some(
    (route) =>
      (route.method === '*' || route.method === method) &&
      (typeof route.url === 'string' ? route.url === url : route.url.test(url)),
  );
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const unauthenticated = (message: string) => new AppError(401, 'UNAUTHENTICATED', message);

export interface AccessContext extends SessionContext {
  auth: AuthConfig;
}

/** The caller's principal from a bearer token (read or admin scope), a session cookie or a trusted proxy. */
export async function resolvePrincipal(
  context: AccessContext,
  request: FastifyRequest,
): Promise<Principal | 'ingest-token' | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (!bearer) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    const now = context.clock.now();
    const token = await findActiveApiToken(context.db, hashToken(bearer), now);
    if (!token) throw unauthenticated('unknown, expired or revoked token');
    await markApiTokenUsed(context.db, token.id, now);
    if (token.scope === 'ingest') return 'ingest-token';
    if (token.scope === 'admin')
      return { subject: `token:${token.name}`, role: 'admin', teams: [], via: 'token' };
    return token.team
      ? { subject: `token:${token.name}`, role: 'team-lead', teams: [token.team], via: 'token' }
      : { subject: `token:${token.name}`, role: 'viewer', teams: [], via: 'token' };
  }
  const session = await sessionPrincipal(context, request);
  if (session) return session;
  if (context.auth.mode === 'proxy' && context.auth.proxy) return proxyPrincipal(context.auth, request);
  return null;
}

/** An SSO proxy's identity headers, believed only from the configured proxy addresses. */
function proxyPrincipal(auth: AuthConfig, request: FastifyRequest): Principal | null {
  const proxy = auth.proxy;
  if (!proxy || !fromTrustedAddress(request.socket.remoteAddress, proxy.trustedAddresses)) return null;
  const user = request.headers[proxy.userHeader];
  if (typeof user !== 'string' || user.trim() === '') return null;
  const groupsHeader = request.headers[proxy.groupsHeader];
  const groups = (typeof groupsHeader === 'string' ? groupsHeader : '')
    .split(',')
    .map((group) => group.trim())
    .filter(Boolean);
  return { subject: `proxy:${user.trim()}`, ...roleFromGroups(groups, auth.roles), via: 'proxy' };
}

function fromTrustedAddress(address: string | undefined, trusted: readonly string[]): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return trusted.includes(plain) || trusted.includes(address);
}

/**
 * One onRequest hook for every route. Public routes pass; reads need a principal (anyone in open mode);
 * writes need an admin principal, or credentials the route checks itself (a bearer token, a signature).
 * A cookie-authenticated write must come from this origin (no cross-site request forgery).
 */
export function registerAccessControl(app: FastifyInstance, context: AccessContext): void {
  app.addHook('onRequest', async (request) => {
    request.authMode = context.auth.mode;
    if (isPublicRoute(request.method, request.routeOptions.url)) return;
    const principal = await resolvePrincipal(context, request);
    if (READS.has(request.method)) {
      if (principal === 'ingest-token') {
        throw new AppError(403, 'FORBIDDEN', 'an ingest token cannot read; use a read or admin token');
      }
      if (principal) request.principal = principal;
      else if (context.auth.mode === 'open') {
        request.principal = { subject: 'anonymous', role: 'viewer', teams: [], via: 'open' };
      } else throw unauthenticated(signInHint(context.auth));
      return;
    }
    if (principal === 'ingest-token' || request.headers['x-groundwork-signature'] !== undefined) return;
    if (!principal) throw unauthenticated(`${signInHint(context.auth)}; writes need an admin`);
    if (principal.role !== 'admin') {
      throw new AppError(
        403,
        'FORBIDDEN',
        `${principal.subject} is a ${principal.role}; this needs an admin`,
      );
    }
    if (principal.via === 'session') assertSameOrigin(request);
    request.principal = principal;
  });
}

function signInHint(auth: AuthConfig): string {
  switch (auth.mode) {
    case 'proxy':
      return 'sign in through the SSO proxy';
    case 'oidc':
      return 'sign in at /auth/oidc/login, or send "Authorization: Bearer <token>"';
    default:
      return 'sign in with a token (POST /auth/token), or send "Authorization: Bearer <token>"';
  }
}

function assertSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return; // not a browser's cross-site request (browsers send Origin on POST)
  const hostOf = (url: string) => {
    try {
      return new URL(url).host; // the default port dropped on both sides
    } catch {
      return null;
    }
  };
  const from = hostOf(origin);
  if (from === null || from !== hostOf(`http://${request.headers.host ?? ''}`)) {
    throw new AppError(403, 'FORBIDDEN', `a signed-in write must come from this site, not ${origin}`);
  }
}
