// A survey driver's favourable share between published rounds, on the database (PGlite, or PostgreSQL with
// DATABASE_URL): three quarterly rounds with one code-review statement each (so answers = respondents and
// every figure below is computed by hand), imported through the survey service, read back only as the
// results service publishes them (minGroupSize 5, complementary suppression).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadFrictionCatalogue } from '../../scorecards/load-friction.ts';
import { loadSurveys } from '../../scorecards/load-surveys.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { AppConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { importSurveyCsv } from '../surveys/surveys.service.ts';
import type { Figures } from './alert-types.ts';
import { buildApp } from '../app.ts';
import { alertViews, backtestRule } from './alerts.service.ts';
import { describeBacktest } from './backtest.ts';
import { evaluateAlerts } from './evaluator.ts';
import type { AlertMessage } from './notification-payloads.ts';
import { slackBody } from './notification-payloads.ts';
import { channelRequest } from './outbox.ts';
import { alertDriverProblems } from './survey-share.ts';

const ROUNDS = [
  { id: 'pulse-q1', quarter: '2026-Q1', opens: '2026-01-05', closes: '2026-03-31', day: '2026-01-20' },
  { id: 'pulse-q2', quarter: '2026-Q2', opens: '2026-04-06', closes: '2026-06-30', day: '2026-04-20' },
  { id: 'pulse-q3', quarter: '2026-Q3', opens: '2026-07-06', closes: '2026-09-30', day: '2026-07-20' },
];
/** Respondents and how many of them agree (5) — the rest disagree (2) — per team per round. */
const ANSWERS: Record<string, [number, number][]> = {
  // 80 % → 30 % → 80 %: the planted drop, then recovery.
  planted: [
    [10, 8],
    [10, 3],
    [10, 8],
  ],
  steady: [
    [10, 7],
    [10, 7],
    [10, 7],
  ],
  // 80 % → 70 %: a relative drop of 12.5 %, under minChange.
  'small-drop': [
    [10, 8],
    [10, 7],
    [10, 7],
  ],
  // Q2: 4 respondents, below minGroupSize: withheld.
  thin: [
    [10, 8],
    [4, 0],
    [10, 8],
  ],
  // Q2: 80 % → 0 % on 6 respondents, but withheld by complementary suppression (the organisation minus the
  // visible teams would otherwise be thin's 4; shadow is the smallest visible team).
  shadow: [
    [10, 8],
    [6, 0],
    [10, 8],
  ],
};
const TEAMS = Object.keys(ANSWERS);
const at = (iso: string) => new Date(`${iso}T00:00:00Z`);

function writeRounds(folder: string): Survey[] {
  for (const round of ROUNDS) {
    writeFileSync(
      path.join(folder, `${round.id}.yaml`),
      `id: ${round.id}
title: Pulse ${round.quarter}
quarter: ${round.quarter}
opens: ${round.opens}
closes: ${round.closes}
csv: { respondent: respondent }
questions:
  - { key: review-turnaround, kind: likert, driver: code-review, text: Reviews of my changes start within a day. }
`,
    );
  }
  return loadSurveys(folder);
}

function roundCsv(index: number): string {
  const rows = ['team,respondent,submittedAt,review-turnaround'];
  for (const [team, rounds] of Object.entries(ANSWERS)) {
    const [respondents, agree] = rounds[index] as [number, number];
    for (let i = 0; i < respondents; i++)
      rows.push(`${team},${team}-${i},${ROUNDS[index]?.day},${i < agree ? 5 : 2}`);
  }
  return rows.join('\n');
}

