import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase } from '../../test/test-database.ts';
import { createTestToken, postJson } from '../../test/ingest-app.ts';
import { buildSurveyApp } from '../../test/survey-app.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';

const now = new Date('2026-11-20T12:00:00Z');
const Q4 = '/api/v1/surveys/devex-2026-q4';
let handle: DatabaseHandle;
let app: FastifyTypebox;
/** The same database after the Q4 round closed: every response counts. */
let closed: FastifyTypebox;
let ingest: string;

const count = async (table: 'survey_responses' | 'survey_answers') =>
  (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db)).rows[0]?.n;
const error = (response: { json: () => unknown }) =>
  (response.json() as { error: { code: string; field?: string; message: string } }).error;

/** A response whose Likert answers are all `likert`, with 2 hours waiting on builds. */
const answer = (team: string, likert: number, extra: Record<string, unknown> = {}) => ({
  team,
  answers: {
    'build-test-speed': likert,
    'review-turnaround': likert,
    'focus-time': likert,
    'hours-waiting-builds': 2,
    comments: `comment from ${team}`,
    ...extra,
  },
});
// An authenticated sender fixes the team; the public form needs a one-time link (survey-links tests).
const post = (body: unknown, survey = Q4) =>
  app.inject(postJson(`${survey}/responses`, body, { token: ingest }));
const postAnonymously = (body: unknown) => app.inject(postJson(`${Q4}/responses`, body));

before(async () => {
  handle = await openTestDatabase();
  app = await buildSurveyApp(handle, now);
  ingest = await createTestToken(handle, 'survey-sender', 'ingest');
  closed = await buildSurveyApp(handle, new Date('2027-01-10T12:00:00Z'));
});
after(async () => {
  await closed.close();
  await app.close();
  await handle.close();
});
beforeEach(async () => {
  await sql`delete from survey_responses`.execute(handle.db);
});

describe('GET /api/v1/surveys', () => {
  test('lists the shipped rounds, newest first, with their status on the clock', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/surveys' });
    assert.equal(response.statusCode, 200);
    const { surveys } = response.json() as { surveys: { id: string; status: string }[] };
    assert.deepEqual(
      surveys.map((s) => [s.id, s.status]),
      [
        ['devex-2026-q4', 'open'],
        ['devex-2026-q3', 'closed'],
      ],
    );
  });

  test('with a period: the round a survey panel shows for it and why, or none; a bad period is a 400', async () => {
    type ForPeriod = { period: string; surveyId: string | null; status: string | null; reason: string };
    const forPeriod = async (query: string, from = app) => {
      const response = await from.inject({ method: 'GET', url: `/api/v1/surveys?${query}` });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json() as { forPeriod: ForPeriod }).forPeriod;
    };
    // The last 30 days (21 Oct – 20 Nov) lie in Q4, which is still open on the clock.
    assert.deepEqual(await forPeriod('period=last-30d'), {
      period: 'last-30d',
      from: '2026-10-21T12:00:00.000Z',
      to: '2026-11-20T12:00:00.000Z',
      surveyId: 'devex-2026-q4',
      status: 'open',
      reason:
        'devex-2026-q4 (2026-10-01 to 2026-12-31) is the round that overlaps the last 30 days; it is still ' +
        'open, so its figures move only in steps of 5 responses per team.',
    });
    // 90 days reach back into Q3: the newest overlapping round, naming the other.
    const ninety = await forPeriod('period=last-90d');
    assert.equal(ninety.surveyId, 'devex-2026-q4');
    assert.match(ninety.reason, /the newest of 2 \(also devex-2026-q3\)/);
    const q3 = await forPeriod('period=2026-Q3', closed);
    assert.deepEqual([q3.surveyId, q3.status], ['devex-2026-q3', 'closed']);
    assert.equal(q3.reason, 'devex-2026-q3 (2026-07-01 to 2026-09-30) is the round that overlaps 2026-Q3.');
    // June ends where Q3 begins (the period's end is exclusive): no round, and none earlier.
    assert.deepEqual(await forPeriod('from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z'), {
      period: '2026-06-01T00:00:00.000Z/2026-07-01T00:00:00.000Z',
      from: '2026-06-01T00:00:00.000Z',
      to: '2026-07-01T00:00:00.000Z',
      surveyId: null,
      status: null,
      reason: 'No survey round overlaps 2026-06-01 to 2026-06-30.',
    });
    // A month after Q3, once Q4 has closed: none overlaps, and the nearest earlier round is named.
    const january = await forPeriod('period=2027-01', closed);
    assert.deepEqual(
      [january.surveyId, january.reason],
      [
        null,
        'No survey round overlaps 2027-01; the nearest earlier round is devex-2026-q4 (2026-10-01 to 2026-12-31).',
      ],
    );
    const bad = await app.inject({ method: 'GET', url: '/api/v1/surveys?period=someday' });
    assert.equal(bad.statusCode, 400);
    assert.equal(error(bad).field, 'period');
    // Without a period the list is as before.
    const plain = await app.inject({ method: 'GET', url: '/api/v1/surveys' });
    assert.equal('forPeriod' in (plain.json() as object), false);
  });

  test('a survey definition carries its questions and the teams to pick from; unknown is a 404', async () => {
    const response = await app.inject({ method: 'GET', url: Q4 });
    const body = response.json() as { questions: { key: string }[]; teams: { slug: string }[] };
    assert.equal(body.questions.length, 18);
    assert.deepEqual(
      body.teams.map((t) => t.slug),
      ['alpha', 'beta', 'delta', 'gamma'],
    );
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/surveys/nope' })).statusCode, 404);
  });
});

