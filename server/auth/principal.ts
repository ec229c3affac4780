import type { AuthConfig, AuthMode } from '../config/auth.schema.ts';
import type { Role } from '../db/tables.ts';

/** Who is asking: a signed-in person, a token, an SSO proxy's user, or (open mode) anyone. */
export interface Principal {
  subject: string;
  role: Role;
  /** team-lead: the teams whose ticket and incident titles they see. */
  teams: string[];
  via: 'open' | 'token' | 'session' | 'proxy';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access-control hook on every route that is not public. */
    principal?: Principal;
    /** The auth mode in force, set by the access-control hook on every request. */
    authMode?: AuthMode;
  }
}

/** Groups (an OIDC claim, a proxy header) → a role by `auth.roles`; anyone else who signed in is a viewer. */
export function roleFromGroups(
  groups: readonly string[],
  roles: AuthConfig['roles'],
): { role: Role; teams: string[] } {
  const held = new Set(groups);
  if (roles.admin.some((group) => held.has(group))) return { role: 'admin', teams: [] };
  const teams = Object.entries(roles.teamLeads)
    .filter(([, leadGroups]) => leadGroups.some((group) => held.has(group)))
    .map(([team]) => team);
  return teams.length > 0 ? { role: 'team-lead', teams } : { role: 'viewer', teams: [] };
}

/**
 * Whether `principal` may see the titles of a team's tickets and incidents: admins, that team's leads, and
 * everyone in open mode (reads are open there). Viewers see the figures and the rows, without titles.
 */
export function seesTitlesOf(
  principal: Principal | undefined,
  teams: readonly (string | null | undefined)[],
  mode: AuthMode,
): boolean {
  if (mode === 'open' || principal?.role === 'admin') return true;
  if (principal?.role !== 'team-lead') return false;
  return teams.some((team) => typeof team === 'string' && principal.teams.includes(team));
}
