import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadSurveys, parseSurveyFile, surveysFolder } from '../../scorecards/load-surveys.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { postJson } from '../../test/ingest-app.ts';
import { buildSurveyApp } from '../../test/survey-app.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { runSurveyCommand } from '../surveys/survey-commands.ts';

const now = new Date('2026-11-20T12:00:00Z');
let handle: DatabaseHandle;
let app: FastifyTypebox;

// The shipped Q4 survey, asking for one response per one-time link.
const linked = parseSurveyFile(
  readFileSync(`${surveysFolder}/devex-2026-q4.yaml`, 'utf8')
    .replace('id: devex-2026-q4', 'id: linked-q4')
    .replace('oneResponsePerLink: false', 'oneResponsePerLink: true'),
  'linked-q4.yaml',
);

before(async () => {
  handle = await openTestDatabase();
  app = await buildSurveyApp(handle, now, { surveys: [...loadSurveys(), linked] });
});
after(async () => {
  await app.close();
  await handle.close();
});

const submit = (token: string | undefined) =>
  app.inject(
    postJson('/api/v1/surveys/linked-q4/responses', {
      team: 'alpha',
      answers: { 'focus-time': 4 },
      ...(token === undefined ? {} : { token }),
    }),
  );

describe('one response per link', () => {
  test('a link works once; without one, or with a made-up one, nothing is written', async () => {
    const issued = await runSurveyCommand(
      { db: handle.db, surveys: [linked], minGroupSize: 5, hashKey: null, now: () => now },
      { action: 'links', surveyId: 'linked-q4', count: 2, baseUrl: 'http://x' },
    );
    const [first, second] = issued.stdout.map((url) => decodeURIComponent(url.split('token=')[1] ?? ''));
    assert.equal((await submit(undefined)).statusCode, 400);
    assert.equal((await submit('gw_made_up')).statusCode, 403);
    assert.equal((await submit(first)).statusCode, 201);
    const again = await submit(first);
    assert.equal(again.statusCode, 403);
    assert.match(again.body, /already been used/);
    assert.equal((await submit(second)).statusCode, 201);
    const responses = await sql<{ n: number }>`select count(*) as n from survey_responses`.execute(handle.db);
    assert.equal(responses.rows[0]?.n, 2);
    // A response does not record which link it came through.
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'survey_responses'`.execute(
      handle.db,
    );
    assert.ok(columns.rows.every((row) => !/token|link/.test(row.column_name)));
  });

  test('on a survey that does not require links, a link handed out still works only once', async () => {
    const issued = await runSurveyCommand(
      { db: handle.db, surveys: loadSurveys(), minGroupSize: 5, hashKey: null, now: () => now },
      { action: 'links', surveyId: 'devex-2026-q4', count: 1, baseUrl: 'http://x' },
    );
    const token = decodeURIComponent(issued.stdout[0]?.split('token=')[1] ?? '');
    const open = (body: Record<string, unknown>) =>
      app.inject(
        postJson('/api/v1/surveys/devex-2026-q4/responses', {
          team: 'alpha',
          answers: { 'focus-time': 4 },
          ...body,
        }),
      );
    const before = await sql<{ n: number }>`select count(*) as n from survey_responses`.execute(handle.db);
    assert.equal((await open({})).statusCode, 201); // no link needed
    assert.equal((await open({ token })).statusCode, 201);
    const reused = await open({ token });
    assert.equal(reused.statusCode, 403);
    assert.equal((reused.json() as { error: { field: string } }).error.field, 'body[0].token');
    assert.equal((await open({ token: 'gw_made_up' })).statusCode, 403);
    const after = await sql<{ n: number }>`select count(*) as n from survey_responses`.execute(handle.db);
    assert.equal((after.rows[0]?.n ?? 0) - (before.rows[0]?.n ?? 0), 2);
  });

  test('a token of another survey is refused', async () => {
    const other = { ...linked, id: 'linked-other' };
    const issued = await runSurveyCommand(
      { db: handle.db, surveys: [other], minGroupSize: 5, hashKey: null, now: () => now },
      { action: 'links', surveyId: 'linked-other', count: 1, baseUrl: 'http://x' },
    );
    const token = decodeURIComponent(issued.stdout[0]?.split('token=')[1] ?? '');
    assert.equal((await submit(token)).statusCode, 403);
  });
});