describe('POST /api/v1/surveys/:id/responses', () => {
  test('accepts one response with labels, names and option labels, and stores answers by key', async () => {
    const response = await post(
      answer('Beta Team', 4, {
        'focus-time': 'Strongly disagree',
        'biggest-slowdown': 'Slow builds and tests',
        'tools-wanted': ['faster-ci', 'Better documentation'],
      }),
    );
    assert.equal(response.statusCode, 201, response.body);
    assert.deepEqual(response.json(), { accepted: 1 });
    const stored = await handle.db
      .selectFrom('surveyAnswers')
      .select(['questionKey', 'questionVersion', 'numberValue', 'choiceKeys'])
      .orderBy('questionKey')
      .execute();
    const byKey = Object.fromEntries(stored.map((row) => [row.questionKey, row]));
    assert.equal(byKey['focus-time']?.numberValue, 1);
    assert.equal(byKey['review-turnaround']?.questionVersion, 2);
    assert.deepEqual(byKey['tools-wanted']?.choiceKeys, ['faster-ci', 'better-docs']);
    assert.deepEqual(byKey['biggest-slowdown']?.choiceKeys, ['builds']);
  });

  test('a bad item is a 400 naming it, and nothing of the batch is written', async () => {
    const cases: [unknown, string][] = [
      [[answer('alpha', 4), answer('alpha', 6)], 'body[1].answers.build-test-speed'],
      [[answer('alpha', 4), answer('omega', 4)], 'body[1].team'],
      [answer('alpha', 4, { 'hours-waiting-builds': 41 }), 'body[0].answers.hours-waiting-builds'],
      [answer('alpha', 4, { 'no-such-question': 1 }), 'body[0].answers.no-such-question'],
      [{ team: 'alpha', answers: {} }, 'body[0].answers'],
      [{ answers: { 'focus-time': 3 } }, 'body[0].team'],
      [answer('alpha', 4, { 'biggest-slowdown': ['builds', 'ops'] }), 'body[0].answers.biggest-slowdown'],
      [{ ...answer('alpha', 4), submittedAt: '2026-09-30' }, 'body[0].submittedAt'],
    ];
    for (const [body, field] of cases) {
      const response = await post(body);
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.equal(error(response).field, field, response.body);
    }
    assert.equal(await count('survey_responses'), 0);
    assert.equal(await count('survey_answers'), 0);
  });

  test('a closed survey is a 409; the same respondent again replaces, stored only as a keyed hash', async () => {
    const closed = await post(answer('alpha', 4), '/api/v1/surveys/devex-2026-q3');
    assert.equal(closed.statusCode, 409);
    // A respondent identifier replaces that person's answers, so it takes an authenticated sender.
    const anonymous = await postAnonymously({ ...answer('alpha', 2), respondent: 'Ann@Acme.test' });
    assert.equal(anonymous.statusCode, 401, anonymous.body);
    assert.equal(error(anonymous).field, 'body[0].respondent');
    assert.equal(await count('survey_responses'), 0);
    const postAs = (body: unknown) => app.inject(postJson(`${Q4}/responses`, body, { token: ingest }));
    assert.equal((await postAs({ ...answer('alpha', 2), respondent: 'Ann@Acme.test' })).statusCode, 201);
    assert.equal((await postAs({ ...answer('beta', 5), respondent: 'ann@acme.test' })).statusCode, 201);
    const rows = await handle.db.selectFrom('surveyResponses').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.match(rows[0]!.dedupeHash ?? '', /^[0-9a-f]{64}$/);
    const everything = JSON.stringify(
      (
        await sql`select r.*, a.* from survey_responses r join survey_answers a on a.response_id = r.id`.execute(
          handle.db,
        )
      ).rows,
    );
    assert.doesNotMatch(everything, /ann/i);
    const twice = await postAs([
      { ...answer('alpha', 2), respondent: 'bob' },
      { ...answer('alpha', 2), respondent: 'BOB' },
    ]);
    assert.equal(error(twice).field, 'body[1].respondent');
  });
});

