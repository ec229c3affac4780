import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, parseOrganization } from './config.ts';

const MINIMAL = `
organization: acme
productionEnvironments: [production]
teams:
  - slug: payments
    name: Payments
    repositories: ["acme/payments-*", "acme/billing"]   # exact names beat globs
    services: [payments-api]
    members: [alice, { github: bob, jira: "5b10a2844c20165700ede21g", email: bob@acme.test }]
`;

function problemsOf(text: string): string {
  try {
    parseOrganization(text, 'groundwork.yaml');
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

const fallback = () => ({ organization: 'demo', teams: [] });

describe('groundwork.yaml', () => {
  test('the minimal file from the documentation is valid and normalized', () => {
    const org = parseOrganization(MINIMAL, 'groundwork.yaml');
    assert.equal(org.organization, 'acme');
    assert.deepEqual(org.productionEnvironments, ['production']);
    const [team] = org.teams;
    assert.ok(team);
    assert.deepEqual(
      team.repositories.map((r) => [r.pattern, r.keyPath]),
      [
        ['acme/payments-*', 'teams[0].repositories[0]'],
        ['acme/billing', 'teams[0].repositories[1]'],
      ],
    );
    assert.deepEqual(team.members, [
      { key: 'github:alice', github: 'alice', jira: null, email: null, effectiveFrom: null },
      {
        key: 'github:bob',
        github: 'bob',
        jira: '5b10a2844c20165700ede21g',
        email: 'bob@acme.test',
        effectiveFrom: null,
      },
    ]);
  });

  test('the shipped groundwork.example.yaml is valid', () => {
    const file = path.resolve(import.meta.dirname, '../../groundwork.example.yaml');
    const org = parseOrganization(readFileSync(file, 'utf8'), file);
    assert.equal(org.metrics.incidentCauseWindowHours, 24);
    assert.deepEqual(
      org.teams.map((t) => t.slug),
      ['payments', 'checkout'],
    );
  });

  test('productionEnvironments defaults to production', () => {
    const org = parseOrganization('organization: acme\nteams: []\n', 'x');
    assert.deepEqual(org.productionEnvironments, ['production']);
  });

  test('a typo in a key is reported with its key path and the keys allowed there', () => {
    const message = problemsOf(MINIMAL.replace('repositories:', 'repositorys:'));
    assert.match(message, /^Invalid configuration in groundwork\.yaml:/);
    assert.match(
      message,
      /teams\[0\]\.repositorys: unknown key \(allowed here: slug, name, repositories, services, members\)/,
    );
  });

  test('a wrong type names the key path, what was expected and what was found', () => {
    const message = problemsOf(
      MINIMAL.replace('repositories: ["acme/payments-*", "acme/billing"]', 'repositories: acme/billing'),
    );
    assert.match(message, /teams\[0\]\.repositories: expected array, got string "acme\/billing"/);
  });

  test('every problem is reported at once', () => {
    const message = problemsOf('organisation: acme\nteams:\n  - slug: Bad Slug\n    name: x\n');
    assert.match(message, /organisation: unknown key/);
    assert.match(message, /organization: is required/);
    assert.match(message, /teams\[0\]\.slug: expected lower-case letters, digits and -/);
  });

  test('a member of the wrong shape is explained once, not per union branch', () => {
    const message = problemsOf(MINIMAL.replace('members: [alice,', 'members: [42,'));
    assert.match(
      message,
      /teams\[0\]\.members\[0\]: expected GitHub login or an object with github, jira, email, effectiveFrom/,
    );
    assert.equal(message.match(/members\[0\]/g)?.length, 1);
    assert.match(
      problemsOf(MINIMAL.replace('{ github: bob,', '{ githb: bob,')),
      /members\[1\]\.githb: unknown key/,
    );
  });

  test('a repository claimed by two teams at the same specificity names both key paths', () => {
    const text = `${MINIMAL}  - slug: billing\n    name: Billing\n    repositories: [acme/billing, "acme/payments-*"]\n`;
    const message = problemsOf(text);
    assert.match(
      message,
      /teams\[1\]\.repositories\[0\]: "acme\/billing" is also claimed by team "payments" at teams\[0\]\.repositories\[1\]/,
    );
    assert.match(
      message,
      /teams\[1\]\.repositories\[1\]: "acme\/payments-\*" is also claimed by team "payments" at teams\[0\]\.repositories\[0\]/,
    );
  });

  test('an exact name and a glob that covers it may belong to different teams (exact wins)', () => {
    const text = `${MINIMAL}  - slug: platform\n    name: Platform\n    repositories: ["acme/*"]\n`;
    assert.equal(parseOrganization(text, 'x').teams.length, 2);
  });

  test('a service claimed twice, a duplicate slug and an impossible date are errors', () => {
    const text = `${MINIMAL}  - slug: payments\n    name: Again\n    services: [payments-api]\n    repositories: [{ name: acme/x, effectiveFrom: "2026-02-30" }]\n`;
    const message = problemsOf(text);
    assert.match(message, /teams\[1\]\.slug: "payments" is already used by teams\[0\]/);
    assert.match(message, /teams\[1\]\.repositories\[0\]\.effectiveFrom: "2026-02-30" is not a real date/);
  });

  test('a YAML syntax error is reported with the file', () => {
    assert.match(problemsOf('organization: [unclosed\n'), /groundwork\.yaml:\n {2}- \(YAML syntax\)/);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'groundwork-config-'));

  test('reads the file named by GROUNDWORK_CONFIG and the environment, frozen', () => {
    const file = path.join(dir, 'custom.yaml');
    writeFileSync(file, MINIMAL);
    const config = loadConfig({
      env: { GROUNDWORK_CONFIG: file, PORT: '8080', GROUNDWORK_NOW: '2026-11-01T12:00:00Z' },
      cwd: dir,
      fallbackOrganization: fallback,
    });
    assert.equal(config.configPath, file);
    assert.equal(config.server.port, 8080);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.database.url, null);
    assert.equal(config.database.dataDir, path.join(dir, 'data'));
    assert.equal(config.fixedNow?.toISOString(), '2026-11-01T12:00:00.000Z');
    assert.ok(Object.isFrozen(config.org.teams[0]));
  });

  test('without a file, the fallback (bundled demo) organisation is used', () => {
    const config = loadConfig({ env: {}, cwd: dir, fallbackOrganization: fallback });
    assert.equal(config.configPath, null);
    assert.equal(config.org.organization, 'demo');
  });

  test('a bad file stops start-up with the file name and key path', () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, MINIMAL.replace('slug: payments', 'slug: 7'));
    assert.throws(
      () => loadConfig({ env: { GROUNDWORK_CONFIG: file }, cwd: dir, fallbackOrganization: fallback }),
      (error: Error) =>
        error.message.includes(file) && /teams\[0\]\.slug: expected string, got number 7/.test(error.message),
    );
  });

  test('a missing GROUNDWORK_CONFIG file and bad environment values are reported', () => {
    assert.throws(
      () => loadConfig({ env: { GROUNDWORK_CONFIG: 'nope.yaml' }, cwd: dir, fallbackOrganization: fallback }),
      /GROUNDWORK_CONFIG: file .*nope\.yaml does not exist/,
    );
    assert.throws(
      () =>
        loadConfig({
          env: { PORT: 'http', DATABASE_URL: 'mysql://x', GROUNDWORK_NOW: 'yesterday' },
          cwd: dir,
          fallbackOrganization: fallback,
        }),
      (error: Error) =>
        /PORT: expected an integer/.test(error.message) &&
        /DATABASE_URL: expected a postgres:\/\//.test(error.message) &&
        /GROUNDWORK_NOW: expected an ISO timestamp/.test(error.message),
    );
  });
});

