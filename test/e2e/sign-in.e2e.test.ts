import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { runCli, startServer } from '../cli-process.ts';
import type { RunningServer } from '../cli-process.ts';
import { startOidcProviderStub } from '../oidc-provider-stub.ts';
import type { OidcProviderStub } from '../oidc-provider-stub.ts';
import { launchChromium, missingBrowser, openPage, screenshot } from './browser.ts';

// Sign-in in a real browser, against a server behind OIDC (a provider stub on loopback) that also takes
// tokens: a viewer signs in with a read token and sees no admin pages; an admin signs in through the
// provider and manages tokens; after sign-out the API refuses both.
const webDist = path.resolve(import.meta.dirname, '../../web/dist/index.html');
let server: RunningServer;
let provider: OidcProviderStub;
let browser: Browser;
let viewerToken = '';

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const apiStatus = (page: Page, url: string) =>
  page.evaluate(async (target) => (await fetch(target)).status, url);

/** Errors other than the 401/403 answers this test provokes on purpose. */
const unexpected = (errors: string[]) => errors.filter((error) => !/status of 40[13]/.test(error));

const skip = missingBrowser();
if (skip) console.log(`browser tests skipped: ${skip}`);

describe('signing in to the dashboard', { skip: skip ?? false }, () => {
  before(async () => {
    assert.ok(existsSync(webDist), 'the dashboard is not built: run `npm run build` first');
    provider = await startOidcProviderStub();
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-e2e-auth-'));
    const port = await freePort();
    writeFileSync(
      path.join(cwd, 'groundwork.yaml'),
      `organization: acme
teams:
  - { slug: payments, name: Payments, services: [payments-api] }
auth:
  mode: oidc
  roles: { admin: [platform-admins], teamLeads: { payments: [payments-leads] } }
  oidc:
    issuer: ${provider.issuer}
    clientId: ${provider.clientId}
    redirectUrl: http://127.0.0.1:${port}/auth/oidc/callback
`,
    );
    const env = {
      GROUNDWORK_DATA_DIR: path.join(cwd, 'data'),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      GROUNDWORK_OIDC_CLIENT_SECRET: provider.clientSecret,
    };
    const created = runCli(['token', 'create', '--name', 'wallboard', '--scope', 'read'], { cwd, env });
    assert.equal(created.status, 0, created.stderr);
    viewerToken = created.stdout.trim();
    server = await startServer({ cwd, env });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await provider?.close();
  });

  test('a viewer signs in with a read token, sees no admin page, and is refused after sign-out', async () => {
    const { page, errors } = await openPage(browser);
    try {
      await page.goto(server.url);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal(await apiStatus(page, '/api/v1/teams'), 401);
      await page.getByLabel('Access token').fill(viewerToken);
      await page.getByRole('button', { name: 'Sign in with a token' }).click();
      await page.getByText('token:wallboard (viewer)').waitFor();
      assert.equal(await page.getByRole('link', { name: 'Access' }).count(), 0);
      assert.equal(await apiStatus(page, '/api/v1/teams'), 200);
      assert.equal(await apiStatus(page, '/api/v1/tokens'), 403);
      await screenshot(page, 'sign-in-viewer');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal(await apiStatus(page, '/api/v1/teams'), 401);
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await page.context().close();
    }
  });

  test('an admin signs in through the OIDC provider, manages tokens, and is refused after sign-out', async () => {
    provider.signInAs({ sub: 'u-42', email: 'ops@acme.test', groups: ['platform-admins'] });
    const { page, errors } = await openPage(browser);
    try {
      await page.goto(server.url);
      await page.getByRole('link', { name: 'Sign in with your organisation' }).click();
      await page.getByText('oidc:ops@acme.test (admin)').waitFor();
      await page.getByRole('link', { name: 'Access' }).click();
      await page.getByRole('cell', { name: 'wallboard', exact: true }).first().waitFor();
      await page.getByLabel('Name', { exact: true }).fill('grafana');
      await page.getByRole('button', { name: 'Create token' }).click();
      const token = await page.locator('.new-token').textContent();
      assert.match(token ?? '', /^gw_[A-Za-z0-9_-]{43}$/);
      await page.getByRole('button', { name: 'Revoke grafana' }).click();
      await page.getByRole('button', { name: 'Revoke grafana' }).waitFor({ state: 'detached' });
      await page.getByRole('cell', { name: 'token.revoke' }).first().waitFor();
      await screenshot(page, 'sign-in-admin-access');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal(await apiStatus(page, '/api/v1/tokens'), 401);
      assert.deepEqual(unexpected(errors), []);
    } finally {
      await page.context().close();
    }
  });
});
