import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { openTestDatabase } from '../../test/test-database.ts';
import { createTestToken, postJson } from '../../test/ingest-app.ts';
import { everyGetRoute, walk } from '../../test/api-routes.ts';
import { buildSurveyApp } from '../../test/survey-app.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { SurveyResults } from '../surveys/survey-results.ts';
import { runSurveyCommand } from '../surveys/survey-commands.ts';
import { loadFrictionCatalogue } from '../../scorecards/load-friction.ts';
import { loadSurveys } from '../../scorecards/load-surveys.ts';
import { normalizeOrganization } from '../config/config.ts';
import { SURVEY_ORGANIZATION } from '../../test/survey-app.ts';

// The anonymity guarantee, checked from outside: a team with 4 responses (gamma) never appears in any
// endpoint or export, and no group of 1–4 responses can be worked out by subtracting visible groups from the
// organisation — in any measure (team, team × driver, hours, choices, comments), in either round, and in
// the change against the previous round. Then four attacks, each replayed over every GET route: a double
// submission to lift gamma to 5, padding gamma with answers of one's own, reading gamma's comments out of
// the organisation's pool, and polling the open round to see one person's answers move the figures.

const now = new Date('2026-11-20T12:00:00Z');
const afterClose = new Date('2027-01-10T12:00:00Z');
const CAPABILITY_IDS = loadFrictionCatalogue({
  surveys: loadSurveys(),
  org: normalizeOrganization(SURVEY_ORGANIZATION, 'survey organisation'),
}).capabilities.map((capability) => capability.id);
const K = 5;
const SECRET = 'gamma-secret';
let handle: DatabaseHandle;
/** The open Q4 round, as respondents and pollers see it. */
let app: FastifyTypebox;
/** The same database once Q4 has closed: every response counts. */
let closed: FastifyTypebox;
let admin: string;
let ingest: string;

/** Q3 (imported, closed): alpha 6, beta 7, gamma 3, delta 3. */
function q3Csv(): string {
  const rows = [['team', 'submittedAt', 'build-test-speed', 'focus-time', 'hours-waiting-builds']];
  const add = (team: string, n: number, likert: number) => {
    for (let i = 0; i < n; i++) rows.push([team, '2026-08-10', String(likert), String(likert), String(i)]);
  };
  add('alpha', 6, 4);
  add('beta', 7, 2);
  add('gamma', 3, 1);
  add('delta', 3, 5);
  return rows.map((row) => row.join(',')).join('\n');
}

/**
 * Q4 (open, posted): alpha 6, beta 7, gamma 4, delta 6. Only 3 of beta's 7 and all of delta's 6 rate the
 * documentation; gamma's four lose 33 hours to environments and write comments.
 */
function q4Responses(): unknown[] {
  const many = (n: number, make: (i: number) => Record<string, unknown>) =>
    Array.from({ length: n }, (_, i) => make(i));
  return [
    ...many(6, (i) => ({
      team: 'alpha',
      answers: { 'build-test-speed': 5, 'focus-time': 3, 'hours-waiting-builds': 1, comments: `alpha ${i}` },
    })),
    ...many(7, (i) => ({
      team: 'beta',
      answers: {
        'build-test-speed': 3,
        'focus-time': 4,
        'hours-waiting-builds': 3,
        'hours-searching': i,
        ...(i < 3 ? { documentation: 1 } : {}),
      },
    })),
    ...many(4, (i) => ({
      team: 'gamma',
      answers: {
        'build-test-speed': 1,
        'focus-time': 1,
        'hours-environments': 33,
        'biggest-slowdown': 'environments',
        comments: `${SECRET} ${i}`,
      },
    })),
    ...many(6, (i) => ({
      team: 'delta',
      answers: {
        'build-test-speed': 4,
        'focus-time': 5,
        'hours-waiting-builds': 0.5,
        'hours-searching': i,
        documentation: 4,
      },
    })),
  ];
}

