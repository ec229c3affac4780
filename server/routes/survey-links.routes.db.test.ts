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
import { hashLinkToken } from '../surveys/surveys.service.ts';
import type { SurveyContext } from '../surveys/surveys.service.ts';

const now = new Date('2026-11-20T12:00:00Z');
let handle: DatabaseHandle;
let app: FastifyTypebox;
let context: SurveyContext;

// The shipped Q4 survey with the owner's opt-out: answers without a link, for any team.
const open = parseSurveyFile(
  readFileSync(`${surveysFolder}/devex-2026-q4.yaml`, 'utf8')
    .replace('id: devex-2026-q4', 'id: open-q4')
    .replace('closes: 2026-12-31', 'closes: 2026-12-31\nopenForm: true'),
  'open-q4.yaml',
);

before(async () => {
  handle = await openTestDatabase();
  const surveys = [...loadSurveys(), open];
  app = await buildSurveyApp(handle, now, { surveys });
  context = { db: handle.db, surveys, minGroupSize: 5, hashKey: null, now: () => now };
});
after(async () => {
  await app.close();
  await handle.close();
});

const issue = async (surveyId: string, team: string, count?: number) => {
  const issued = await runSurveyCommand(context, {
    action: 'links',
    surveyId,
    team,
    count: count ?? null,
    baseUrl: 'http://x',
  });
  assert.equal(issued.exitCode, 0, issued.stderr.join('\n'));
  return issued.stdout.map((url) => decodeURIComponent(/token=([^&]+)/.exec(url)?.[1] ?? ''));
};
const submit = (body: Record<string, unknown>, survey = 'devex-2026-q4') =>
  app.inject(postJson(`/api/v1/surveys/${survey}/responses`, { answers: { 'focus-time': 4 }, ...body }));
const responses = async () =>
  (await sql<{ n: number }>`select count(*) as n from survey_responses`.execute(handle.db)).rows[0]?.n ?? 0;

describe('one-time links', () => {
  test('a link is issued for a team (one per member by default) and works once, for that team only', async () => {
    const links = await issue('devex-2026-q4', 'gamma');
    assert.equal(links.length, 6); // gamma has 6 members
    const before = await responses();
    assert.equal((await submit({ token: links[0] })).statusCode, 201); // no team needed: the link names it
    const again = await submit({ token: links[0] });
    assert.equal(again.statusCode, 403);
    assert.match(again.body, /already been used/);
    assert.equal((await submit({ token: 'gw_made_up' })).statusCode, 403);
    // Padding through a link: another team than the link's is refused, and nothing is used up.
    const elsewhere = await submit({ token: links[1], team: 'alpha' });
    assert.equal(elsewhere.statusCode, 400);
    assert.equal((elsewhere.json() as { error: { field: string } }).error.field, 'body[0].team');
    assert.equal((await submit({ token: links[1], team: 'Gamma' })).statusCode, 201);
    assert.equal((await responses()) - before, 2);
    const stored = await handle.db
      .selectFrom('surveyResponses as r')
      .innerJoin('teams as t', 't.id', 'r.teamId')
      .select(['t.slug', 'r.teamFixed'])
      .execute();
    assert.deepEqual(stored, [
      { slug: 'gamma', teamFixed: true },
      { slug: 'gamma', teamFixed: true },
    ]);
    // A response does not record which link it came through.
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'survey_responses'`.execute(
      handle.db,
    );
    assert.ok(columns.rows.every((row) => !/token|link/.test(row.column_name)));
  });

  test('padding: without a link or a token, nobody answers for a team', async () => {
    const before = await responses();
    const padded = await submit({ team: 'gamma' });
    assert.equal(padded.statusCode, 400);
    assert.equal((padded.json() as { error: { field: string } }).error.field, 'body[0].token');
    assert.equal(await responses(), before);
  });

  test('a link of another survey, or one issued before links named a team, is refused', async () => {
    const [other] = await issue('open-q4', 'alpha', 1);
    assert.equal((await submit({ token: other })).statusCode, 403);
    await sql`insert into survey_link_tokens (survey_id, token_hash, created_at)
      values ('devex-2026-q4', ${hashLinkToken('gw_old_link')}, now())`.execute(handle.db);
    const old = await submit({ token: 'gw_old_link', team: 'gamma' });
    assert.equal(old.statusCode, 403);
    assert.match(old.body, /names no current team/);
    const unknownTeam = await runSurveyCommand(context, {
      action: 'links',
      surveyId: 'devex-2026-q4',
      team: 'omega',
      count: 1,
      baseUrl: 'http://x',
    });
    assert.match(unknownTeam.stderr[0] ?? '', /--team: no team "omega"/);
  });

  test('an open form (the owner opted out) takes answers for any team, and they count', async () => {
    assert.equal((await submit({ team: 'delta' }, 'open-q4')).statusCode, 201);
    const [row] = await handle.db
      .selectFrom('surveyResponses')
      .select('teamFixed')
      .where('surveyId', '=', 'open-q4')
      .execute();
    assert.equal(row?.teamFixed, false);
  });
});
