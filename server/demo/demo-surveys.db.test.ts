import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadSurveys } from '../../scorecards/load-surveys.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { normalizeOrganization } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { surveyResults } from '../surveys/surveys.service.ts';
import type { GroupFigures } from '../surveys/survey-results.ts';
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

  test('payments (4 members) and growth (3 answer) are below the threshold; the other teams show', async () => {
    const context = {
      db: first.db,
      surveys: loadSurveys(),
      minGroupSize: 5,
      hashKey: null,
      now: () => until,
    };
    for (const round of ['devex-2026-q3', 'devex-2026-q4']) {
      const results = await surveyResults(context, round);
      const bySlug = new Map(results.teams.map((t) => [t.team.slug, t.result]));
      for (const small of ['payments', 'growth'])
        assert.deepEqual(bySlug.get(small), { suppressed: true, reason: 'fewer than 5 responses' });
      // 4 + 3 = 7 responses behind the organisation's figures minus the visible teams': no team is
      // withheld to protect them, so every archetype's story shows.
      assert.deepEqual(
        results.teams.filter((t) => !t.result.suppressed).map((t) => t.team.slug),
        ['checkout', 'data-platform', 'identity', 'mobile-app', 'notifications', 'search'],
      );
    }
    const results = await surveyResults(context, 'devex-2026-q4');
    const bySlug = new Map(results.teams.map((t) => [t.team.slug, t.result]));
    const driver = (slug: string, id: string) =>
      (bySlug.get(slug) as GroupFigures).drivers.find((d) => d.driver === id)!.result;
    // The regressed team's code review turned sour this quarter: its favourable share fell.
    const review = driver('search', 'code-review');
    assert.equal(review.suppressed, false);
    if (!review.suppressed)
      assert.ok((review.vsPreviousQuarter.difference ?? 0) < -20, JSON.stringify(review));
    // The team waiting on ops says so, below the organisation.
    const ops = driver('identity', 'ops-dependencies');
    assert.equal(ops.suppressed, false);
    if (!ops.suppressed) assert.ok((ops.vsOrganization.difference ?? 0) < -20, JSON.stringify(ops));
  });
});
