import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { fixedClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config/config.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { ConfigFile } from '../../server/config/config.schema.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { syncOrganization } from '../../server/org/organization-sync.ts';
import { startJiraTestServer } from '../../test/jira-test-server.ts';
import type { JiraFixtureIssue, JiraFixtureStatus, JiraTestServer } from '../../test/jira-test-server.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { runTicketCollectCommand } from '../shared/collect-tickets-command.ts';
import { createJiraClient, JiraConnectionError } from './client.ts';
import { startJiraCollector } from './collector.ts';

// What real Jira sites do that a tidy fixture does not: statuses of retired workflows missing from /status,
// "Waiting for approval" filed under In Progress, service desk request types, issues moved between projects,
// and Data Center's REST v2 with a personal access token. Times are UTC (the API user's zone).
const STATUSES: JiraFixtureStatus[] = [
  { id: '1', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10001', name: 'Done', category: 'done' },
  { id: '10200', name: 'Waiting for approval', category: 'indeterminate' },
  // Retired: an issue is still in it, and says its category.
  { id: '10300', name: 'Awaiting CAB', category: 'new', listed: false },
  // Retired, and no issue is in it any more: its category comes from the configuration.
  { id: '10400', name: 'Legacy Triage', category: 'new', listed: false },
  // Retired, in no issue, not configured: kept with a warning.
  { id: '10500', name: 'Mystery', category: 'indeterminate', listed: false },
];

const at = (day: number, hour: number) => `2026-03-0${day}T${String(hour).padStart(2, '0')}:00:00.000+0000`;
const move = (id: string, created: string, from: string, to: string) => ({
  id,
  author: 'acc-ops',
  created,
  items: [{ field: 'status', from, to }],
});

function issues(): JiraFixtureIssue[] {
  const base = (id: string, key: string, statusId: string, updated: string) => ({
    id,
    key,
    summary: `Request ${key}`,
    issueType: 'Service Request',
    created: at(2, 10),
    updated,
    statusId,
    reporter: { accountId: 'acc-ida' },
  });
  return [
    {
      // To Do 2 h → Waiting for approval 24 h → In Progress 2 h → Done: work starts on day 3 at 12:00.
      ...base('30001', 'OPS-1', '10001', at(3, 14)),
      resolutiondate: at(3, 14),
      history: [
        move('1', at(2, 12), '1', '10200'),
        move('2', at(3, 12), '10200', '3'),
        move('3', at(3, 14), '3', '10001'),
      ],
    },
    {
      // Created in Legacy Triage (configured: new), 10 h, then worked on.
      ...base('30002', 'OPS-2', '10001', at(3, 10)),
      resolutiondate: at(3, 10),
      history: [move('4', at(2, 20), '10400', '3'), move('5', at(3, 10), '3', '10001')],
    },
    {
      // Still Awaiting CAB since creation: the issue itself says that is To Do.
      ...base('30003', 'OPS-3', '10300', at(2, 10)),
      history: [],
    },
    {
      // Through Awaiting CAB (learnt from OPS-3) and Mystery, unknown: kept, with a warning.
      ...base('30004', 'OPS-4', '10001', at(4, 10)),
      resolutiondate: at(4, 10),
      history: [
        move('6', at(3, 8), '1', '10300'),
        move('7', at(3, 10), '10300', '10500'),
        move('8', at(4, 10), '10500', '10001'),
      ],
    },
    {
      // A service desk request typed "Request new environment".
      ...base('30005', 'OPS-5', '1', at(4, 11)),
      history: [],
      extraFields: {
        customfield_10010: {
          _links: {},
          requestType: { id: '12', name: 'Request new environment', serviceDeskId: '1' },
          currentStatus: { status: 'Waiting for support' },
        },
      },
    },
    { ...base('30006', 'OPS-6', '1', at(4, 12)), history: [] },
  ];
}

const ORGANIZATION = parse(`
organization: acme
teams:
  - { slug: identity, name: Identity & Access, members: [{ github: ida, jira: acc-ida }] }
  - { slug: platform-ops, name: Platform Ops }
sources:
  jira:
    projects: [OPS, DBA]
    requestTypeField: customfield_10010
    statusCategories: { Legacy Triage: new }
tickets:
  servingTeams: { OPS: platform-ops, DBA: platform-ops }
  categories: [{ name: environment, requestTypes: [Request New Environment] }]
  waitingStatuses: [Waiting for approval]
`) as ConfigFile;

const now = new Date('2026-03-10T00:00:00Z');

function configFor(server: JiraTestServer, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    env: {
      JIRA_BASE_URL: server.url,
      JIRA_API_TOKEN: server.apiToken,
      ...(server.deployment === 'cloud' ? { JIRA_EMAIL: server.email } : {}),
      ...env,
    },
    cwd: '/nonexistent',
    fallbackOrganization: () => ORGANIZATION,
  });
}

async function tickets(handle: DatabaseHandle) {
  const rows = await handle.db
    .selectFrom('tickets')
    .select([
      'id',
      'key',
      'externalId',
      'statusCategory',
      'category',
      'workStartedAt',
      'requesterJiraAccountId',
    ])
    .orderBy('externalId')
    .execute();
  const intervals = await handle.db
    .selectFrom('ticketStatusIntervals')
    .select(['ticketId', 'status', 'statusCategory'])
    .orderBy('ticketId')
    .orderBy('seq')
    .execute();
  return rows.map(({ id, ...row }) => ({
    ...row,
    intervals: intervals
      .filter((interval) => interval.ticketId === id)
      .map((interval) => `${interval.status}:${interval.statusCategory}`),
  }));
}

