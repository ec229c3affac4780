import { useApi } from '../../lib/use-api.ts';
import type { ApiState } from '../../lib/use-api.ts';

/** GET /auth/session: who is signed in, and how one signs in here. */
export interface Session {
  mode: 'open' | 'token' | 'proxy' | 'oidc';
  signedIn: boolean;
  subject: string | null;
  role: 'viewer' | 'team-lead' | 'admin' | null;
  teams: string[];
  signIn: string | null;
}

export function useSession(): ApiState<Session> {
  return useApi<Session>('/auth/session');
}

/** Pages anyone may open without signing in: the survey form (its answers go to a public route). */
export function isPublicPage(pathname: string): boolean {
  return /^\/surveys\/[^/]+$/.test(pathname);
}
