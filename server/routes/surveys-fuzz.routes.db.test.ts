import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadSurveys, parseSurveyFile, surveysFolder } from '../../scorecards/load-surveys.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { createTestToken, postJson } from '../../test/ingest-app.ts';
import { buildSurveyApp } from '../../test/survey-app.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { SeededRandom } from '../demo/seeded-random.ts';
import { runSurveyCommand } from '../surveys/survey-commands.ts';

// Many random, mutated and truncated inputs: each is a clean accept or a 4xx with a reason, never a 5xx,
// and a refused request writes nothing (the response count moves only by what an accept reports).

const now = new Date('2026-11-20T12:00:00Z');
const Q4 = '/api/v1/surveys/devex-2026-q4';
const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/surveys');
let handle: DatabaseHandle;
let app: FastifyTypebox;
let admin: string;
let ingest: string;

const responses = async () =>
  (await sql<{ n: number }>`select count(*) as n from survey_responses`.execute(handle.db)).rows[0]?.n ?? 0;

/** Everything intake writes (responses, answers, which links are used), as one digest: a refused request
 * must leave it unchanged, not only the response count. */
const stored = async () =>
  (
    await sql<{ digest: string }>`
      select concat_ws('/',
        (select md5(coalesce(string_agg(r::text, '|' order by r.id), '')) from survey_responses r),
        (select md5(coalesce(string_agg(a::text, '|' order by a.response_id, a.question_key), '')) from survey_answers a),
        (select md5(coalesce(string_agg(l::text, '|' order by l.id), '')) from survey_link_tokens l)
      ) as digest`.execute(handle.db)
  ).rows[0]?.digest;

// The shipped Q4 survey with an open form: answers need no link (the shipped one needs one).
const linked = parseSurveyFile(
  readFileSync(`${surveysFolder}/devex-2026-q4.yaml`, 'utf8')
    .replace('id: devex-2026-q4', 'id: linked-q4')
    .replace('closes: 2026-12-31', 'closes: 2026-12-31\nopenForm: true'),
  'linked-q4.yaml',
);
let tokens: string[] = [];

before(async () => {
  handle = await openTestDatabase();
  app = await buildSurveyApp(handle, now, { surveys: [...loadSurveys(), linked] });
  admin = await createTestToken(handle, 'fuzz-admin', 'admin');
  ingest = await createTestToken(handle, 'fuzz-ingest', 'ingest');
  const context = {
    db: handle.db,
    surveys: [...loadSurveys(), linked],
    minGroupSize: 5,
    hashKey: null,
    now: () => now,
  };
  for (const surveyId of ['devex-2026-q4', 'linked-q4']) {
    const issued = await runSurveyCommand(context, {
      action: 'links',
      surveyId,
      team: 'alpha',
      count: 20,
      baseUrl: 'http://x',
    });
    tokens = tokens.concat(
      issued.stdout.map((url) => decodeURIComponent(/token=([^&]+)/.exec(url)?.[1] ?? '')),
    );
  }
});
after(async () => {
  await app.close();
  await handle.close();
});

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  3.5,
  6,
  1e308,
  '',
  ' ',
  'Agree',
  'agree ',
  'x'.repeat(5000),
  '\u0000',
  '\uD800',
  [],
  [1],
  {},
  { a: 1 },
  'Strongly agree',
  '2,5',
  'builds',
  ['builds', 'ops'],
  'faster-ci; better-docs',
  '40.0001',
];
const KEYS = [
  'build-test-speed',
  'hours-waiting-builds',
  'biggest-slowdown',
  'tools-wanted',
  'comments',
  'nope',
  '__proto__',
  'constructor',
];
const TEAMS: unknown[] = ['alpha', 'Beta Team', 'GAMMA', 'omega', '', 7, null, ['alpha'], 'x'.repeat(300)];

function randomResponse(random: SeededRandom): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (let i = random.integer(0, 4); i > 0; i--) answers[random.pick(KEYS)] = random.pick(ODD_VALUES);
  const response: Record<string, unknown> = { team: random.pick(TEAMS), answers };
  if (random.chance(0.2)) response['respondent'] = random.pick(['ann', '', 5, 'ANN', 'x'.repeat(400)]);
  if (random.chance(0.3)) response['token'] = random.pick([...tokens, 'gw_made_up', '', 7, null]);
  if (random.chance(0.2))
    response['submittedAt'] = random.pick(['2026-11-01', '2026-13-45', 'yesterday', '2027-01-01', 12]);
  if (random.chance(0.1)) response['extra'] = 1;
  if (random.chance(0.1)) delete response['answers'];
  return response;
}

/** Up to 300 random characters, weighted towards the ones that matter to CSV and JSON. */
function randomText(random: SeededRandom): string {
  const alphabet = [
    '"',
    ',',
    ';',
    '\n',
    '\r',
    '{',
    '}',
    '[',
    ']',
    ':',
    '\\',
    'a',
    '1',
    ' ',
    '\u00e9',
    '\ufeff',
    '\u0000',
  ];
  return Array.from({ length: random.integer(0, 300) }, () => random.pick(alphabet)).join('');
}

