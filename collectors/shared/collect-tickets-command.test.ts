import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { stringify } from 'yaml';
import { binPath, cleanEnv } from '../../test/cli-process.ts';
import { startJiraTestServer } from '../../test/jira-test-server.ts';
import type { JiraTestServer } from '../../test/jira-test-server.ts';
import { serviceDeskIssues, serviceDeskOrganization, STATUSES } from '../jira/fixtures/service-desk.ts';
import { parseTicketCollectCommand } from './collect-tickets-command.ts';

/** The CLI in a child process, asynchronously: the Jira test server lives in this one and must answer. */
function cli(args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('groundwork collect jira|github-issues', () => {
  test('arguments are checked', () => {
    assert.equal(parseTicketCollectCommand(['github']), null);
    assert.deepEqual(parseTicketCollectCommand(['jira', '--since', '2026-03-01']), {
      source: 'jira',
      repository: null,
      since: new Date('2026-03-01T00:00:00Z'),
    });
    assert.match(
      String(parseTicketCollectCommand(['jira', '--since', '2026-02-30'])),
      /--since expects a date/,
    );
    assert.match(String(parseTicketCollectCommand(['jira', '--repo', 'a/b'])), /Unknown option '--repo'/);
    assert.match(
      String(parseTicketCollectCommand(['github-issues', '--repo', 'nope'])),
      /--repo expects owner\/name/,
    );
  });

  describe('against a Jira server', () => {
    let jira: JiraTestServer;
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-collect-jira-'));
    let env: Record<string, string>;
    before(async () => {
      jira = await startJiraTestServer({ statuses: STATUSES, issues: serviceDeskIssues() });
      writeFileSync(path.join(cwd, 'groundwork.yaml'), stringify(serviceDeskOrganization()));
      // Start from the test runner's migrated template when there is one: migrating from scratch costs seconds.
      const template = process.env['GROUNDWORK_TEST_PGLITE_TEMPLATE'];
      if (template)
        cpSync(path.join(template, 'pglite'), path.join(cwd, 'data', 'pglite'), { recursive: true });
      env = {
        JIRA_BASE_URL: jira.url,
        JIRA_EMAIL: jira.email,
        JIRA_API_TOKEN: jira.apiToken,
        GROUNDWORK_DATA_DIR: path.join(cwd, 'data'),
        GROUNDWORK_NOW: '2026-04-10T00:00:00Z',
      };
    });
    after(async () => jira.close());

    // One run only: a CLI process costs seconds; re-runs changing nothing are tested in-process (sync.db.test.ts).
    test('collects and reports the run; the token never shows', async () => {
      const first = await cli(['collect', 'jira'], cwd, env);
      assert.equal(first.status, 0, first.stderr + first.stdout);
      assert.match(first.stdout, /^Jira collector run 1: success; \{.*"tickets":6,"ticketsChanged":6/m);
      assert.doesNotMatch(first.stdout + first.stderr, /jira-test-token/);
    });
  });
});
