import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from './config/config.ts';
import { describeFindings, runDoctor } from './doctor.ts';

// GitHub's /rate_limit and Jira's /myself on 127.0.0.1, accepting one set of credentials.
let server: http.Server;
let url = '';
before(async () => {
  server = http.createServer((request, response) => {
    const ok =
      (request.url === '/rate_limit' && request.headers.authorization === 'Bearer good-token') ||
      (request.url === '/rest/api/3/myself' &&
        request.headers.authorization ===
          `Basic ${Buffer.from('me@acme.test:jira-token').toString('base64')}`);
    response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const YAML = `organization: acme
teams: [{ slug: payments, name: Payments }]
sources:
  github: { organization: acme }
  jira: { projects: [OPS] }
`;

describe('groundwork doctor', () => {
  test('names each problem with its fix: migrations pending, refused credentials, replayable signatures', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-doctor-'));
    writeFileSync(path.join(cwd, 'groundwork.yaml'), YAML);
    const env = {
      GITHUB_API_URL: url,
      GITHUB_TOKEN: 'expired-token',
      JIRA_BASE_URL: url,
      JIRA_EMAIL: 'me@acme.test',
      JIRA_API_TOKEN: 'jira-token',
      GROUNDWORK_INGEST_SECRET: 'tiny-secret',
      HOST: '0.0.0.0',
      GROUNDWORK_AUTH_MODE: 'open',
    };
    const findings = await runDoctor(() =>
      loadConfig({ env, cwd, fallbackOrganization: () => assert.fail() }),
    );
    const byTopic = (topic: string) => findings.filter((finding) => finding.topic === topic);
    assert.equal(byTopic('configuration')[0]?.level, 'ok');
    assert.equal(byTopic('database')[0]?.level, 'ok');
    assert.equal(byTopic('migrations')[0]?.level, 'fail');
    assert.match(byTopic('migrations')[0]?.fix ?? '', /groundwork migrate/);
    assert.equal(byTopic('auth')[0]?.level, 'warn');
    assert.match(byTopic('auth')[0]?.message ?? '', /anyone who reaches the port/);
    assert.deepEqual(
      byTopic('ingest').map((finding) => finding.level),
      ['warn', 'warn'],
    );
    assert.equal(byTopic('github')[0]?.level, 'fail');
    assert.match(byTopic('github')[0]?.fix ?? '', /renew GITHUB_TOKEN/);
    assert.equal(byTopic('jira')[0]?.level, 'ok');
    const lines = describeFindings(findings).join('\n');
    assert.match(lines, /^fail github: http:\/\/127\.0\.0\.1:\d+ refused the credentials \(401\)$/m);
    assert.doesNotMatch(lines, /expired-token|jira-token|tiny-secret/);
  });

  test('a configuration problem is one finding naming the key', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-doctor-'));
    writeFileSync(path.join(cwd, 'groundwork.yaml'), 'organization: acme\nteams: []\nauth: { mode: sso }\n');
    const findings = await runDoctor(() =>
      loadConfig({ env: {}, cwd, fallbackOrganization: () => assert.fail() }),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.level, 'fail');
    assert.match(findings[0]?.message ?? '', /auth\.mode/);
  });
});