before(async () => {
  handle = await openTestDatabase();
  app = await buildSurveyApp(handle, now);
  closed = await buildSurveyApp(handle, afterClose);
  admin = await createTestToken(handle, 'anonymity-admin', 'admin');
  ingest = await createTestToken(handle, 'anonymity-ingest', 'ingest');
  const imported = await app.inject({
    method: 'POST',
    url: '/api/v1/surveys/devex-2026-q3/import',
    payload: q3Csv(),
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` },
  });
  assert.equal(imported.statusCode, 200, imported.body);
  const posted = await app.inject(
    postJson('/api/v1/surveys/devex-2026-q4/responses', q4Responses(), { token: ingest }),
  );
  assert.equal(posted.statusCode, 201, posted.body);
});
after(async () => {
  await closed.close();
  await app.close();
  await handle.close();
});

const get = async (url: string, csv = false, from = closed) =>
  from.inject({ method: 'GET', url, headers: csv ? { accept: 'text/csv' } : {} });
const results = async (id: string, from = closed) => {
  const response = await get(`/api/v1/surveys/${id}/results?groupBy=team`, false, from);
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as SurveyResults;
};

type Cell = { suppressed: true; reason: string } | { suppressed: false; respondents: number };

/** Every measure's cells, organisation first: `responses`, each driver, each category, each question. */
function measures(results: SurveyResults): Map<string, { organization: Cell; teams: Map<string, Cell> }> {
  const groups = [
    { slug: '(organization)', result: results.organization.result },
    ...results.teams.map((t) => ({ slug: t.team.slug, result: t.result })),
  ];
  const byMeasure = new Map<string, Map<string, Cell>>();
  const put = (measure: string, slug: string, cell: Cell) => {
    if (!byMeasure.has(measure)) byMeasure.set(measure, new Map());
    byMeasure.get(measure)!.set(slug, cell);
  };
  const keys = [
    'responses',
    ...results.survey.drivers.map((d) => `driver:${d.driver}`),
    ...results.survey.frictionCategories.map((c) => `hours:${c}`),
  ];
  for (const { slug, result } of groups) {
    if (result.suppressed) {
      assert.deepEqual(Object.keys(result).sort(), ['reason', 'suppressed'], `${slug}: a figure leaked`);
      for (const key of keys) put(key, slug, result);
      continue;
    }
    put('responses', slug, { suppressed: false, respondents: result.responses });
    for (const d of result.drivers) put(`driver:${d.driver}`, slug, d.result);
    for (const h of result.hoursLost) put(`hours:${h.category}`, slug, h.result);
    for (const q of [...result.choices, ...result.comments]) put(`question:${q.question}`, slug, q.result);
  }
  return new Map(
    [...byMeasure].map(([measure, cells]) => {
      const organization = cells.get('(organization)') ?? { suppressed: true, reason: 'organisation hidden' };
      cells.delete('(organization)');
      return [measure, { organization, teams: cells }];
    }),
  );
}

describe('anonymity', () => {
  test('gamma (4 responses) is withheld, and so is alpha, whose figures would give gamma away', async () => {
    const q4 = await results('devex-2026-q4');
    const bySlug = Object.fromEntries(q4.teams.map((t) => [t.team.slug, t.result]));
    assert.deepEqual(bySlug['gamma'], { suppressed: true, reason: 'fewer than 5 responses' });
    // Org 23 − beta 7 − delta 6 = 10 (alpha and gamma); with alpha's 6 shown, it would be gamma's 4.
    assert.deepEqual(bySlug['alpha'], {
      suppressed: true,
      reason: 'withheld: it would reveal a group with fewer than 5 responses',
    });
    assert.equal(bySlug['beta']?.suppressed, false);
    assert.equal(bySlug['delta']?.suppressed, false);
    // Team × driver: beta's 3 documentation answers are withheld, and with them delta's 6 (org 9 − delta 6
    // would be beta's 3); the organisation's 9 show.
    const documentation = (slug: string) => {
      const result = bySlug[slug];
      assert.ok(result && !result.suppressed);
      return result.drivers.find((d) => d.driver === 'documentation')!.result;
    };
    assert.deepEqual(documentation('beta'), { suppressed: true, reason: 'fewer than 5 responses' });
    assert.equal(documentation('delta').suppressed, true);
  });

  test('in every measure of both rounds, the organisation minus the visible teams is 0 or at least 5', async () => {
    for (const id of ['devex-2026-q3', 'devex-2026-q4']) {
      for (const [measure, { organization, teams }] of measures(await results(id))) {
        const visible = [...teams.values()].filter((cell) => !cell.suppressed);
        for (const cell of visible) assert.ok(!cell.suppressed && cell.respondents >= K, `${id} ${measure}`);
        if (organization.suppressed) continue;
        const remainder =
          organization.respondents -
          visible.reduce((sum, cell) => sum + (cell.suppressed ? 0 : cell.respondents), 0);
        assert.ok(remainder === 0 || remainder >= K, `${id} ${measure}: remainder ${remainder}`);
      }
    }
  });

  test('a change against the previous round is given only between two visible figures', async () => {
    const q3 = await results('devex-2026-q3');
    const q4 = await results('devex-2026-q4');
    let compared = 0;
    const previous = new Map(q3.teams.map((t) => [t.team.slug, t.result]));
    for (const { team, result } of q4.teams) {
      if (result.suppressed) continue;
      const before = previous.get(team.slug)!;
      for (const cell of result.drivers) {
        if (cell.result.suppressed || cell.result.vsPreviousQuarter.difference === null) continue;
        assert.equal(before.suppressed, false, `${team.slug} was withheld last round`);
        const earlier = !before.suppressed && before.drivers.find((d) => d.driver === cell.driver)?.result;
        assert.ok(earlier && !earlier.suppressed, `${team.slug} ${cell.driver} was withheld last round`);
        const expected = Math.round((cell.result.favourablePercent - earlier.favourablePercent) * 10) / 10;
        assert.equal(cell.result.vsPreviousQuarter.difference, expected);
        compared += 1;
      }
    }
    // beta was visible both rounds (0% → 0% favourable builds, 0% → 100% focus) ...
    assert.ok(compared >= 2, `only ${compared} changes`);
    // ... delta (3 responses in Q3) shows in Q4, but without a change that would expose its Q3 figures.
    const delta = q4.teams.find((t) => t.team.slug === 'delta')!.result;
    assert.equal(delta.suppressed, false);
    if (!delta.suppressed) {
      for (const cell of delta.drivers) {
        if (!cell.result.suppressed) assert.equal(cell.result.vsPreviousQuarter.difference, null);
      }
    }
  });

  test('in every measure, the open round publishes the same remainder rule', async () => {
    for (const [measure, { organization, teams }] of measures(await results('devex-2026-q4', app))) {
      const visible = [...teams.values()].filter((cell) => !cell.suppressed);
      if (organization.suppressed) continue;
      const remainder =
        organization.respondents -
        visible.reduce((sum, cell) => sum + (cell.suppressed ? 0 : cell.respondents), 0);
      assert.ok(remainder === 0 || remainder >= K, `open ${measure}: remainder ${remainder}`);
    }
  });
});

describe('attacks, replayed over every GET route and export', () => {
  const postQ4 = (body: unknown, auth: { token?: string } = {}) =>
    app.inject(postJson('/api/v1/surveys/devex-2026-q4/responses', body, auth));

  test('a double submission does not lift a 4-person team to 5 (API and import)', async () => {
    const first = q4Responses().find((item) => (item as { team: string }).team === 'gamma');
    const again = await postQ4(first, { token: ingest });
    assert.equal(again.statusCode, 409, again.body);
    assert.equal((again.json() as { error: { code: string } }).error.code, 'DOUBLE_SUBMISSION');
    // The same answers twice in an export, sent on another day: one replaces gamma's stored response, the
    // other is reported as a double submission.
    const row = `gamma,2026-11-1%d,1,1,33,environments,${SECRET} 0`;
    const imported = await app.inject({
      method: 'POST',
      url: '/api/v1/surveys/devex-2026-q4/import',
      payload: [
        'team,submittedAt,build-test-speed,focus-time,hours-environments,biggest-slowdown,comments',
        row.replace('%d', '2'),
        row.replace('%d', '3'),
      ].join('\n'),
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin}` },
    });
    assert.equal(imported.statusCode, 200, imported.body);
    const report = imported.json() as { accepted: number; rejected: { kind: string }[]; written: unknown };
    assert.deepEqual(
      report.rejected.map((r) => r.kind),
      ['double-submission'],
    );
    assert.deepEqual(report.written, { added: 0, replaced: 1 });
  });

  test('padding: nobody can answer for gamma without a link issued for gamma', async () => {
    const pad = { team: 'gamma', answers: { 'focus-time': 5, comments: 'padding' } };
    const anonymous = await postQ4(pad);
    assert.equal(anonymous.statusCode, 400);
    assert.equal((anonymous.json() as { error: { field: string } }).error.field, 'body[0].token');
    const links = await runSurveyCommand(
      { db: handle.db, surveys: loadSurveys(), minGroupSize: K, hashKey: null, now: () => now },
      { action: 'links', surveyId: 'devex-2026-q4', team: 'alpha', count: 1, baseUrl: 'http://x' },
    );
    const token = decodeURIComponent(/token=([^&]+)/.exec(links.stdout[0] ?? '')?.[1] ?? '');
    const throughAlpha = await postQ4({ ...pad, token });
    assert.equal(throughAlpha.statusCode, 400);
  });

  test("pooled comments: gamma's comments are nowhere; the organisation pools only the teams shown", async () => {
    for (const from of [app, closed]) {
      const published = await results('devex-2026-q4', from);
      const org = published.organization.result;
      assert.ok(!org.suppressed);
      const pool = org.comments.find((c) => c.question === 'comments')!.result;
      const shown = published.teams.flatMap(({ result }) => {
        if (result.suppressed) return [];
        const cell = result.comments.find((c) => c.question === 'comments')!.result;
        return cell.suppressed ? [] : cell.comments;
      });
      assert.deepEqual(
        pool.suppressed ? [] : pool.comments,
        [...shown].sort((a, b) => a.localeCompare(b)),
      );
    }
  });

  test('polling the open round: one more answer changes nothing anywhere; the fifth moves it by five', async () => {
    const before = await everyGet(app);
    const beta = (i: number) => ({ team: 'beta', answers: { 'focus-time': 2, 'hours-searching': 20 + i } });
    assert.equal((await postQ4(beta(1), { token: ingest })).statusCode, 201); // beta 7 → 8: still 5 shown
    const after = await everyGet(app);
    for (const [url, body] of before) assert.equal(after.get(url), body, `${url} moved with one answer`);
    assert.equal((await postQ4([beta(2), beta(3)], { token: ingest })).statusCode, 201); // beta 10
    const moved = await results('devex-2026-q4', app);
    const shown = moved.teams.find((t) => t.team.slug === 'beta')!.result;
    assert.ok(!shown.suppressed && shown.responses === 10);
    const org = moved.organization.result;
    const was = (
      JSON.parse(
        before.get('/api/v1/surveys/devex-2026-q4/results?groupBy=team json')!.replace(/^\d+ /, ''),
      ) as SurveyResults
    ).organization.result;
    assert.ok(!org.suppressed && !was.suppressed && org.responses - was.responses === 5);
  });

  test('after all four attacks, gamma shows in no route or export, open or closed', async () => {
    await assertGammaHidden();
  });
});

