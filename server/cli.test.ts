import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../test/cli-process.ts';
import { loadSurveys, parseSurveyFile } from '../scorecards/load-surveys.ts';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-cli-'));
const noStackTrace = (text: string) => assert.doesNotMatch(text, /^\s+at /m, `stack trace in:\n${text}`);

describe('groundwork CLI', () => {
  test('a command against a data directory another live process holds says so and changes nothing', () => {
    const dataDir = path.join(cwd, 'held');
    mkdirSync(dataDir, { recursive: true });
    // This test process stands in for a running server: it is alive, so its lock is honoured.
    writeFileSync(
      path.join(dataDir, 'groundwork.lock'),
      JSON.stringify({ pid: process.pid, role: 'server' }),
    );
    const result = runCli(['migrate'], { cwd, env: { GROUNDWORK_DATA_DIR: dataDir } });
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr.trim(),
      `groundwork: server pid ${process.pid} holds the database; stop it or use the API`,
    );
    assert.equal(existsSync(path.join(dataDir, 'pglite')), false);
  });

  test('DATABASE_URL pointing at a dead port fails with a clear message, no stack trace and no password', () => {
    const result = runCli(['migrate'], {
      cwd,
      env: { DATABASE_URL: 'postgres://groundwork:s3cret@127.0.0.1:9/groundwork' },
    });
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /^groundwork: cannot connect to PostgreSQL at postgres:\/\/groundwork:\*\*\*@127\.0\.0\.1:9\/groundwork \(DATABASE_URL\): ECONNREFUSED/,
    );
    assert.doesNotMatch(result.stderr + result.stdout, /s3cret/);
    noStackTrace(result.stderr);
  });

  test('a configuration with a typo stops start-up naming the file and key path', () => {
    const file = path.join(cwd, 'typo.yaml');
    writeFileSync(
      file,
      'organization: acme\nteams:\n  - slug: payments\n    name: Payments\n    repos: [acme/x]\n',
    );
    const result = runCli(['serve'], {
      cwd,
      env: { GROUNDWORK_CONFIG: file, GROUNDWORK_DATA_DIR: path.join(cwd, 'd') },
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`Invalid configuration in ${file}:`));
    assert.match(result.stderr, /teams\[0\]\.repos: unknown key/);
    noStackTrace(result.stderr);
    assert.equal(existsSync(path.join(cwd, 'd')), false);
  });

  test('an unknown command or bad option prints usage and exits 2', () => {
    const unknown = runCli(['frobnicate'], { cwd, env: {} });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"[\s\S]*Usage: groundwork/);
    const badOption = runCli(['demo', '--until', '2026-02-30'], {
      cwd,
      env: { GROUNDWORK_DATA_DIR: path.join(cwd, 'e') },
    });
    assert.equal(badOption.status, 2);
    assert.match(badOption.stderr, /--until expects a date like 2026-11-25, got "2026-02-30"/);
  });

  test('an unknown option prints usage, not a stack trace', () => {
    const result = runCli(['demo', '--bogus'], { cwd, env: { GROUNDWORK_DATA_DIR: path.join(cwd, 'f') } });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^groundwork: Unknown option '--bogus'[\s\S]*Usage: groundwork/);
    noStackTrace(result.stderr);
  });

  describe('collect without what it needs: one line naming it, exit 1, nothing run', () => {
    const config = path.join(cwd, 'two-teams.yaml');
    writeFileSync(
      config,
      [
        'organization: own',
        'teams:',
        '  - { slug: web, name: Web, repositories: [own/web] }',
        'sources:',
        '  github: { repositories: [own/web] }',
        '  jira: { projects: [OPS] }',
        '  githubIssues: { repositories: [own/requests] }',
        '',
      ].join('\n'),
    );
    const cases: [string, Record<string, string>, RegExp][] = [
      [
        'github',
        { GROUNDWORK_CONFIG: config },
        /^groundwork: cannot collect github: missing credentials: set GITHUB_TOKEN, or GITHUB_APP_ID/,
      ],
      [
        'jira',
        { GROUNDWORK_CONFIG: config, JIRA_BASE_URL: 'https://own.atlassian.net' },
        /^groundwork: cannot collect jira: missing credentials: set JIRA_EMAIL, JIRA_API_TOKEN$/,
      ],
      [
        'github-issues',
        { GROUNDWORK_CONFIG: config },
        /^groundwork: cannot collect github-issues: missing credentials: set GITHUB_TOKEN/,
      ],
      [
        'github',
        { GITHUB_TOKEN: 'ghp_example' },
        /^groundwork: cannot collect github: sources\.github in the bundled demo configuration .* names no repositories or organization$/,
      ],
      [
        'github-issues',
        {},
        /^groundwork: cannot collect github-issues: sources\.githubIssues in the bundled demo configuration .* names no repositories; missing credentials/,
      ],
    ];
    for (const [source, env, expected] of cases) {
      test(`collect ${source} with ${Object.keys(env).join(', ') || 'nothing set'}`, () => {
        const dataDir = path.join(cwd, `collect-${source}`);
        const result = runCli(['collect', source], { cwd, env: { ...env, GROUNDWORK_DATA_DIR: dataDir } });
        assert.equal(result.status, 1);
        assert.equal(result.stdout, '');
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
        assert.match(result.stderr.trim(), expected);
        assert.equal(existsSync(dataDir), false, 'no database was opened');
      });
    }
  });

  test('survey links say when they fall back to the listening address, and use GROUNDWORK_PUBLIC_URL', () => {
    const dataDir = path.join(cwd, 'links');
    const args = ['survey', 'links', '--survey', 'devex-2026-q4', '--team', 'checkout', '--count', '1'];
    const fallback = runCli(args, { cwd, env: { GROUNDWORK_DATA_DIR: dataDir } });
    assert.equal(fallback.status, 0, fallback.stderr);
    assert.match(fallback.stdout, /^http:\/\/127\.0\.0\.1:3000\/surveys\/devex-2026-q4\?token=/);
    assert.match(
      fallback.stderr,
      /GROUNDWORK_PUBLIC_URL is not set, so the links start with http:\/\/127\.0\.0\.1:3000/,
    );
    const configured = runCli(args, {
      cwd,
      env: { GROUNDWORK_DATA_DIR: dataDir, GROUNDWORK_PUBLIC_URL: 'https://dx.example.com/' },
    });
    assert.equal(configured.status, 0, configured.stderr);
    assert.match(configured.stdout, /^https:\/\/dx\.example\.com\/surveys\/devex-2026-q4\?token=/);
    assert.doesNotMatch(configured.stderr, /GROUNDWORK_PUBLIC_URL/);
  });

  test('survey: an unknown survey fails before any database is created', () => {
    const dataDir = path.join(cwd, 'never-created');
    const result = runCli(['survey', 'import', 'x.csv', '--survey', 'nope'], {
      cwd,
      env: { GROUNDWORK_DATA_DIR: dataDir },
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--survey: no survey "nope" \(known: devex-2026-q3, devex-2026-q4\)/);
    assert.equal(existsSync(dataDir), false);
  });

  test('survey new: a round from the previous one, in GROUNDWORK_SURVEYS_DIR, no database needed', () => {
    const folder = path.join(cwd, 'surveys');
    mkdirSync(folder);
    writeFileSync(
      path.join(folder, 'devex-2026-q4.yaml'),
      readFileSync(path.join(import.meta.dirname, '../scorecards/surveys/devex-2026-q4.yaml')),
    );
    const env = { GROUNDWORK_SURVEYS_DIR: folder, GROUNDWORK_DATA_DIR: path.join(cwd, 'no-db') };
    const created = runCli(['survey', 'new', '--from', 'devex-2026-q4', '--quarter', '2027-Q1'], {
      cwd,
      env,
    });
    assert.equal(created.status, 0, created.stderr);
    const file = path.join(folder, 'devex-2027-q1.yaml');
    assert.equal(created.stdout.trim(), file);
    const round = parseSurveyFile(readFileSync(file, 'utf8'), file);
    assert.deepEqual(
      [round.id, round.title, round.quarter, round.opens, round.closes],
      ['devex-2027-q1', 'Developer experience survey, 2027 Q1', '2027-Q1', '2027-01-01', '2027-03-31'],
    );
    assert.deepEqual(
      round.questions.map((q) => q.key),
      loadSurveys()
        .find((s) => s.id === 'devex-2026-q4')!
        .questions.map((q) => q.key),
    );
    assert.match(readFileSync(file, 'utf8'), /# Respondents answer through one-time links/); // comments kept
    const again = runCli(['survey', 'new', '--from', 'devex-2026-q4', '--quarter', '2027-Q1'], { cwd, env });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /survey "devex-2027-q1" exists already/);
    assert.equal(existsSync(path.join(cwd, 'no-db')), false);
    const missing = runCli(['survey', 'new', '--from', 'x', '--quarter', '2027-Q1'], {
      cwd,
      env: { GROUNDWORK_SURVEYS_DIR: path.join(cwd, 'nowhere') },
    });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /GROUNDWORK_SURVEYS_DIR: folder .*nowhere does not exist/);
  });
});
