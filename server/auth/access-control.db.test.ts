import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildAuthApp, cookieOf } from '../../test/auth-app.ts';
import { createTestToken, INGEST_SECRET, postJson } from '../../test/ingest-app.ts';
import { startOidcProviderStub } from '../../test/oidc-provider-stub.ts';
import type { OidcProviderStub } from '../../test/oidc-provider-stub.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { issueToken } from './token-service.ts';

const now = new Date('2026-11-20T12:00:00Z');
let handle: DatabaseHandle;
let tokenApp: FastifyTypebox;
let openApp: FastifyTypebox;
let proxyApp: FastifyTypebox;
let oidcApp: FastifyTypebox;
let provider: OidcProviderStub;
const tokens: Record<string, string> = {};

const roles = { admin: ['platform-admins'], teamLeads: { payments: ['payments-leads'] } };

before(async () => {
  handle = await openTestDatabase();
  provider = await startOidcProviderStub();
  tokenApp = await buildAuthApp(handle, { now, auth: { mode: 'token', roles } });
  openApp = await buildAuthApp(handle, { now, auth: { mode: 'open' } });
  proxyApp = await buildAuthApp(handle, {
    now,
    auth: { mode: 'proxy', roles, proxy: { trustedAddresses: ['127.0.0.1'] } },
  });
  oidcApp = await buildAuthApp(handle, {
    now,
    env: { GROUNDWORK_OIDC_CLIENT_SECRET: provider.clientSecret },
    auth: {
      mode: 'oidc',
      roles,
      oidc: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        redirectUrl: 'http://127.0.0.1:3000/auth/oidc/callback',
      },
    },
  });
  tokens['viewer'] = await createTestToken(handle, 'dashboard', 'read');
  tokens['ingest'] = await createTestToken(handle, 'ci', 'ingest');
  tokens['admin'] = await createTestToken(handle, 'ops', 'admin');
  tokens['payments-lead'] =
    (await issueToken(
      handle.db,
      { name: 'payments-lead', scope: 'read', team: 'payments', expiresAt: null },
      now,
    )) ?? '';
  tokens['expired'] =
    (await issueToken(
      handle.db,
      { name: 'old', scope: 'read', team: null, expiresAt: new Date('2026-11-19T00:00:00Z') },
      new Date('2026-11-01T00:00:00Z'),
    )) ?? '';
  // An incident with a title, for the title policy.
  const pushed = await tokenApp.inject(
    postJson(
      '/api/v1/events/incidents',
      [
        {
          id: 'inc-7',
          service: 'payments-api',
          startedAt: '2026-11-18T10:00:00Z',
          resolvedAt: '2026-11-18T11:00:00Z',
          severity: 'sev1',
          title: 'Card payments failing in EU',
        },
      ],
      { secret: INGEST_SECRET },
    ),
  );
  assert.equal(pushed.statusCode, 200, pushed.body);
});
after(async () => {
  for (const app of [tokenApp, openApp, proxyApp, oidcApp]) await app.close();
  await provider.close();
  await handle.close();
});

const bearer = (name: string) => ({ authorization: `Bearer ${tokens[name] ?? ''}` });
const SAMPLES = '/api/v1/teams/payments/metrics/recoveryTime/samples?period=last-30d';

