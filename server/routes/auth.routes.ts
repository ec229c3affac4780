import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { FastifyTypebox } from '../app.ts';
import { hashToken } from '../auth/api-tokens.ts';
import { resolvePrincipal } from '../auth/access-control.ts';
import type { AccessContext } from '../auth/access-control.ts';
import { OidcSignIn } from '../auth/oidc.ts';
import type { PendingSignIn } from '../auth/oidc.ts';
import { cookieOptions, endSession, startSession } from '../auth/sessions.ts';
import { findActiveApiToken } from '../db/api-tokens.repository.ts';
import { appendAudit } from '../db/audit-log.repository.ts';
import { AppError } from '../errors.ts';
import { ErrorResponse } from './schemas.ts';

const OIDC_COOKIE = 'gw_oidc';

const Session = Type.Object({
  mode: Type.String({ description: 'open, token, proxy or oidc' }),
  signedIn: Type.Boolean(),
  subject: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([Type.String(), Type.Null()]),
  teams: Type.Array(Type.String()),
  signIn: Type.Union([Type.String(), Type.Null()], {
    description: 'how to sign in here: token (POST /auth/token), oidc (/auth/oidc/login), proxy, or null',
  }),
});

/** Sign-in and sign-out; public routes (the access-control hook lets /auth/* through). */
export function registerAuthRoutes(app: FastifyTypebox, context: AccessContext): void {
  const audit = (
    request: FastifyRequest,
    actor: string,
    action: string,
    details: Record<string, unknown> = {},
  ) =>
    appendAudit(
      context.db,
      { actor, action, target: null, address: request.ip, details },
      context.clock.now(),
    );

  app.get(
    '/auth/session',
    {
      schema: {
        summary: 'Who is signed in, and how to sign in (the dashboard asks before anything else)',
        tags: ['access'],
        response: { 200: Session },
      },
    },
    async (request) => {
      const principal = await resolvePrincipal(context, request).catch(() => null);
      const known = principal && principal !== 'ingest-token' ? principal : null;
      const mode = context.auth.mode;
      return {
        mode,
        signedIn: known !== null || mode === 'open',
        subject: known?.subject ?? null,
        role: known?.role ?? (mode === 'open' ? 'viewer' : null),
        teams: known?.teams ?? [],
        signIn: mode === 'open' ? null : mode,
      };
    },
  );

  app.post(
    '/auth/token',
    {
      schema: {
        summary: 'Exchange a read or admin token for a session cookie (HttpOnly, SameSite, Secure)',
        tags: ['access'],
        body: Type.Object(
          { token: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      const token = await findActiveApiToken(
        context.db,
        hashToken(request.body.token.trim()),
        context.clock.now(),
      );
      if (!token || token.scope === 'ingest') {
        await audit(request, 'anonymous', 'sign-in.refused', { method: 'token' });
        throw new AppError(
          401,
          'SIGN_IN_FAILED',
          'unknown, expired or revoked token, or an ingest token',
          'body.token',
        );
      }
      const role = token.scope === 'admin' ? 'admin' : token.team ? 'team-lead' : 'viewer';
      const subject = `token:${token.name}`;
      await startSession(context, request, reply, {
        subject,
        role,
        teams: token.team ? [token.team] : [],
        method: 'token',
      });
      await audit(request, subject, 'sign-in', { method: 'token', role });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/auth/sign-out',
    {
      schema: {
        summary: 'End the session: its cookie stops working, copies too',
        tags: ['access'],
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const principal = await resolvePrincipal(context, request).catch(() => null);
      await endSession(context, request, reply);
      if (principal && principal !== 'ingest-token') await audit(request, principal.subject, 'sign-out');
      return reply.status(204).send(null);
    },
  );

  const settings = context.auth.oidc;
  if (context.auth.mode !== 'oidc' || !settings) return;
  const signIn = new OidcSignIn(settings, context.auth.roles);

  app.get(
    '/auth/oidc/login',
    { schema: { summary: 'Start OpenID Connect sign-in (a redirect to the provider)', tags: ['access'] } },
    async (request, reply) => {
      const { url, pending } = await signIn.start();
      reply.setCookie(OIDC_COOKIE, JSON.stringify(pending), {
        ...cookieOptions(request, 600),
        path: '/auth/oidc',
      });
      return reply.redirect(url, 302);
    },
  );

  app.get(
    '/auth/oidc/callback',
    { schema: { summary: "The provider's redirect back: a session, then the dashboard", tags: ['access'] } },
    async (request, reply) => {
      const pending = parsePending(request.cookies[OIDC_COOKIE]);
      reply.clearCookie(OIDC_COOKIE, { path: '/auth/oidc' });
      if (!pending)
        throw new AppError(400, 'SIGN_IN_FAILED', 'no sign-in in progress: start at /auth/oidc/login');
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      let identity;
      try {
        identity = await signIn.finish(query, pending);
      } catch (error) {
        await audit(request, 'anonymous', 'sign-in.refused', { method: 'oidc' });
        throw error;
      }
      await startSession(context, request, reply, { ...identity, method: 'oidc' });
      await audit(request, identity.subject, 'sign-in', { method: 'oidc', role: identity.role });
      return reply.redirect('/', 302);
    },
  );
}

function parsePending(cookie: string | undefined): PendingSignIn | null {
  if (!cookie) return null;
  try {
    const value = JSON.parse(cookie) as Partial<PendingSignIn>;
    return typeof value.verifier === 'string' &&
      typeof value.state === 'string' &&
      typeof value.nonce === 'string'
      ? { verifier: value.verifier, state: value.state, nonce: value.nonce }
      : null;
  } catch {
    return null;
  }
}
