import { createHash, randomBytes } from 'node:crypto';
import type { TokenScope } from '../db/tables.ts';

export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'ingest', 'admin'];

/** A new API token: `gw_` (so it is recognisable in a leaked file) + 32 random bytes, base64url. */
export function generateToken(): string {
  return `gw_${randomBytes(32).toString('base64url')}`;
}

/** What is stored and looked up: the hex SHA-256 of the token. A fast hash suffices for 256 random bits. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `admin` can do everything `ingest` and `read` can (collector runs and imports push data too). */
export function scopeGrants(held: TokenScope, required: TokenScope): boolean {
  return held === 'admin' || held === required;
}