describe('token mode', () => {
  test('reads need a principal; health, the dashboard files, the survey form and ingestion stay public', async () => {
    const refused = await tokenApp.inject('/api/v1/teams');
    assert.equal(refused.statusCode, 401);
    assert.match(refused.json().error.message, /POST \/auth\/token/);
    for (const url of ['/api/v1/metrics', SAMPLES, '/openapi.json', '/api/v1/collectors']) {
      assert.equal((await tokenApp.inject(url)).statusCode, 401, url);
    }
    for (const url of ['/healthz', '/readyz', '/api/v1/surveys/devex-2026-q4', '/auth/session']) {
      assert.equal((await tokenApp.inject(url)).statusCode, 200, url);
    }
    // A dashboard page: not built in tests (503 text), but not refused.
    assert.notEqual((await tokenApp.inject('/teams/payments')).statusCode, 401);
  });

  test('read and admin tokens read; an ingest, unknown or expired token does not; last use is stamped', async () => {
    assert.equal(
      (await tokenApp.inject({ url: '/api/v1/teams', headers: bearer('viewer') })).statusCode,
      200,
    );
    assert.equal((await tokenApp.inject({ url: '/api/v1/teams', headers: bearer('admin') })).statusCode, 200);
    assert.equal(
      (await tokenApp.inject({ url: '/api/v1/teams', headers: bearer('ingest') })).statusCode,
      403,
    );
    assert.equal(
      (await tokenApp.inject({ url: '/api/v1/teams', headers: bearer('expired') })).statusCode,
      401,
    );
    assert.equal(
      (await tokenApp.inject({ url: '/api/v1/teams', headers: { authorization: 'Bearer gw_nope' } }))
        .statusCode,
      401,
    );
    const used = await handle.db
      .selectFrom('apiTokens')
      .select('lastUsedAt')
      .where('name', '=', 'dashboard')
      .executeTakeFirstOrThrow();
    assert.deepEqual(used.lastUsedAt, now);
  });

  test('sign-in exchanges a token for an HttpOnly, SameSite, Secure cookie; sign-out ends it for good', async () => {
    const signIn = await tokenApp.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { host: 'groundwork.example.test' },
      payload: { token: tokens['viewer'] },
    });
    assert.equal(signIn.statusCode, 204, signIn.body);
    const setCookie = String(signIn.headers['set-cookie']);
    assert.match(setCookie, /^gw_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(setCookie, /Secure/);
    const cookie = cookieOf(signIn.headers['set-cookie'], 'gw_session');
    assert.equal((await tokenApp.inject({ url: '/api/v1/teams', headers: { cookie } })).statusCode, 200);
    const session = (await tokenApp.inject({ url: '/auth/session', headers: { cookie } })).json();
    assert.deepEqual(
      [session.signedIn, session.subject, session.role, session.mode],
      [true, 'token:dashboard', 'viewer', 'token'],
    );
    // A viewer's session cannot write.
    const write = await tokenApp.inject({
      method: 'POST',
      url: '/api/v1/collectors/github/run',
      headers: { cookie },
    });
    assert.equal(write.statusCode, 403);

    assert.equal(
      (await tokenApp.inject({ method: 'POST', url: '/auth/sign-out', headers: { cookie } })).statusCode,
      204,
    );
    assert.equal((await tokenApp.inject({ url: '/api/v1/teams', headers: { cookie } })).statusCode, 401);
  });

  test('on a plain-http loopback address the cookie is not Secure (a browser would drop it)', async () => {
    const signIn = await tokenApp.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { host: '127.0.0.1:3000' },
      payload: { token: tokens['viewer'] },
    });
    assert.doesNotMatch(String(signIn.headers['set-cookie']), /Secure/);
  });

  test('an ingest or unknown token cannot sign in; refusals are in the audit log', async () => {
    for (const token of [tokens['ingest'], 'gw_unknown']) {
      const response = await tokenApp.inject({ method: 'POST', url: '/auth/token', payload: { token } });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().error.field, 'body.token');
    }
  });

  test('titles in drill-downs: a viewer sees none; the team lead and an admin see them; CSV alike', async () => {
    const titleFor = async (name: string, csv = false) => {
      const response = await tokenApp.inject({
        url: SAMPLES + (csv ? '&format=csv' : ''),
        headers: bearer(name),
      });
      assert.equal(response.statusCode, 200, response.body);
      if (csv) return response.body.includes('Card payments failing in EU');
      const samples = response.json().samples as { title: string | null }[];
      assert.equal(samples.length, 1);
      return samples[0]?.title ?? null;
    };
    assert.equal(await titleFor('viewer'), null);
    assert.equal(await titleFor('payments-lead'), 'Card payments failing in EU');
    assert.equal(await titleFor('admin'), 'Card payments failing in EU');
    assert.equal(await titleFor('viewer', true), false);
    assert.equal(await titleFor('payments-lead', true), true);
  });
});