/** Every GET route of the API (from its OpenAPI document) with the survey, team and metric values filled in. */
async function getUrls(): Promise<string[]> {
  const urls = (
    await everyGetRoute(app, {
      id: ['devex-2026-q3', 'devex-2026-q4', ...CAPABILITY_IDS],
      team: ['alpha', 'beta', 'gamma', 'delta'],
      metric: ['leadTime'],
    })
  )
    .flatMap((url) =>
      url.endsWith('/results')
        ? [url, `${url}?groupBy=team`, `${url}?groupBy=driver`]
        : // The round list names the round a survey panel shows for a period, and why.
          url === '/api/v1/surveys'
          ? [url, `${url}?period=last-30d`, `${url}?period=2026-Q3`]
          : [url],
    )
    .flatMap((url) =>
      // The friction views take a period (the Q4 round is open, so they read the closed Q3 round) and a team.
      /^\/api\/v1\/(friction|recommendations|readiness|reports)\b/.test(url)
        ? ['2026-Q4', '2026-Q3'].flatMap((period) => [
            `${url}?period=${period}`,
            ...(url === '/api/v1/friction' ? [`${url}?period=${period}&team=gamma`] : []),
          ])
        : [url],
    );
  assert.ok(urls.includes('/api/v1/friction?period=2026-Q4&team=gamma'));
  assert.ok(urls.some((url) => url.endsWith('devex-2026-q4/results?groupBy=driver')));
  assert.ok(urls.includes('/api/v1/surveys?period=last-30d'));
  return urls;
}