/** alpha 6 responses, beta 7, gamma 4 (below 5), delta none; each person loses different hours searching. */
async function seedAnonymityCase() {
  const batch = [
    ...Array.from({ length: 6 }, (_, i) => answer('alpha', i < 3 ? 5 : 2, { 'hours-searching': i })),
    ...Array.from({ length: 7 }, (_, i) => answer('beta', 4, { 'hours-searching': i })),
    ...Array.from({ length: 4 }, (_, i) =>
      answer('gamma', 1, { comments: 'gamma secret', 'hours-searching': i }),
    ),
  ];
  const response = await post(batch);
  assert.equal(response.statusCode, 201, response.body);
}

type Group = { team: { slug: string }; result: { suppressed: boolean; reason?: string; responses?: number } };

describe('GET /api/v1/surveys/:id/results', () => {
  test('a team of 4 never shows, nor does the team that would let the org total give it away', async () => {
    await seedAnonymityCase();
    const response = await closed.inject({ method: 'GET', url: `${Q4}/results?groupBy=team` });
    assert.equal(response.statusCode, 200, response.body);
    const results = response.json() as { organization: { result: { responses: number } }; teams: Group[] };
    const bySlug = Object.fromEntries(results.teams.map((t) => [t.team.slug, t.result]));
    assert.deepEqual(bySlug['gamma'], { suppressed: true, reason: 'fewer than 5 responses' });
    assert.deepEqual(bySlug['delta'], { suppressed: true, reason: 'fewer than 5 responses' });
    // Org 17 − beta 7 would be alpha + gamma = 10; with alpha shown it would be gamma's 4: alpha is withheld.
    assert.equal(bySlug['alpha']?.suppressed, true);
    assert.equal(bySlug['alpha']?.reason, 'withheld: it would reveal a group with fewer than 5 responses');
    assert.equal(bySlug['beta']?.responses, 7);
    assert.equal(results.organization.result.responses, 17);
    // Gamma's comments are published nowhere: not per team, not in the organisation's pool.
    assert.doesNotMatch(response.body, /gamma secret/);
  });

  test('while the round is open, each team publishes its responses in steps of 5', async () => {
    await seedAnonymityCase();
    const response = await app.inject({ method: 'GET', url: `${Q4}/results?groupBy=team` });
    const results = response.json() as { organization: { result: { responses: number } }; teams: Group[] };
    const bySlug = Object.fromEntries(results.teams.map((t) => [t.team.slug, t.result]));
    // alpha 6 → 5, beta 7 → 5, gamma 4 → none; the organisation is what its teams publish.
    assert.equal(bySlug['alpha']?.responses, 5);
    assert.equal(bySlug['beta']?.responses, 5);
    assert.deepEqual(bySlug['gamma'], { suppressed: true, reason: 'fewer than 5 responses' });
    assert.equal(results.organization.result.responses, 10);
  });

  test('participation per team across rounds, as each round publishes it', async () => {
    await seedAnonymityCase();
    const response = await app.inject({ method: 'GET', url: '/api/v1/surveys/participation' });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as {
      rounds: { id: string; status: string }[];
      teams: {
        team: { slug: string };
        rounds: { surveyId: string; suppressed: boolean; responses?: number }[];
      }[];
    };
    assert.deepEqual(
      body.rounds.map((r) => [r.id, r.status]),
      [
        ['devex-2026-q3', 'closed'],
        ['devex-2026-q4', 'open'],
      ],
    );
    const alpha = body.teams.find((t) => t.team.slug === 'alpha')!.rounds;
    assert.deepEqual(alpha[1], {
      surveyId: 'devex-2026-q4',
      suppressed: false,
      responses: 5,
      responseRatePercent: 62.5,
    });
    const gamma = body.teams.find((t) => t.team.slug === 'gamma')!.rounds;
    assert.deepEqual(gamma[1], {
      surveyId: 'devex-2026-q4',
      suppressed: true,
      reason: 'fewer than 5 responses',
    });
  });

  test('groupBy=driver and the CSV export withhold the same cells', async () => {
    await seedAnonymityCase();
    const byDriver = await closed.inject({ method: 'GET', url: `${Q4}/results?groupBy=driver` });
    const body = byDriver.json() as {
      drivers: { driver: string; organization: { favourablePercent: number }; teams: Group[] }[];
    };
    const build = body.drivers.find((d) => d.driver === 'build-and-test')!;
    // Organisation: alpha 3 favourable of 6, beta 7 of 7, gamma 0 of 4 → 10 of 17 = 58.8%.
    assert.equal(build.organization.favourablePercent, 58.8);
    assert.deepEqual(
      build.teams.filter((t) => !t.result.suppressed).map((t) => t.team.slug),
      ['beta'],
    );
    const csv = await closed.inject({ method: 'GET', url: `${Q4}/results`, headers: { accept: 'text/csv' } });
    assert.equal(csv.statusCode, 200);
    const gammaRows = csv.body.split('\n').filter((line) => line.includes(',gamma,'));
    assert.ok(gammaRows.length > 0);
    // A responses row, one per driver (9) and per friction category (5), each with every figure empty.
    assert.equal(gammaRows.length, 15);
    for (const row of gammaRows)
      assert.match(row, /^devex-2026-q4,gamma,(responses|driver|hours),[a-z-]*,{9}fewer than 5 responses$/);
  });
});