describe('tokens and the audit log through the API', () => {
  test('an admin creates a token (shown once), lists it (never the token), revokes it: refused at once', async () => {
    const created = await tokenApp.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer('admin'),
      payload: { name: 'grafana', scope: 'read', expiresInDays: 30 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { token, expiresAt } = created.json();
    assert.equal(expiresAt, '2026-12-20T12:00:00.000Z');
    assert.equal(
      (await tokenApp.inject({ url: '/api/v1/teams', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
      200,
    );

    const listed = await tokenApp.inject({ url: '/api/v1/tokens', headers: bearer('admin') });
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(token));
    const grafana = listed.json().tokens.find((t: { name: string }) => t.name === 'grafana');
    assert.deepEqual([grafana.scope, grafana.lastUsedAt], ['read', now.toISOString()]);

    const clash = await tokenApp.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer('admin'),
      payload: { name: 'grafana', scope: 'read' },
    });
    assert.equal(clash.statusCode, 409);
    assert.equal(
      (await tokenApp.inject({ method: 'DELETE', url: '/api/v1/tokens/grafana', headers: bearer('admin') }))
        .statusCode,
      204,
    );
    assert.equal(
      (await tokenApp.inject({ url: '/api/v1/teams', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
      401,
    );
    assert.equal(
      (await tokenApp.inject({ method: 'DELETE', url: '/api/v1/tokens/grafana', headers: bearer('admin') }))
        .statusCode,
      404,
    );

    const log = await tokenApp.inject({ url: '/api/v1/audit-log', headers: bearer('admin') });
    assert.equal(log.statusCode, 200);
    const entries = log.json().entries as {
      actor: string;
      action: string;
      target: string | null;
      address: string;
    }[];
    const actions = entries.map((entry) => `${entry.actor} ${entry.action} ${entry.target ?? ''}`.trim());
    assert.ok(actions.includes('token:ops token.create'), actions.join('\n'));
    assert.ok(actions.includes('token:ops token.revoke grafana'), actions.join('\n'));
    assert.ok(actions.includes('token:dashboard sign-in'), actions.join('\n'));
    assert.ok(actions.includes('anonymous sign-in.refused'), actions.join('\n'));
    assert.ok(entries.every((entry) => entry.address === '127.0.0.1'));
  });

  test('viewers, team leads and ingest tokens cannot manage tokens or read the audit log', async () => {
    for (const name of ['viewer', 'payments-lead', 'ingest']) {
      assert.equal(
        (await tokenApp.inject({ url: '/api/v1/tokens', headers: bearer(name) })).statusCode,
        403,
        name,
      );
      assert.equal(
        (await tokenApp.inject({ url: '/api/v1/audit-log', headers: bearer(name) })).statusCode,
        403,
        name,
      );
      const create = await tokenApp.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: bearer(name),
        payload: { name: `by-${name}`, scope: 'admin' },
      });
      assert.equal(create.statusCode, 403, name);
    }
  });

  test('an admin session writes only from this site (no cross-site request forgery)', async () => {
    const signIn = await tokenApp.inject({
      method: 'POST',
      url: '/auth/token',
      payload: { token: tokens['admin'] },
    });
    const cookie = cookieOf(signIn.headers['set-cookie'], 'gw_session');
    const forged = await tokenApp.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie, origin: 'https://evil.example', host: 'localhost:80' },
      payload: { name: 'forged', scope: 'admin' },
    });
    assert.equal(forged.statusCode, 403);
    const same = await tokenApp.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80' },
      payload: { name: 'from-dashboard', scope: 'ingest' },
    });
    assert.equal(same.statusCode, 201, same.body);
  });
});

describe('open mode opens reads only', () => {
  test('anyone reads, titles included; tokens, the audit log and writes still need an admin', async () => {
    assert.equal((await openApp.inject('/api/v1/teams')).statusCode, 200);
    const samples = (await openApp.inject(SAMPLES)).json().samples as { title: string }[];
    assert.equal(samples[0]?.title, 'Card payments failing in EU');
    assert.equal((await openApp.inject('/api/v1/tokens')).statusCode, 401);
    assert.equal((await openApp.inject('/api/v1/audit-log')).statusCode, 401);
    assert.equal(
      (await openApp.inject({ method: 'POST', url: '/api/v1/collectors/github/run' })).statusCode,
      401,
    );
    assert.equal(
      (
        await openApp.inject({
          method: 'POST',
          url: '/api/v1/tokens',
          payload: { name: 'x', scope: 'admin' },
        })
      ).statusCode,
      401,
    );
  });
});

