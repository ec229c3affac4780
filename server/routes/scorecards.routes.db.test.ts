import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  FIXTURE_CARD,
  FIXTURE_NOW,
  FIXTURE_ORGANIZATION,
  seedScorecardFixtures,
} from '../../test/scorecard-fixtures.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { buildApp } from '../app.ts';
import type { FastifyTypebox } from '../app.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { AllTeamScorecards, TeamScorecards } from '../scorecards/scorecards.service.ts';

let handle: DatabaseHandle;
let app: FastifyTypebox;
let shippedCardsApp: FastifyTypebox;
const webRoot = mkdtempSync(path.join(os.tmpdir(), 'groundwork-web-'));
const config = {
  ...loadConfig({
    env: { GROUNDWORK_AUTH_MODE: 'open' },
    cwd: webRoot,
    fallbackOrganization: () => ({ organization: 'acme', teams: [] }),
  }),
  org: FIXTURE_ORGANIZATION,
};

before(async () => {
  handle = await openTestDatabase();
  await seedScorecardFixtures(handle.db);
  const deps = { config, database: handle, clock: fixedClock(FIXTURE_NOW), webRoot, logger: false } as const;
  app = await buildApp({ ...deps, scorecards: [FIXTURE_CARD] });
  shippedCardsApp = await buildApp(deps);
});
after(async () => {
  await app.close();
  await shippedCardsApp.close();
  await handle.close();
});

describe(`scorecard endpoints (${testEngine})`, () => {
  test("GET /api/v1/teams/:team/scorecards: the level, each rule, what is missing, and the months' history", async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/teams/search/scorecards?period=2026-09',
    });
    assert.equal(response.statusCode, 200);
    const body = response.json<TeamScorecards>();
    assert.deepEqual(
      [body.team, body.name, body.period, body.from, body.to],
      ['search', 'Search', '2026-09', '2026-09-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z'],
    );
    const [card] = body.scorecards;
    // 3 deployments ÷ 30 days × 7 = 0.7/week; 1 of 3 caused an incident: 0.3333; no commit data: no lead time.
    assert.deepEqual([card?.id, card?.level, card?.nextLevel], ['delivery', 'bronze', 'silver']);
    assert.deepEqual(
      card?.levels.map((level) => [
        level.id,
        level.passed,
        level.rules.map((r) => [r.status, r.value, r.sampleSize]),
      ]),
      [
        [
          'bronze',
          true,
          [
            ['pass', 0.7, 3],
            ['pass', 0.3333, 3],
          ],
        ],
        [
          'silver',
          false,
          [
            ['fail', 0.3333, 3],
            ['unknown', null, 0],
          ],
        ],
      ],
    );
    assert.deepEqual(
      card?.missingForNextLevel.map((r) => [r.metric, r.status, r.reason]),
      [
        ['changeFailureRate.rate', 'fail', undefined],
        ['leadTime.medianHours', 'unknown', 'no deployment in the period came with the commits it shipped'],
      ],
    );
    assert.deepEqual(
      card?.history.map((point) => [point.month, point.level]),
      [
        ['2026-05', null],
        ['2026-06', null],
        ['2026-07', null],
        ['2026-08', null],
        ['2026-09', 'bronze'],
        ['2026-10', null],
      ],
    );
  });

  test('an unknown team is a 404 and a bad period a 400, in the one error shape', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/v1/teams/nobody/scorecards' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json<{ error: { code: string } }>().error.code, 'TEAM_NOT_FOUND');
    const bad = await app.inject({ method: 'GET', url: '/api/v1/teams/search/scorecards?period=soon' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json<{ error: { code: string; field: string } }>().error.field, 'period');
  });

  test('GET /api/v1/scorecards: every active team side by side', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/scorecards?period=2026-09' });
    assert.equal(response.statusCode, 200);
    const body = response.json<AllTeamScorecards>();
    assert.deepEqual(
      body.teams.map((team) => [team.team, team.scorecards.map((card) => card.level)]),
      [
        ['payments', ['silver']], // 0.93/week, CFR 0, lead time 10 h
        ['search', ['bronze']],
      ],
    );
  });

  test('GET /api/v1/scorecards as CSV: one row per team × scorecard', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/scorecards?period=2026-09',
      headers: { accept: 'text/csv' },
    });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^text\/csv/);
    // No cell here holds a comma or a quote, so splitting on commas reads the CSV faithfully.
    assert.doesNotMatch(response.body, /"/);
    const [header, ...lines] = response.body
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const rows = lines.map((cells) =>
      Object.fromEntries((header ?? []).map((column, i) => [column, cells[i]])),
    );
    assert.deepEqual(
      rows.map((row) => [
        row['team'],
        row['scorecard'],
        row['level'],
        row['nextLevel'],
        row['missingForNextLevel'],
      ]),
      [
        ['payments', 'delivery', 'silver', '', ''],
        [
          'search',
          'delivery',
          'bronze',
          'silver',
          'changeFailureRate.rate <= 0.25 (is 0.3333); leadTime.medianHours < 48 (unknown)',
        ],
      ],
    );
    assert.equal(rows[0]?.['values.leadTime.medianHours'], '10');
    assert.equal(rows[0]?.['rulesPassed'], '4');
  });

  test('the shipped cards are served: DORA and delivery hygiene for every team', async () => {
    const response = await shippedCardsApp.inject({
      method: 'GET',
      url: '/api/v1/teams/payments/scorecards?period=2026-09',
    });
    assert.equal(response.statusCode, 200);
    const body = response.json<TeamScorecards>();
    assert.deepEqual(
      body.scorecards.map((card) => [card.id, card.history.length]),
      [
        ['delivery-hygiene', 6],
        ['dora', 6],
      ],
    );
    const csv = await shippedCardsApp.inject({
      method: 'GET',
      url: '/api/v1/scorecards?period=2026-09&format=csv',
    });
    assert.equal(csv.body.trim().split('\n').length, 1 + 2 * 2); // header + 2 teams × 2 cards
  });
});
