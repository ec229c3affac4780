import * as oidc from 'openid-client';
import type { AuthConfig } from '../config/auth.schema.ts';
import { AppError } from '../errors.ts';
import { roleFromGroups } from './principal.ts';
import type { Role } from '../db/tables.ts';

type OidcSettings = NonNullable<AuthConfig['oidc']>;

/** What the browser keeps between the redirect to the provider and the callback (an HttpOnly cookie). */
export interface PendingSignIn {
  verifier: string;
  state: string;
  nonce: string;
}

const LOOPBACK_URL = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/;

/**
 * OpenID Connect sign-in (authorization code + PKCE) through `openid-client`, the certified relying-party
 * library: Okta, Entra ID, Google, or GitHub through an OIDC bridge. The provider's metadata is discovered
 * on first use and kept; a failed discovery is retried on the next sign-in.
 */
export class OidcSignIn {
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly settings: OidcSettings,
    private readonly roles: AuthConfig['roles'],
  ) {}

  private discover(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        this.settings.clientSecret ?? undefined,
        undefined,
        // Plain http only for a provider on this machine (a test stub); anything else must be https.
        LOOPBACK_URL.test(this.settings.issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = null;
        throw new AppError(
          502,
          'OIDC_UNAVAILABLE',
          `the sign-in provider cannot be reached: ${(error as Error).message}`,
        );
      });
    return this.configuration;
  }

  async start(): Promise<{ url: string; pending: PendingSignIn }> {
    const configuration = await this.discover();
    const pending = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** The callback's query → the signed-in identity and role; a 401 for anything the library refuses. */
  async finish(
    query: string,
    pending: PendingSignIn,
  ): Promise<{ subject: string; role: Role; teams: string[] }> {
    const configuration = await this.discover();
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(
        configuration,
        new URL(`${this.settings.redirectUrl}?${query}`),
        { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce },
      );
      claims = tokens.claims();
    } catch (error) {
      throw new AppError(401, 'SIGN_IN_FAILED', `sign-in was not completed: ${(error as Error).message}`);
    }
    if (!claims) throw new AppError(401, 'SIGN_IN_FAILED', 'the provider returned no ID token');
    const raw = claims[this.settings.rolesClaim];
    const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
    const who = typeof claims['email'] === 'string' ? claims['email'] : claims.sub;
    return { subject: `oidc:${who}`, ...roleFromGroups(groups, this.roles) };
  }
}
