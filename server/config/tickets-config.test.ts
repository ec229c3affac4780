import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, parseOrganization } from './config.ts';

describe('ticket configuration', () => {
  test('defaults: To Do is waiting, unmatched tickets are "other", no queue is mapped', () => {
    const org = parseOrganization('organization: acme\nteams: []\n', 'test');
    assert.deepEqual(org.tickets, {
      servingTeams: {},
      categories: [],
      defaultCategory: 'other',
      waitingStatusCategories: ['new'],
      waitingStatuses: [],
    });
  });

  test('mappings are normalised: repository queues and match values lower-cased', () => {
    const org = parseOrganization(
      `organization: acme
teams: []
tickets:
  servingTeams: { OPS: platform-ops, Acme/Requests: platform-ops }
  categories: [{ name: access, labels: [Access], issueTypes: [Access Request] }]
  waitingStatuses: [Waiting for Approval]
`,
      'test',
    );
    assert.deepEqual(org.tickets.servingTeams, { OPS: 'platform-ops', 'acme/requests': 'platform-ops' });
    assert.deepEqual(org.tickets.categories[0], {
      name: 'access',
      labels: ['access'],
      components: [],
      issueTypes: ['access request'],
      requestTypes: [],
    });
    assert.deepEqual(org.tickets.waitingStatuses, ['waiting for approval']);
  });

  test('with a ticket collector configured, serving teams name its queues and declared teams', () => {
    assert.throws(
      () =>
        parseOrganization(
          `organization: acme
teams: [{ slug: platform-ops, name: Platform Ops }]
sources:
  jira: { projects: [OPS] }
  githubIssues: { repositories: [acme/requests] }
tickets:
  servingTeams: { OPS: platform-ops, OSP: platform-ops, Acme/Requests: platfrom-ops }
`,
          'test',
        ),
      (error: ConfigError) => {
        assert.deepEqual(
          error.problems.map((p) => `${p.path}: ${p.message}`),
          [
            'tickets.servingTeams.OSP: "OSP" is not a queue of sources.jira.projects or sources.githubIssues.repositories',
            'tickets.servingTeams.Acme/Requests: "platfrom-ops" is not the slug of a team in teams',
          ],
        );
        return true;
      },
    );
  });

  test('bad values are reported with their key paths', () => {
    assert.throws(
      () =>
        parseOrganization(
          `organization: acme
teams: []
sources:
  jira: { projects: [ops] }
  githubIssues: { repositories: ['acme/*'] }
tickets:
  categories: [{ name: Environment }]
`,
          'test',
        ),
      (error: unknown) =>
        error instanceof ConfigError &&
        [
          'sources.jira.projects[0]',
          'sources.githubIssues.repositories[0]',
          'tickets.categories[0].name',
        ].every((path) => error.problems.some((problem) => problem.path === path)),
    );
  });

  test('Jira credentials come from the environment; a bad JIRA_BASE_URL is refused', () => {
    const config = loadConfig({
      env: {
        JIRA_BASE_URL: 'https://acme.atlassian.net/',
        JIRA_EMAIL: 'ops@acme.test',
        JIRA_API_TOKEN: 'secret',
      },
      cwd: '/nonexistent',
      fallbackOrganization: () => ({ organization: 'acme', teams: [] }),
    });
    assert.deepEqual(config.jira, {
      baseUrl: 'https://acme.atlassian.net',
      email: 'ops@acme.test',
      apiToken: 'secret',
      deployment: null, // detected from the site
    });
    const dataCenter = loadConfig({
      env: { JIRA_BASE_URL: 'https://jira.acme.test', JIRA_API_TOKEN: 'pat', JIRA_DEPLOYMENT: 'Server' },
      cwd: '/nonexistent',
      fallbackOrganization: () => ({ organization: 'acme', teams: [] }),
    });
    assert.equal(dataCenter.jira.deployment, 'datacenter');
    assert.throws(
      () =>
        loadConfig({
          env: { JIRA_DEPLOYMENT: 'onprem' },
          cwd: '/nonexistent',
          fallbackOrganization: () => ({ organization: 'acme', teams: [] }),
        }),
      /JIRA_DEPLOYMENT: expected cloud, datacenter or server/,
    );
    assert.throws(
      () =>
        loadConfig({
          env: { JIRA_BASE_URL: 'acme.atlassian.net' },
          cwd: '/nonexistent',
          fallbackOrganization: () => ({ organization: 'acme', teams: [] }),
        }),
      /JIRA_BASE_URL: expected an http\(s\) URL/,
    );
  });
});