describe('the GitHub collector settings', () => {
  const withSources = (sources: string) => `organization: acme\nteams: []\nsources:\n${sources}`;

  test('deployments per repository, incidents and excluded authors are accepted', () => {
    const org = parseOrganization(
      withSources(`  github:
    repositories: [acme/*]
    schedule: "*/30 * * * *"
    deployments:
      - { repositories: [acme/legacy], from: workflow, workflow: deploy.yml }
      - { repositories: [acme/sdk], from: releases, environment: registry }
    incidents: { label: outage, repositories: [acme/ops] }
    pullRequests: { excludeBots: false, excludeAuthors: [svc-*] }
`),
      'groundwork.yaml',
    );
    assert.equal(org.sources.github?.deployments?.[0]?.workflow, 'deploy.yml');
    assert.equal(org.sources.github?.incidents?.label, 'outage');
  });

  test('a workflow source without its workflow, an unknown source and a bad cron expression are named', () => {
    const message = problemsOf(
      withSources(`  github:
    schedule: "every hour please"
    deployments:
      - { repositories: [acme/legacy], from: workflow }
`),
    );
    assert.match(message, /sources\.github\.schedule: "every hour please" is not a cron expression/);
    assert.match(message, /sources\.github\.deployments\[0\]\.workflow: is required with from: workflow/);
    assert.match(
      problemsOf(withSources('  github:\n    deployments: [{ repositories: [a/b], from: tags }]\n')),
      /sources\.github\.deployments\[0\]\.from/,
    );
  });

  const load = (env: NodeJS.ProcessEnv) =>
    loadConfig({
      env,
      cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-config-')),
      fallbackOrganization: fallback,
    });
  const pem = '-----BEGIN RSA PRIVATE KEY-----\\nMIIB\\n-----END RSA PRIVATE KEY-----\\n';

  test('a GitHub App from GITHUB_APP_*: the key may come on one line with \\n escapes', () => {
    const config = load({
      GITHUB_APP_ID: '12345',
      GITHUB_APP_PRIVATE_KEY: pem,
      GITHUB_APP_INSTALLATION_ID: '678',
      GITHUB_API_URL: 'https://github.example.com/api/v3',
    });
    assert.deepEqual(config.github.app, {
      appId: '12345',
      privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n',
      installationId: 678,
    });
    assert.equal(config.github.apiUrl, 'https://github.example.com/api/v3');
    assert.equal(load({}).github.app, null);
  });

  test('an incomplete or malformed GitHub App is refused without echoing the key', () => {
    assert.throws(
      () => load({ GITHUB_APP_ID: 'twelve', GITHUB_APP_PRIVATE_KEY: 'not-a-key-secret' }),
      (error: Error) =>
        /GITHUB_APP_INSTALLATION_ID: is required with the other GITHUB_APP_\* variables/.test(
          error.message,
        ) &&
        /GITHUB_APP_ID: expected the numeric app id/.test(error.message) &&
        /GITHUB_APP_PRIVATE_KEY: expected a PEM private key/.test(error.message) &&
        !error.message.includes('not-a-key-secret'),
    );
  });
});
