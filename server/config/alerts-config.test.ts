import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig, parseOrganization } from './config.ts';

const TEAMS = 'teams: [{ slug: payments, name: Payments }, { slug: checkout, name: Checkout }]\n';

describe('alert configuration', () => {
  test('without alerts: one lead-time rule at the documented defaults, no channels', () => {
    const org = parseOrganization(`organization: acme\n${TEAMS}`, 'test');
    assert.deepEqual(org.alerts, {
      schedule: '0 6 * * *',
      dashboardUrl: null,
      channels: [],
      rules: [
        {
          name: 'lead-time',
          metric: 'leadTime',
          category: null,
          driver: null,
          teams: null,
          recentDays: 14,
          baselineDays: 90,
          minChange: 0.25,
          minSamples: 10,
          alpha: 0.05,
          correction: 'benjamini-hochberg',
          severity: { warning: 0.25, critical: 1 },
          channels: [],
        },
      ],
    });
  });

  test('rules and channels as given; a rule notifies every channel unless it names some', () => {
    const org = parseOrganization(
      `organization: acme
${TEAMS}
tickets: { categories: [{ name: access, labels: [access] }] }
alerts:
  dashboardUrl: https://groundwork.acme.test/
  channels:
    - { name: eng-slack, type: slack, urlEnv: SLACK_URL }
    - { name: pager, type: webhook, urlEnv: HOOK_URL, secretEnv: HOOK_SECRET }
  rules:
    - { name: slow-access, metric: ticketWait, category: access, teams: [payments], channels: [pager] }
    - { name: cfr, metric: changeFailureRate, minChange: 0.5, severity: { critical: 2 } }
`,
      'test',
    );
    assert.equal(org.alerts.dashboardUrl, 'https://groundwork.acme.test');
    assert.deepEqual(
      org.alerts.rules.map((rule) => [rule.name, rule.category, rule.teams, rule.channels, rule.severity]),
      [
        ['slow-access', 'access', ['payments'], ['pager'], { warning: 0.25, critical: 1 }],
        ['cfr', null, null, ['eng-slack', 'pager'], { warning: 0.5, critical: 2 }],
      ],
    );
  });

  test('every problem is reported with its key path', () => {
    assert.throws(
      () =>
        parseOrganization(
          `organization: acme
${TEAMS}
alerts:
  schedule: every day
  channels:
    - { name: hook, type: webhook, urlEnv: HOOK_URL }
  rules:
    - { name: lt, metric: leadTime, teams: [payments, billing], channels: [slack] }
    - { name: lt, metric: ticketWait }
    - { name: rt, metric: recoveryTime, category: access, recentDays: 0 }
    - { name: df, metric: deployFrequency }
    - { name: sev, metric: leadTime, severity: { warning: 0.5, critical: 0.3 } }
`,
          'groundwork.yaml',
        ),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.source, 'groundwork.yaml');
        const paths = error.problems.map((problem) => problem.path);
        for (const expected of ['alerts.rules[2].recentDays', 'alerts.rules[3].metric']) {
          assert.ok(paths.includes(expected), `${expected} in ${paths.join(', ')}`);
        }
        return true;
      },
    );
    // With the schema satisfied, the semantic checks name their keys too.
    assert.throws(
      () =>
        parseOrganization(
          `organization: acme
${TEAMS}
alerts:
  schedule: every day
  channels:
    - { name: hook, type: webhook, urlEnv: HOOK_URL }
  rules:
    - { name: lt, metric: leadTime, teams: [payments, billing], channels: [slack] }
    - { name: lt, metric: ticketWait }
    - { name: rt, metric: recoveryTime, category: access }
    - { name: sev, metric: leadTime, severity: { warning: 0.5, critical: 0.3 } }
`,
          'groundwork.yaml',
        ),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((problem) => problem.path),
          [
            'alerts.channels[0].secretEnv',
            'alerts.schedule',
            'alerts.rules[0].teams[1]',
            'alerts.rules[0].channels[0]',
            'alerts.rules[1].name',
            'alerts.rules[1].category',
            'alerts.rules[2].category',
            'alerts.rules[3].severity.critical',
          ],
        );
        assert.match(error.message, /alerts\.rules\[0\]\.teams\[1\]: no team "billing"/);
        return true;
      },
    );
  });

  test('channel URLs and secrets come from the environment, never from the file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'groundwork-alerts-config-'));
    writeFileSync(
      path.join(dir, 'groundwork.yaml'),
      `organization: acme
${TEAMS}
alerts:
  channels:
    - { name: eng-slack, type: slack, urlEnv: SLACK_URL }
    - { name: pager, type: webhook, urlEnv: HOOK_URL, secretEnv: HOOK_SECRET }
`,
    );
    const config = loadConfig({
      cwd: dir,
      env: { SLACK_URL: 'http://127.0.0.1:9/slack', HOOK_SECRET: 's3cret' },
      fallbackOrganization: () => ({ organization: 'x', teams: [] }),
    });
    assert.deepEqual(
      config.alertChannels.map((channel) => [channel.name, channel.url, channel.secret]),
      [
        ['eng-slack', 'http://127.0.0.1:9/slack', null],
        ['pager', null, 's3cret'],
      ],
    );
  });
});
