import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadSurveys } from '../../scorecards/load-surveys.ts';
import { assertAlertDriversAsked } from '../alerts/survey-share.ts';
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

  test('a survey driver rule: the driver is required and known, no windows; 5 respondents per round', () => {
    const org = parseOrganization(
      `organization: acme
${TEAMS}
alerts:
  rules: [{ name: review-mood, metric: surveyDriver, driver: code-review, teams: [payments] }]
`,
      'test',
    );
    assert.deepEqual(
      org.alerts.rules.map((rule) => [rule.metric, rule.driver, rule.teams, rule.minSamples, rule.minChange]),
      [['surveyDriver', 'code-review', ['payments'], 5, 0.25]],
    );
    assert.throws(
      () =>
        parseOrganization(
          `organization: acme
${TEAMS}
alerts:
  rules:
    - { name: a, metric: surveyDriver }
    - { name: b, metric: surveyDriver, driver: happiness }
    - { name: c, metric: leadTime, driver: code-review }
    - { name: d, metric: surveyDriver, driver: focus-time, recentDays: 14 }
`,
          'groundwork.yaml',
        ),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((problem) => `${problem.path}: ${problem.message}`),
          [
            'alerts.rules[0].driver: is required with metric: surveyDriver',
            `alerts.rules[1].driver: no survey driver "happiness"; known: build-and-test, code-review, deploy-process, ease-of-release, environments, documentation, code-maintainability, ops-dependencies, focus-time`,
            'alerts.rules[2].driver: only a surveyDriver rule has a driver',
            'alerts.rules[3].recentDays: a surveyDriver rule compares the latest published survey round with the one before: remove it',
          ],
        );
        return true;
      },
    );
  });

  test('at start-up, a rule on a driver no survey round asks about names the file and key path', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'groundwork-alerts-driver-'));
    const rounds = path.join(dir, 'rounds');
    mkdirSync(rounds);
    writeFileSync(
      path.join(rounds, 'pulse.yaml'),
      `id: pulse
title: Pulse
quarter: 2026-Q1
opens: 2026-01-05
closes: 2026-03-31
questions: [{ key: review, kind: likert, driver: code-review, text: Reviews start within a day. }]
`,
    );
    const file = path.join(dir, 'groundwork.yaml');
    writeFileSync(
      file,
      `organization: acme
${TEAMS}
surveys: { dir: rounds }
alerts:
  rules:
    - { name: review-mood, metric: surveyDriver, driver: code-review }
    - { name: docs-mood, metric: surveyDriver, driver: documentation }
`,
    );
    const config = loadConfig({
      cwd: dir,
      env: {},
      fallbackOrganization: () => ({ organization: 'x', teams: [] }),
    });
    assert.throws(
      () => assertAlertDriversAsked(config, loadSurveys(config.surveysDir)),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.source, file);
        assert.deepEqual(
          error.problems.map((problem) => problem.path),
          ['alerts.rules[1].driver'],
        );
        assert.match(error.message, /no survey round asks about driver "documentation".*rounds: pulse/);
        return true;
      },
    );
  });
});