for (const deployment of ['cloud', 'datacenter'] as const) {
  describe(`Jira ${deployment === 'cloud' ? 'Cloud' : 'Data Center'} as real sites are (${testEngine})`, () => {
    let handle: DatabaseHandle;
    let server: JiraTestServer;

    before(async () => {
      handle = await openTestDatabase();
      server = await startJiraTestServer(
        { statuses: STATUSES, issues: issues() },
        { timeZone: 'UTC', deployment },
      );
      // Pages of 2 (and on Data Center, changelogs cut after one entry in search): paging is exercised.
      server.searchPageSize = 2;
      server.changelogInSearch = 1;
      await syncOrganization(handle.db, configFor(server).org, new Date('2026-01-01T00:00:00Z'));
    });
    after(async () => {
      await server.close();
      await handle.close();
    });

    test('statuses learnt from issues or configured, waiting In Progress statuses, request types', async () => {
      const warnings: string[] = [];
      // No client given: it is built from the configuration, and the deployment detected from serverInfo.
      const start = await startJiraCollector({
        db: handle.db,
        config: configFor(server),
        clock: fixedClock(now),
        onWarning: (message) => warnings.push(message),
      });
      assert.ok(start.started);
      const result = await start.finished;
      assert.equal(result.started && result.status, 'success', JSON.stringify(result));
      if (deployment === 'datacenter') {
        assert.ok(server.received.some((r) => r.path === '/rest/api/2/search'));
        assert.ok(server.received.every((r) => !r.path.startsWith('/rest/api/3/')));
      }
      const rows = await tickets(handle);
      const ticket = (key: string) => rows.find((row) => row.key === key);
      // Waiting for approval is In Progress to Jira but waiting to the configuration: work starts after it.
      assert.deepEqual(ticket('OPS-1')?.workStartedAt, new Date('2026-03-03T12:00:00Z'));
      assert.deepEqual(ticket('OPS-1')?.intervals, [
        'To Do:new',
        'Waiting for approval:indeterminate',
        'In Progress:indeterminate',
        'Done:done',
      ]);
      assert.deepEqual(ticket('OPS-2')?.intervals, [
        'Legacy Triage:new',
        'In Progress:indeterminate',
        'Done:done',
      ]);
      assert.equal(ticket('OPS-3')?.statusCategory, 'new');
      assert.deepEqual(ticket('OPS-3')?.intervals, ['Awaiting CAB:new']);
      assert.deepEqual(ticket('OPS-4')?.intervals, [
        'To Do:new',
        'Awaiting CAB:new',
        'Mystery:undefined',
        'Done:done',
      ]);
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0] ?? '', /"Mystery" \(id 10500\).*sources\.jira\.statusCategories/);
      assert.equal(result.started && result.itemCounts['unknownStatuses'], 1);
      assert.equal(ticket('OPS-5')?.category, 'environment');
      assert.equal(ticket('OPS-1')?.category, 'other');
      // People: Cloud's account id, Data Center's user key.
      assert.equal(ticket('OPS-1')?.requesterJiraAccountId, 'acc-ida');
    });

    test('a 401 names the variables to check, and the CLI does not claim the next run resumes', async () => {
      const config = configFor(server, { JIRA_API_TOKEN: 'wrong-token' });
      const lines: string[] = [];
      const code = await runTicketCollectCommand(
        { db: handle.db, config, clock: fixedClock(now) },
        { source: 'jira', repository: null, since: null },
        { out: (line) => lines.push(line), progress: () => undefined },
      );
      assert.equal(code, 1);
      const output = lines.join('\n');
      const variables =
        deployment === 'cloud'
          ? 'JIRA_EMAIL and JIRA_API_TOKEN'
          : 'JIRA_API_TOKEN \\(a personal access token\\)';
      assert.match(output, new RegExp(`answered 401: .*check ${variables}`));
      assert.doesNotMatch(output, /resumes/);
      assert.doesNotMatch(output, /wrong-token/);
    });

    test('an issue moved to another project is the same ticket under its new key', async () => {
      const moved = server.issues.find((issue) => issue.id === '30006');
      assert.ok(moved);
      moved.key = 'DBA-1';
      moved.updated = at(5, 9);
      const start = await startJiraCollector({
        db: handle.db,
        config: configFor(server),
        clock: fixedClock(now),
      });
      assert.ok(start.started);
      await start.finished;
      const rows = await tickets(handle);
      assert.deepEqual(
        rows.filter((row) => row.externalId === '30006').map((row) => row.key),
        ['DBA-1'],
      );
      assert.equal(rows.length, 6);
    });
  });
}

describe('Jira errors say what to fix', () => {
  test('a host that does not resolve fails at once, named, without retrying', async () => {
    const waits: number[] = [];
    const client = createJiraClient({
      baseUrl: 'http://jira.nonexistent.invalid',
      email: 'a@b.test',
      apiToken: 'secret-token',
      sleep: async (ms) => void waits.push(ms),
    });
    await assert.rejects(client.myself(), (error: Error) => {
      assert.ok(error instanceof JiraConnectionError, String(error));
      assert.match(error.message, /jira\.nonexistent\.invalid.*(DNS|not found).*JIRA_BASE_URL/);
      return true;
    });
    assert.deepEqual(waits, []);
  });

  test('a refused connection fails at once, naming the host and the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const waits: number[] = [];
    const client = createJiraClient({
      baseUrl: `http://127.0.0.1:${port}`,
      email: 'a@b.test',
      apiToken: 'secret-token',
      sleep: async (ms) => void waits.push(ms),
    });
    await assert.rejects(client.statuses(), new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
    assert.deepEqual(waits, []);
  });
});
