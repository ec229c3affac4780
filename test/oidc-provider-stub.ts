import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** Who the stub signs in next (what a real provider learns from its login page). */
export interface StubUser {
  sub: string;
  email: string;
  groups: string[];
}

export interface OidcProviderStub {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The user the next authorization signs in. */
  signInAs(user: StubUser): void;
  close(): Promise<void>;
}

/**
 * An OpenID Connect provider on 127.0.0.1 speaking the real protocol — discovery, an authorization endpoint
 * that redirects back with a code, a token endpoint checking the client secret and the PKCE verifier, an
 * RS256-signed ID token and its JWKS — with the login page replaced by `signInAs`.
 */
export async function startOidcProviderStub(): Promise<OidcProviderStub> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stub-key', alg: 'RS256', use: 'sig' };
  const clientId = 'groundwork';
  const clientSecret = randomBytes(16).toString('hex');
  const codes = new Map<string, { user: StubUser; nonce: string; challenge: string; redirectUri: string }>();
  let user: StubUser | null = null;
  let issuer = '';

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== clientId || !user)
        return json(400, { error: 'invalid_request' });
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        user,
        nonce: url.searchParams.get('nonce') ?? '',
        challenge: url.searchParams.get('code_challenge') ?? '',
        redirectUri,
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      back.searchParams.set('iss', issuer);
      response.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        void (async () => {
          const form = new URLSearchParams(body);
          const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
          const [id, secret] = basic
            ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
            : [form.get('client_id'), form.get('client_secret')];
          if (id !== clientId || secret !== clientSecret) return json(401, { error: 'invalid_client' });
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (!grant || grant.challenge !== challenge || grant.redirectUri !== form.get('redirect_uri')) {
            return json(400, { error: 'invalid_grant' });
          }
          const idToken = await new SignJWT({
            nonce: grant.nonce,
            email: grant.user.email,
            groups: grant.user.groups,
          })
            .setProtectedHeader({ alg: 'RS256', kid: 'stub-key' })
            .setIssuer(issuer)
            .setAudience(clientId)
            .setSubject(grant.user.sub)
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(privateKey);
          json(200, {
            access_token: randomBytes(16).toString('hex'),
            token_type: 'Bearer',
            expires_in: 300,
            id_token: idToken,
          });
        })();
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(next) {
      user = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