describe('POST /api/v1/surveys/:id/import', () => {
  const googleForms =
    '\uFEFFTimestamp,Email Address,Which team are you on?,Builds and tests give me feedback quickly enough to stay focused.,Anything else that gets in your way?\r\n' +
    '2026/11/03 10:15:22 AM GMT,ann@acme.test,Alpha,Agree,"Two lines,\nwith a comma"\r\n' +
    '2026/11/04 09:00:00 AM GMT,bob@acme.test,Beta Team,Strongly disagree,\r\n';
  const upload = (csv: string, query = '', token?: string) =>
    app.inject({
      method: 'POST',
      url: `${Q4}/import${query}`,
      payload: csv,
      headers: { 'content-type': 'text/csv', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  test('needs an admin token', async () => {
    assert.equal((await upload(googleForms)).statusCode, 401);
    const ingest = await createTestToken(handle, 'ingest-only', 'ingest');
    assert.equal((await upload(googleForms, '', ingest)).statusCode, 403);
  });

  test('imports a Google Forms export (BOM, quoted newline), ignores e-mail, and re-imports idempotently', async () => {
    const admin = await createTestToken(handle, 'admin-import', 'admin');
    for (const attempt of [1, 2]) {
      const response = await upload(googleForms, '', admin);
      assert.equal(response.statusCode, 200, response.body);
      const report = response.json() as {
        accepted: number;
        written: { added: number; replaced: number };
        ignoredColumns: string[];
      };
      assert.equal(report.accepted, 2);
      assert.deepEqual(report.written, attempt === 1 ? { added: 2, replaced: 0 } : { added: 0, replaced: 2 });
      assert.deepEqual(report.ignoredColumns, ['Email Address']);
    }
    assert.equal(await count('survey_responses'), 2);
    const texts = await handle.db
      .selectFrom('surveyAnswers')
      .select('textValue')
      .where('textValue', 'is not', null)
      .execute();
    assert.deepEqual(texts, [{ textValue: 'Two lines,\nwith a comma' }]);
  });

  test('a rejected row is reported by line and nothing is written, unless skipInvalid', async () => {
    const admin = await createTestToken(handle, 'admin-reject', 'admin');
    const csv =
      'Timestamp;Which team are you on?;Builds and tests give me feedback quickly enough to stay focused.\n' +
      '2026-11-02 10:00:00;alpha;Agree\n' +
      '\n' +
      '2026-11-02 11:00:00;nobody;Agree\n' +
      '2026-11-02 12:00:00;beta;Sort of\n';
    const failed = await upload(csv, '', admin);
    assert.equal(failed.statusCode, 400);
    assert.equal(error(failed).field, 'line 4.team ("Which team are you on?")');
    assert.match(
      error(failed).message,
      /2 of 3 rows rejected; nothing was written: line 4: .*line 5: answers.build-test-speed/,
    );
    assert.equal(await count('survey_responses'), 0);
    const dry = (await upload(csv, '?dryRun=true', admin)).json() as {
      rejected: { line: number }[];
      written: unknown;
    };
    assert.deepEqual(
      dry.rejected.map((r) => r.line),
      [4, 5],
    );
    assert.equal(await count('survey_responses'), 0);
    const skipped = await upload(csv, '?skipInvalid=true', admin);
    assert.equal(skipped.statusCode, 200);
    assert.equal(await count('survey_responses'), 1);
  });

  test('a file that is not text or has no team column is a 400 naming the problem', async () => {
    const admin = await createTestToken(handle, 'admin-bad', 'admin');
    const binary = await app.inject({
      method: 'POST',
      url: `${Q4}/import`,
      payload: Buffer.from([0x54, 0x65, 0x61, 0x6d, 0x0a, 0xe9, 0x00, 0x0a]),
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` },
    });
    assert.equal(binary.statusCode, 400);
    assert.match(error(binary).message, /not text/);
    const noTeam = await upload('Timestamp,focus-time\n2026-11-02,4\n', '', admin);
    assert.equal(error(noTeam).field, 'map.team');
    const mapped = await upload('Squad,focus-time\nalpha,4\n', '?map.team=Squad', admin);
    assert.equal(mapped.statusCode, 200, mapped.body);
  });
});