describe('proxy mode', () => {
  test('trusts the identity header from the configured proxy address only, groups mapped to roles', async () => {
    const asUser = (groups: string, remoteAddress = '127.0.0.1') =>
      proxyApp.inject({
        url: SAMPLES,
        remoteAddress,
        headers: { 'x-forwarded-user': 'dana@acme.test', 'x-forwarded-groups': groups },
      });
    const viewer = await asUser('everyone');
    assert.equal(viewer.statusCode, 200);
    assert.equal(viewer.json().samples[0].title, null);
    assert.equal(
      (await asUser('everyone, payments-leads')).json().samples[0].title,
      'Card payments failing in EU',
    );
    assert.equal((await asUser('platform-admins', '10.1.2.3')).statusCode, 401);
    assert.equal((await proxyApp.inject({ url: '/api/v1/teams' })).statusCode, 401);
    const admin = await proxyApp.inject({
      url: '/api/v1/tokens',
      headers: { 'x-forwarded-user': 'ops@acme.test', 'x-forwarded-groups': 'platform-admins' },
    });
    assert.equal(admin.statusCode, 200);
  });
});

describe('OIDC sign-in against a provider on loopback', () => {
  async function signIn(groups: string[]): Promise<string> {
    provider.signInAs({ sub: 'u-1', email: 'lee@acme.test', groups });
    const login = await oidcApp.inject('/auth/oidc/login');
    assert.equal(login.statusCode, 302, login.body);
    const pending = cookieOf(login.headers['set-cookie'], 'gw_oidc');
    const location = new URL(String(login.headers.location));
    assert.equal(location.origin, provider.issuer);
    assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
    const authorized = await fetch(location, { redirect: 'manual' });
    const back = new URL(authorized.headers.get('location') ?? '');
    const callback = await oidcApp.inject({
      url: `/auth/oidc/callback${back.search}`,
      headers: { cookie: pending },
    });
    assert.equal(callback.statusCode, 302, callback.body);
    assert.equal(callback.headers.location, '/');
    return cookieOf(callback.headers['set-cookie'], 'gw_session');
  }

  test('a team lead by the groups claim: reads with titles of their team, cannot manage tokens', async () => {
    const cookie = await signIn(['payments-leads']);
    const session = (await oidcApp.inject({ url: '/auth/session', headers: { cookie } })).json();
    assert.deepEqual(
      [session.subject, session.role, session.teams],
      ['oidc:lee@acme.test', 'team-lead', ['payments']],
    );
    const samples = await oidcApp.inject({ url: SAMPLES, headers: { cookie } });
    assert.equal(samples.json().samples[0].title, 'Card payments failing in EU');
    assert.equal((await oidcApp.inject({ url: '/api/v1/tokens', headers: { cookie } })).statusCode, 403);
  });

  test('a callback with a forged state or without the pending sign-in is refused', async () => {
    provider.signInAs({ sub: 'u-2', email: 'mal@acme.test', groups: ['platform-admins'] });
    const login = await oidcApp.inject('/auth/oidc/login');
    const pending = cookieOf(login.headers['set-cookie'], 'gw_oidc');
    const authorized = await fetch(new URL(String(login.headers.location)), { redirect: 'manual' });
    const back = new URL(authorized.headers.get('location') ?? '');
    back.searchParams.set('state', 'forged');
    assert.equal(
      (await oidcApp.inject({ url: `/auth/oidc/callback${back.search}`, headers: { cookie: pending } }))
        .statusCode,
      401,
    );
    assert.equal((await oidcApp.inject({ url: `/auth/oidc/callback${back.search}` })).statusCode, 400);
    assert.equal((await oidcApp.inject('/api/v1/teams')).statusCode, 401);
  });
});

describe('headers and limits', () => {
  test('security headers on every reply; no CORS headers for another origin', async () => {
    const response = await tokenApp.inject({
      url: '/healthz',
      headers: { origin: 'https://elsewhere.example' },
    });
    assert.match(String(response.headers['content-security-policy']), /default-src 'self'/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });

  test('sign-in attempts from one address are rate limited (429)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await proxyApp.inject({
        method: 'POST',
        url: '/auth/token',
        remoteAddress: '192.0.2.7',
        payload: { token: 'gw_guess' },
      });
      statuses.push(response.statusCode);
    }
    assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
    assert.deepEqual(statuses.slice(10), [429, 429]);
  });
});
