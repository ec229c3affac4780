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
    });
    assert.deepEqual(org.tickets.waitingStatuses, ['waiting for approval']);
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
    });
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
