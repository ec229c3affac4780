import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, parseOrganization } from './config.ts';

const fallback = () => ({ organization: 'demo', teams: [] });
const load = (env: Record<string, string>, yaml?: string) => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-auth-config-'));
  if (yaml !== undefined) writeFileSync(path.join(cwd, 'groundwork.yaml'), yaml);
  return loadConfig({ env, cwd, fallbackOrganization: fallback });
};

describe('the auth mode', () => {
  test('is open by default only on a loopback host with embedded PGlite, else token; start-up can say why', () => {
    assert.equal(load({}).auth.mode, 'open');
    assert.equal(load({ HOST: '::1' }).auth.mode, 'open');
    const reachable = load({ HOST: '0.0.0.0' }).auth;
    assert.equal(reachable.mode, 'token');
    assert.match(reachable.modeSource, /HOST is not loopback/);
    assert.equal(load({ DATABASE_URL: 'postgres://db/gw' }).auth.mode, 'token');
    assert.equal(load({ HOST: '0.0.0.0', GROUNDWORK_AUTH_MODE: 'open' }).auth.mode, 'open');
  });

  test('auth.mode in groundwork.yaml, overridden by GROUNDWORK_AUTH_MODE; proxy and oidc need their settings', () => {
    const yaml = `organization: acme\nteams: []\nauth:\n  mode: token\n`;
    assert.equal(load({}, yaml).auth.mode, 'token');
    assert.equal(load({ GROUNDWORK_AUTH_MODE: 'open' }, yaml).auth.mode, 'open');
    assert.throws(
      () => load({ GROUNDWORK_AUTH_MODE: 'sso' }),
      /GROUNDWORK_AUTH_MODE: expected open, token, proxy, oidc/,
    );
    assert.throws(
      () => load({}, `organization: acme\nteams: []\nauth:\n  mode: proxy\n`),
      /auth\.proxy: is required with mode proxy/,
    );
    const oidc = load(
      { GROUNDWORK_OIDC_CLIENT_SECRET: 'shh' },
      `organization: acme
teams: []
auth:
  mode: oidc
  roles: { admin: [platform], teamLeads: { payments: [payments-leads] } }
  oidc:
    issuer: https://login.example.test
    clientId: groundwork
    redirectUrl: https://groundwork.example.test/auth/oidc/callback
`,
    ).auth;
    assert.equal(oidc.oidc?.clientSecret, 'shh');
    assert.equal(oidc.oidc?.rolesClaim, 'groups');
    assert.deepEqual(oidc.roles.teamLeads, { payments: ['payments-leads'] });
  });
});

describe('a YAML alias bomb', () => {
  test('is refused with one clear line, not a stack trace or an exhausted heap', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...Array.from({ length: 8 }, (_, i) => {
        const name = String.fromCharCode(98 + i);
        const previous = String.fromCharCode(97 + i);
        return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`;
      }),
      'organization: acme',
      'teams: []',
    ].join('\n');
    let error: unknown;
    try {
      parseOrganization(bomb, 'groundwork.yaml');
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(error.message, /\(YAML aliases\): the document expands aliases too often/);
    assert.equal(error.message.split('\n').length, 2);
  });
});
