import Type from 'typebox';
import type { Static } from 'typebox';
import type { ConfigProblem } from './schema-errors.ts';

// `auth:` in groundwork.yaml: who may read the figures, and how they sign in.

const GroupList = Type.Array(Type.String({ minLength: 1 }), {
  description: 'group names (OIDC claim or proxy header values)',
});

export const AuthSchema = Type.Object(
  {
    mode: Type.Optional(
      Type.Union([Type.Literal('open'), Type.Literal('token'), Type.Literal('proxy'), Type.Literal('oidc')], {
        description: 'open, token, proxy or oidc',
      }),
    ),
    sessionHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 720 })),
    /** Which groups hold which role; everyone else who signs in is a viewer. */
    roles: Type.Optional(
      Type.Object(
        {
          admin: Type.Optional(GroupList),
          teamLeads: Type.Optional(Type.Record(Type.String({ minLength: 1 }), GroupList)),
        },
        { additionalProperties: false },
      ),
    ),
    proxy: Type.Optional(
      Type.Object(
        {
          userHeader: Type.Optional(Type.String({ minLength: 1 })),
          groupsHeader: Type.Optional(Type.String({ minLength: 1 })),
          trustedAddresses: Type.Array(Type.String({ minLength: 1 }), {
            minItems: 1,
            description: 'the SSO proxy addresses; identity headers from anywhere else are ignored',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    oidc: Type.Optional(
      Type.Object(
        {
          issuer: Type.String({ pattern: '^https?://\\S+$', description: 'the issuer URL' }),
          clientId: Type.String({ minLength: 1 }),
          redirectUrl: Type.String({
            pattern: '^https?://\\S+/auth/oidc/callback$',
            description: 'https://<groundwork>/auth/oidc/callback',
          }),
          rolesClaim: Type.Optional(Type.String({ minLength: 1, description: 'default groups' })),
          scopes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type AuthConfigFile = Static<typeof AuthSchema>;
export type AuthMode = 'open' | 'token' | 'proxy' | 'oidc';

export interface AuthConfig {
  mode: AuthMode;
  /** Why this mode: "auth.mode", "GROUNDWORK_AUTH_MODE", or the default's reason (printed at start-up). */
  modeSource: string;
  sessionHours: number;
  roles: { admin: string[]; teamLeads: Record<string, string[]> };
  proxy: { userHeader: string; groupsHeader: string; trustedAddresses: string[] } | null;
  oidc: {
    issuer: string;
    clientId: string;
    /** `GROUNDWORK_OIDC_CLIENT_SECRET`; never logged. */
    clientSecret: string | null;
    redirectUrl: string;
    rolesClaim: string;
    scopes: string[];
  } | null;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const MODES: readonly AuthMode[] = ['open', 'token', 'proxy', 'oidc'];

/**
 * `auth` with defaults. Reads are open by default only on a loopback host with embedded PGlite (a laptop
 * trying the demo); anything reachable or on a shared database defaults to `token`.
 */
export function normalizeAuth(
  file: AuthConfigFile | undefined,
  env: NodeJS.ProcessEnv,
  server: { host: string; databaseUrl: string | null },
  problems: ConfigProblem[],
): AuthConfig {
  const fromEnv = env['GROUNDWORK_AUTH_MODE'] || undefined;
  if (fromEnv !== undefined && !MODES.includes(fromEnv as AuthMode)) {
    problems.push({
      path: 'GROUNDWORK_AUTH_MODE',
      message: `expected ${MODES.join(', ')}, got "${fromEnv}"`,
    });
  }
  const local = LOOPBACK.has(server.host) && server.databaseUrl === null;
  const [mode, modeSource]: [AuthMode, string] = fromEnv
    ? [fromEnv as AuthMode, 'GROUNDWORK_AUTH_MODE']
    : file?.mode
      ? [file.mode, 'auth.mode']
      : local
        ? ['open', 'the default on a loopback host with embedded PGlite']
        : ['token', 'the default when HOST is not loopback or DATABASE_URL is set'];
  if (mode === 'proxy' && !file?.proxy) {
    problems.push({ path: 'auth.proxy', message: 'is required with mode proxy (trustedAddresses at least)' });
  }
  if (mode === 'oidc' && !file?.oidc) {
    problems.push({
      path: 'auth.oidc',
      message: 'is required with mode oidc (issuer, clientId, redirectUrl)',
    });
  }
  const clientSecret = env['GROUNDWORK_OIDC_CLIENT_SECRET'] || null;
  return {
    mode,
    modeSource,
    sessionHours: file?.sessionHours ?? 12,
    roles: { admin: file?.roles?.admin ?? [], teamLeads: file?.roles?.teamLeads ?? {} },
    proxy: file?.proxy
      ? {
          userHeader: (file.proxy.userHeader ?? 'x-forwarded-user').toLowerCase(),
          groupsHeader: (file.proxy.groupsHeader ?? 'x-forwarded-groups').toLowerCase(),
          trustedAddresses: file.proxy.trustedAddresses,
        }
      : null,
    oidc: file?.oidc
      ? {
          issuer: file.oidc.issuer,
          clientId: file.oidc.clientId,
          clientSecret,
          redirectUrl: file.oidc.redirectUrl,
          rolesClaim: file.oidc.rolesClaim ?? 'groups',
          scopes: file.oidc.scopes ?? ['openid', 'email', 'profile'],
        }
      : null,
  };
}
