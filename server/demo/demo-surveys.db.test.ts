import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadSurveys } from '../../scorecards/load-surveys.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { normalizeOrganization } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { surveyResults } from '../surveys/surveys.service.ts';
import type { GroupFigures, Suppressed } from '../surveys/survey-results.ts';
import { demoOrganization } from './demo-organization.ts';
import { loadDemoSurveyResponses } from './load-demo-surveys.ts';

const until = new Date('2026-11-25T00:00:00Z');
const org = normalizeOrganization(demoOrganization(8), 'demo');
let first: DatabaseHandle;
let second: DatabaseHandle;

const answerRows = async (handle: DatabaseHandle) =>
  (
    await sql`select r.survey_id, t.slug, r.submitted_on, a.question_key, a.number_value, a.choice_keys, a.text_value
      from survey_responses r join teams t on t.id = r.team_id join survey_answers a on a.response_id = r.id
      order by 1, 2, r.dedupe_hash, 4`.execute(handle.db)
  ).rows;

before(async () => {
  first = await openTestDatabase();
  second = await openTestDatabase();
  for (const handle of [first, second]) {
    await syncOrganization(handle.db, org, until);
    await loadDemoSurveyResponses(handle.db, org, loadSurveys(), { seed: 42, until });
  }
});
after(async () => {
  await first.close();
  await second.close();
});

describe('demo survey responses', () => {
  test('two quarters, the same rows from the same seed, and loading again adds nothing', async () => {
    const rows = await answerRows(first);
    assert.deepEqual(await answerRows(second), rows);
    const rounds = await sql<{ surveyId: string; n: number }>`
      select survey_id, count(*) as n from survey_responses group by 1 order by 1`.execute(first.db);
    assert.deepEqual(
      rounds.rows.map((r) => r.surveyId),
      ['devex-2026-q3', 'devex-2026-q4'],
    );
    const written = await loadDemoSurveyResponses(first.db, org, loadSurveys(), { seed: 42, until });
    assert.equal(
      written,
      rounds.rows.reduce((sum, r) => sum + r.n, 0),
    );
    assert.deepEqual(await answerRows(first), rows);
  });

  test('payments (4 members) is below the threshold, its complement is withheld, the others show', async () => {
    const context = {
      db: first.db,
      surveys: loadSurveys(),
      minGroupSize: 5,
      hashKey: null,
      now: () => until,
    };
    const results = await surveyResults(context, 'devex-2026-q4');
    const bySlug = new Map(results.teams.map((t) => [t.team.slug, t.result]));
    assert.deepEqual(bySlug.get('payments'), { suppressed: true, reason: 'fewer than 5 responses' });
    const withheld = results.teams.filter(
      (t) => t.result.suppressed && (t.result as Suppressed).reason.startsWith('withheld'),
    );
    assert.equal(
      withheld.length,
      1,
      JSON.stringify(results.teams.map((t) => [t.team.slug, t.result.suppressed])),
    );
    const visible = results.teams.filter((t) => !t.result.suppressed);
    assert.equal(visible.length, 6);
    // The regressed team's code review turned sour this quarter: its favourable share fell.
    const search = bySlug.get('search') as GroupFigures;
    const review = search.drivers.find((d) => d.driver === 'code-review')!.result;
    assert.equal(review.suppressed, false);
    if (!review.suppressed)
      assert.ok((review.vsPreviousQuarter.difference ?? 0) < -20, JSON.stringify(review));
  });
});
