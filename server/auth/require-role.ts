import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** For reads only an admin may make (tokens, the audit log): the access-control hook set the principal. */
export async function requireAdmin(request: FastifyRequest): Promise<void> {
  const principal = request.principal;
  if (principal?.role === 'admin' && principal.via !== 'open') return;
  // A valid token without a principal for this is an ingest token (the access hook refused unknown ones).
  if (!principal && request.headers.authorization !== undefined) {
    throw new AppError(403, 'FORBIDDEN', 'this token has the ingest scope; this needs an admin');
  }
  throw principal && principal.via !== 'open'
    ? new AppError(403, 'FORBIDDEN', `${principal.subject} is a ${principal.role}; this needs an admin`)
    : new AppError(401, 'UNAUTHENTICATED', 'sign in as an admin, or send an admin token');
}