describe(`a survey driver's favourable share between published rounds (${testEngine})`, () => {
  let handle: DatabaseHandle;
  let config: AppConfig;
  let surveys: Survey[];
  before(async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'groundwork-share-'));
    surveys = writeRounds(folder);
    config = loadConfig({
      env: {
        HOOK_URL: 'http://127.0.0.1:9/hook',
        HOOK_SECRET: 'hook-secret',
        SLACK_URL: 'http://127.0.0.1:9/s',
        GROUNDWORK_AUTH_MODE: 'open',
      },
      cwd: folder,
      fallbackOrganization: () => ({
        organization: 'acme',
        teams: TEAMS.map((slug) => ({
          slug,
          name: `Team ${slug}`,
          members: Array.from({ length: 12 }, (_, i) => `${slug}-${i}`),
        })),
        alerts: {
          dashboardUrl: 'https://groundwork.acme.test',
          channels: [
            { name: 'hook', type: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET' },
            { name: 'slack', type: 'slack', urlEnv: 'SLACK_URL' },
          ],
          rules: [{ name: 'review-mood', metric: 'surveyDriver', driver: 'code-review' }],
        },
      }),
    });
    handle = await openTestDatabase();
    await syncOrganization(handle.db, config.org, at('2026-01-01'));
    const context = {
      db: handle.db,
      surveys,
      minGroupSize: 5,
      hashKey: 'respondent-key',
      now: () => at('2026-12-01'),
    };
    for (const [index, round] of ROUNDS.entries()) {
      const report = await importSurveyCsv(context, round.id, roundCsv(index), {
        dryRun: false,
        skipInvalid: false,
      });
      assert.equal(report.rejectedRows, 0, JSON.stringify(report.rejected));
    }
  });
  after(() => handle.close());

  const ctx = (day: string) => ({ db: handle.db, clock: fixedClock(at(day)), config, surveys });
  const evaluate = async (day: string) => {
    const evaluated = await evaluateAlerts(ctx(day));
    assert.ok(evaluated.ran);
    return evaluated.report.rules[0];
  };
  const alertRows = () =>
    handle.db
      .selectFrom('alerts as a')
      .innerJoin('teams as t', 't.id', 'a.teamId')
      .select(['a.id', 't.slug', 'a.status', 'a.severity', 'a.fired', 'a.resolvedAt'])
      .orderBy('a.id')
      .execute();

  test('one published round: nothing to compare; an open round is not published', async () => {
    // Q2 is still open on 2026-06-30: only Q1 counts.
    for (const day of ['2026-04-01', '2026-06-30']) {
      const report = await evaluate(day);
      assert.deepEqual(report?.outcomes, { fires: 0, within: 0, unconfirmed: 0, 'too-few': 5 }, day);
    }
    assert.deepEqual(await alertRows(), []);
  });

  test('the planted drop alerts once; a small drop, a thin round and a withheld team do not', async () => {
    const report = await evaluate('2026-07-01');
    // planted fires; steady and small-drop are within; thin (4) and shadow (withheld) are not judged.
    assert.deepEqual(report?.outcomes, { fires: 1, within: 2, unconfirmed: 0, 'too-few': 2 });
    await evaluate('2026-07-02'); // re-evaluation updates, never duplicates
    const rows = await alertRows();
    assert.deepEqual(
      rows.map((row) => [row.slug, row.status, row.severity]),
      [['planted', 'open', 'warning']],
    );
    const fired = rows[0]?.fired as Figures;
    // 80 % of 10 → 30 % of 10: a relative drop of 62.5 % (critical from 100 %). Pooled share 11/20, se =
    // √(0.55 · 0.45 · (1/10 + 1/10)) = 0.22249, z = 0.5 / 0.22249 = 2.2473, one-sided p = 0.012309; with
    // Benjamini–Hochberg over the three teams tested (p 0.0123, 0.3028, 0.5): q = 0.0123 · 3 / 1 = 0.036928.
    assert.equal(fired.change, 0.625);
    assert.ok(Math.abs((fired.pValue ?? 0) - 0.012309) < 1e-6, `p ${fired.pValue}`);
    assert.ok(Math.abs((fired.qValue ?? 0) - 0.036928) < 1e-6, `q ${fired.qValue}`);
    assert.deepEqual(
      [fired.baseline.samples, fired.baseline.value, fired.baseline.round?.surveyId],
      [10, 0.8, 'pulse-q1'],
    );
    assert.deepEqual(
      [fired.recent.samples, fired.recent.value, fired.recent.round?.surveyId],
      [10, 0.3, 'pulse-q2'],
    );
  });

  test('what drove it, and every payload: the driver, both rounds, a link to the results; no withheld team', async () => {
    const [view] = await alertViews(ctx('2026-07-02'), {});
    assert.deepEqual(view?.drivers.survey, { driver: 'code-review', title: 'Code review' });
    const payloads = await handle.db
      .selectFrom('alertNotifications')
      .select(['channel', 'payload', 'deliveryId'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      payloads.map((row) => row.channel),
      ['hook', 'slack'],
    );
    const message = payloads[0]?.payload as AlertMessage;
    assert.equal(
      message.summary,
      'Favourable share of Code review for Team planted dropped (warning): 80.0 % favourable in 2026-Q1 (10 respondents) → 30.0 % favourable in 2026-Q2 (10 respondents) (-63 %)',
    );
    assert.equal(message.links.surveyResults, 'https://groundwork.acme.test/surveys/pulse-q2/results');
    assert.equal(message.links.samples, null);
    const slack = JSON.stringify(slackBody(message));
    assert.match(slack, /Survey results/);
    const channel = config.alertChannels.find((c) => c.name === 'hook');
    assert.ok(channel);
    const webhook = channelRequest(channel, payloads[0]?.deliveryId ?? '', message);
    assert.ok(typeof webhook !== 'string');
    // The API and its CSV, as the Alerts page and a spreadsheet read them.
    const app = await buildApp({
      config,
      database: handle,
      clock: fixedClock(at('2026-07-02')),
      surveys,
      // The shipped friction catalogue asks the shipped rounds, not these.
      frictionCatalogue: loadFrictionCatalogue({ surveys: loadSurveys(), org: config.org }),
      logger: false,
      webRoot: path.join(os.tmpdir(), 'groundwork-no-dashboard'),
    });
    const api = await app.inject('/api/v1/alerts');
    const csv = await app.inject('/api/v1/alerts?format=csv');
    await app.close();
    assert.equal(api.statusCode, 200);
    const listed = api.json<{ alerts: { fired: Figures; drivers: { survey?: unknown } }[] }>().alerts[0];
    assert.deepEqual(listed?.fired.recent.round?.quarter, '2026-Q2');
    assert.deepEqual(listed.drivers.survey, { driver: 'code-review', title: 'Code review' });
    assert.match(csv.body, /surveyDriver/);
    assert.match(csv.body, /code-review/);
    // Neither withheld team, nor its respondents, reaches any view or payload.
    const everything = JSON.stringify([api.body, csv.body, payloads, slack, webhook.body]);
    for (const withheld of ['shadow', 'thin']) assert.ok(!everything.includes(withheld), withheld);
  });

  test('the next round back within the threshold resolves it', async () => {
    const report = await evaluate('2026-10-01');
    assert.deepEqual(
      report?.actions.map((action) => [action.team, action.kind]),
      [['planted', 'resolve']],
    );
    assert.match(
      report?.actions[0]?.message ?? '',
      /back within the threshold in 2026-Q3: 80\.0 % favourable/,
    );
    const rows = await alertRows();
    assert.deepEqual(
      rows.map((row) => [row.slug, row.status, row.resolvedAt?.toISOString()]),
      [['planted', 'resolved', '2026-10-01T00:00:00.000Z']],
    );
  });

  test('the backtest replays the rounds: fired when Q2 was published, resolved with Q3', async () => {
    const result = await backtestRule(ctx('2026-10-15'), 'review-mood', 300);
    assert.deepEqual(describeBacktest(result), [
      'Backtest of rule review-mood (surveyDriver) over 300 days to 2026-10-15, 5 teams: 1 firing',
      '  planted: fired 2026-07-01 (warning, -63 %), resolved 2026-10-01',
      'Firings per team per quarter:',
      '  planted 2026-Q3: 1',
    ]);
    assert.deepEqual(result.firings, [
      {
        team: 'planted',
        firedAt: '2026-07-01',
        severity: 'warning',
        change: 0.625,
        resolvedAt: '2026-10-01',
      },
    ]);
    assert.deepEqual(result.perTeamPerQuarter, [{ team: 'planted', quarter: '2026-Q3', firings: 1 }]);
  });

  test('a rule on a driver no round asks about is a start-up problem naming its key path', () => {
    const problems = alertDriverProblems(
      [{ ...config.org.alerts.rules[0]!, driver: 'documentation' }],
      surveys,
    );
    assert.equal(problems[0]?.path, 'alerts.rules[0].driver');
    assert.match(problems[0]?.message ?? '', /no survey round asks about driver "documentation"/);
  });
});
