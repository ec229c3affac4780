import type { Kysely } from 'kysely';
import { createApiToken } from '../db/api-tokens.repository.ts';
import type { Database, TokenScope } from '../db/tables.ts';
import { generateToken, hashToken } from './api-tokens.ts';

export const TOKEN_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface TokenRequest {
  name: string;
  scope: TokenScope;
  /** A read token for a team lead: sees that team's ticket and incident titles. */
  team: string | null;
  expiresAt: Date | null;
}

/** Creates a token (stored hashed) and returns it once; null when the name is taken (revoked ones too). */
export async function issueToken(
  db: Kysely<Database>,
  request: TokenRequest,
  now: Date,
): Promise<string | null> {
  const token = generateToken();
  const created = await createApiToken(db, { ...request, tokenHash: hashToken(token) }, now);
  return created ? token : null;
}