/** Every GET route's answer, as JSON and as CSV, by `url json|csv`. */
async function everyGet(from: FastifyTypebox): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  for (const url of await getUrls()) {
    for (const csv of [false, true]) {
      const response = await get(url, csv, from);
      assert.ok(response.statusCode < 500, `${url}: ${response.statusCode}`);
      bodies.set(`${url} ${csv ? 'csv' : 'json'}`, `${response.statusCode} ${response.body}`);
    }
  }
  return bodies;
}

/** Gamma (4 responses) shows in no route or export, open or closed: no figure, no comment. */
async function assertGammaHidden(): Promise<void> {
  let gammaFrictionRows = 0;
  for (const from of [app, closed]) {
    for (const url of await getUrls()) {
      for (const csv of [false, true]) {
        const response = await get(url, csv, from);
        const type = String(response.headers['content-type'] ?? '');
        assert.ok(!response.body.includes(SECRET), `${url} shows gamma's comments`);
        if (type.startsWith('text/csv')) {
          const rows = parse(response.body, { columns: true }) as Record<string, string>[];
          // Survey rows (they name a survey); other exports carry no survey figures at all.
          for (const row of rows.filter((r) => r['team'] === 'gamma' && 'survey' in r)) {
            const figures = Object.entries(row).filter(
              ([column]) => !['survey', 'team', 'measure', 'key', 'suppressed'].includes(column),
            );
            assert.ok(
              figures.every(([, value]) => value === ''),
              `${url} (CSV): ${JSON.stringify(row)}`,
            );
            assert.equal(row['suppressed'], 'fewer than 5 responses');
          }
          // Friction rows: a team's survey-derived figures are empty where the survey withholds it.
          for (const row of rows.filter((r) => r['team'] === 'gamma' && 'surveyHoursPerWeek' in r)) {
            assert.deepEqual([row['surveyHoursPerWeek'], row['surveyRespondents']], ['', ''], `${url} (CSV)`);
            assert.ok(['', 'fewer than 5 responses'].includes(row['surveySuppressed'] ?? ''), `${url} (CSV)`);
          }
        } else if (type.startsWith('application/json')) {
          walk(response.json(), '', (_path, value) => {
            if (isTeamResult(value, 'gamma'))
              assert.deepEqual(value.result, { suppressed: true, reason: 'fewer than 5 responses' }, url);
            if (isTeamFriction(value, 'gamma')) {
              gammaFrictionRows += 1;
              // null: the point asks the survey for no hours (its drivers are still checked).
              if (value.survey !== null)
                assert.deepEqual(value.survey, { suppressed: true, reason: 'fewer than 5 responses' }, url);
              for (const driver of value.drivers) assert.equal(driver.result.suppressed, true, url);
            }
          });
        }
      }
    }
  }
  assert.ok(gammaFrictionRows > 0, 'no friction row of gamma was checked');
}

/** A row of one team (`{ team: { slug } }`) carrying `key`: a friction row (`survey`), a survey result (`result`). */
function ofTeam(value: unknown, slug: string, key: string): boolean {
  if (value === null || typeof value !== 'object' || !(key in value) || !('team' in value)) return false;
  const team = (value as { team: unknown }).team;
  return typeof team === 'object' && team !== null && (team as { slug?: unknown }).slug === slug;
}

/** A friction row of one team (GET /api/v1/friction): its survey figure and driver evidence. */
const isTeamFriction = (
  value: unknown,
  slug: string,
): value is { survey: unknown; drivers: { result: { suppressed: boolean } }[] } =>
  ofTeam(value, slug, 'survey');

const isTeamResult = (value: unknown, slug: string): value is { result: unknown } =>
  ofTeam(value, slug, 'result');