describe('fuzzing the intake', () => {
  test('JSON: 400 random, truncated and mutated bodies', async () => {
    const random = new SeededRandom(1, 'json-fuzz');
    let accepted = 0;
    for (let round = 0; round < 400; round++) {
      const batch = Array.from({ length: random.integer(1, 4) }, () =>
        random.chance(0.3)
          ? {
              // A link fixes its team (alpha): the team may be left out, or name another (refused).
              ...(random.chance(0.5)
                ? { token: random.pick(tokens), ...(random.chance(0.5) ? {} : { team: 'alpha' }) }
                : { team: random.pick(['alpha', 'Beta Team']) }),
              answers: { 'focus-time': random.integer(1, 5), 'hours-searching': random.integer(0, 40) },
            }
          : randomResponse(random),
      );
      let body = JSON.stringify(random.chance(0.3) ? batch[0] : batch);
      if (random.chance(0.25)) body = body.slice(0, random.integer(0, body.length)); // truncated
      if (random.chance(0.05)) body = random.pick(['', 'null', '[]', '"x"', '{"__proto__":{"a":1}}', '[[]]']);
      if (random.chance(0.05)) body = randomText(random);
      const survey = random.chance(0.2) ? '/api/v1/surveys/linked-q4' : Q4;
      const before = await responses();
      const digest = await stored();
      const response = await app.inject(
        postJson(`${survey}/responses`, body, random.chance(0.3) ? { token: ingest } : {}),
      );
      assert.ok(
        response.statusCode < 500,
        `round ${round}: ${response.statusCode} ${response.body} for ${body}`,
      );
      const after = await responses();
      if (response.statusCode === 201) {
        const { accepted: n } = response.json() as { accepted: number };
        accepted += 1;
        // New responses, or replacements of a respondent's earlier one: never more than were accepted.
        assert.ok(after - before <= n && after >= before, `round ${round}`);
      } else {
        assert.ok(response.statusCode >= 400, `round ${round}: ${response.statusCode}`);
        assert.ok((response.json() as { error: { message: string } }).error.message.length > 0);
        assert.equal(await stored(), digest, `round ${round}: a refused request changed what is stored`);
        assert.equal(after, before);
      }
    }
    assert.ok(accepted > 0, 'the fuzzer never produced an acceptable body');
    const used = await sql<{ n: number }>`
      select count(*) as n from survey_link_tokens where used_at is not null`.execute(handle.db);
    assert.ok((used.rows[0]?.n ?? 0) > 0, 'the fuzzer never used a link');
  });

  test('CSV: 300 truncated and mutated exports', async () => {
    const random = new SeededRandom(2, 'csv-fuzz');
    const sources = ['google-forms.csv', 'microsoft-forms.csv', 'typeform.csv', 'awkward-rows.csv'].map(
      (name) =>
        Buffer.from(
          // The fixtures name the demo's teams; this app has alpha, beta, gamma and delta.
          readFileSync(path.join(fixtures, name), 'utf8')
            .replace(/Payments|payments/g, 'alpha')
            .replace(/Checkout/g, 'beta')
            .replace(/Search/g, 'gamma'),
        ),
    );
    let imported = 0;
    for (let round = 0; round < 300; round++) {
      let bytes = random.chance(0.05) ? Buffer.from(randomText(random)) : Buffer.from(random.pick(sources));
      if (random.chance(0.5)) bytes = bytes.subarray(0, random.integer(0, bytes.length));
      for (let flips = random.integer(0, 3); flips > 0 && bytes.length > 0; flips--) {
        bytes = Buffer.from(bytes);
        bytes[random.integer(0, bytes.length - 1)] = random.pick([
          0x22, 0x2c, 0x3b, 0x0a, 0x0d, 0x00, 0xff, 0xc3,
        ]);
      }
      const query = random.pick(['', '?skipInvalid=true', '?dryRun=true', '?map.team=Nope']);
      const before = await responses();
      const digest = await stored();
      const response = await app.inject({
        method: 'POST',
        url: `${Q4}/import${query}`,
        payload: bytes,
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` },
      });
      assert.ok(response.statusCode < 500, `round ${round}: ${response.statusCode} ${response.body}`);
      const after = await responses();
      if (response.statusCode === 200) {
        const report = response.json() as { accepted: number; written: { added: number } };
        assert.equal(after - before, report.written.added, `round ${round}`);
        if (report.written.added > 0) imported += 1;
      } else {
        assert.ok(response.statusCode >= 400 && response.statusCode < 500);
        assert.equal(await stored(), digest, `round ${round}: a refused import changed what is stored`);
        assert.equal(after, before);
      }
    }
    assert.ok(imported > 0, 'the fuzzer never produced an importable file');
  });
});
