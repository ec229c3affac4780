import { randomBytes } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { createSession, findLiveSession, revokeSession } from '../db/sessions.repository.ts';
import type { SessionRow } from '../db/sessions.repository.ts';
import type { Database } from '../db/tables.ts';
import { hashToken } from './api-tokens.ts';
import type { Principal } from './principal.ts';

export const SESSION_COOKIE = 'gw_session';

export interface SessionContext {
  db: Kysely<Database>;
  clock: Clock;
  sessionHours: number;
}

const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/**
 * HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it) and Secure — except on a plain
 * http loopback address, where a browser would otherwise drop the cookie and sign-in could not be tried.
 */
export function cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
  const secure = request.protocol === 'https' || !LOOPBACK_HOST.test(request.headers.host ?? '');
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: '/', maxAge: maxAgeSeconds };
}

/** Starts a session for `row` and sets its cookie; the cookie holds a random id, the database its hash. */
export async function startSession(
  context: SessionContext,
  request: FastifyRequest,
  reply: FastifyReply,
  row: SessionRow,
): Promise<void> {
  const id = randomBytes(32).toString('base64url');
  const now = context.clock.now();
  const seconds = Math.round(context.sessionHours * 3600);
  await createSession(context.db, {
    ...row,
    idHash: hashToken(id),
    createdAt: now,
    expiresAt: new Date(now.getTime() + seconds * 1000),
  });
  reply.setCookie(SESSION_COOKIE, id, cookieOptions(request, seconds));
}

export async function sessionPrincipal(
  context: SessionContext,
  request: FastifyRequest,
): Promise<Principal | null> {
  const id = request.cookies[SESSION_COOKIE];
  if (!id) return null;
  const session = await findLiveSession(context.db, hashToken(id), context.clock.now());
  return session
    ? { subject: session.subject, role: session.role, teams: session.teams, via: 'session' }
    : null;
}

/** Signs out: the session row is revoked (a copied cookie stops working too) and the cookie cleared. */
export async function endSession(
  context: SessionContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const id = request.cookies[SESSION_COOKIE];
  if (id) await revokeSession(context.db, hashToken(id), context.clock.now());
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
