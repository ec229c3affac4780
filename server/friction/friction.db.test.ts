import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase } from '../../test/test-database.ts';
import {
  frictionContext,
  frictionOrganization,
  Q3_WEEKS,
  seedFrictionFixtures,
} from '../../test/friction-fixtures.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { namedPeriod } from '../metrics/period.ts';
import { analyseFriction } from './friction-analysis.ts';
import type { FrictionAnalysis } from './friction-analysis.ts';
import { tCritical95 } from './statistics.ts';

// The planted friction of test/friction-fixtures.ts in 2026-Q3, every figure worked out by hand.
let handle: DatabaseHandle;
let analysis: FrictionAnalysis;
const org = frictionOrganization();
const round2 = (value: number) => Math.round(value * 100) / 100;

before(async () => {
  handle = await openTestDatabase();
  await seedFrictionFixtures(handle.db, org);
  analysis = await analyseFriction(frictionContext(handle.db, org), namedPeriod('2026-Q3', new Date()), {
    trend: true,
  });
});
after(async () => handle.close());

const row = (id: string) => {
  const found = analysis.rows.find((r) => r.friction.id === id);
  assert.ok(found, id);
  return found;
};
const team = (id: string, slug: string) => {
  const found = row(id).teams.find((t) => t.team.slug === slug);
  assert.ok(found, `${id} ${slug}`);
  return found;
};

describe('friction ranking on planted fixtures', () => {
  test('the closed Q3 round is the survey evidence, named with its reason', () => {
    assert.equal(analysis.round?.id, 'devex-2026-q3');
    assert.equal(analysis.round?.note, 'devex-2026-q3 covers 2026-Q3');
    assert.equal(analysis.weeks, Q3_WEEKS);
  });

  test('a dominant friction where survey hours and ticket waits agree ranks first with high confidence', () => {
    const alpha = team('broken-environments', 'alpha');
    // S = 12 developers × h̄ 5 (six 4s and six 6s); s = √(12/11); half-width = t(0.975, 11) × s/√12.
    const half = tCritical95(11) * Math.sqrt(12 / 11 / 12);
    assert.ok(alpha.survey && !alpha.survey.suppressed);
    assert.equal(alpha.survey.hoursPerWeek, 60);
    assert.equal(alpha.survey.respondents, 12);
    assert.deepEqual(alpha.survey.interval, { low: round2(12 * (5 - half)), high: round2(12 * (5 + half)) });
    assert.deepEqual(alpha.survey.interval, { low: 52.04, high: 67.96 });
    // C = 26 tickets × 300 h ÷ 13.142857 weeks = 593.48 calendar hours a week; B = C × 0.1.
    assert.equal(alpha.tickets?.tickets, 26);
    assert.equal(alpha.tickets?.calendarHoursPerWeek, round2((26 * 300) / Q3_WEEKS));
    assert.equal(alpha.tickets?.blockedHoursPerWeek, round2(((26 * 300) / Q3_WEEKS) * 0.1));
    assert.equal(alpha.tickets?.blockedHoursPerWeek, 59.35);
    assert.equal(alpha.hoursPerWeek, 60);
    assert.equal(alpha.basis, 'survey');
    assert.deepEqual(alpha.disagreement, { flagged: false, ratio: 1.01 });
    assert.equal(alpha.confidence, 'high', alpha.confidenceReasons.join('; '));
    // Delta did not answer: its survey figure is withheld and it counts with its tickets only,
    // B = 13 × 100 h ÷ 13.142857 × 0.1 = 9.89; the organisation is the sum of the teams as published.
    const delta = team('broken-environments', 'delta');
    assert.deepEqual(delta.survey, { suppressed: true, reason: 'fewer than 5 responses' });
    assert.equal(delta.hoursPerWeek, 9.89);
    assert.equal(delta.basis, 'telemetry');
    const broken = row('broken-environments');
    assert.equal(broken.rank, 1);
    assert.equal(broken.hoursPerWeek, round2(60 + 9.89));
    assert.equal(broken.confidence, 'high');
    // Affected: alpha 5 h and delta 1.65 h per developer (≥ 0.5); beta and gamma 0.
    assert.deepEqual(broken.breadth, {
      affectedTeams: 2,
      teams: 4,
      share: 0.5,
      affected: ['alpha', 'delta'],
    });
  });

  test('a survey-only signal from few responses ranks with low confidence', () => {
    const beta = team('finding-information', 'beta');
    assert.ok(beta.survey && !beta.survey.suppressed);
    // 6 × mean(2, 4, 2, 4, 2, 4) = 18; no ticket or delivery evidence for this point.
    assert.equal(beta.hoursPerWeek, 18);
    const half = tCritical95(5) * Math.sqrt(6 / 5 / 6);
    assert.deepEqual(beta.survey.interval, { low: round2(6 * (3 - half)), high: round2(6 * (3 + half)) });
    assert.equal(beta.confidence, 'low');
    assert.match(beta.confidenceReasons[0] ?? '', /only one source \(survey\) with n = 6 < 10/);
    const finding = row('finding-information');
    assert.equal(finding.hoursPerWeek, 18);
    assert.equal(finding.confidence, 'low');
    // slow-builds (1 h × 12 + 1 h × 6 + 1 h × 8 = 26) ranks above it.
    assert.equal(row('slow-builds').hoursPerWeek, 26);
    assert.deepEqual(
      analysis.rows.slice(0, 3).map((r) => r.friction.id),
      ['broken-environments', 'slow-builds', 'finding-information'],
    );
  });

  test('a strong survey/telemetry disagreement is flagged, both figures shown, confidence capped', () => {
    const gamma = team('waiting-on-ops', 'gamma');
    // S = 8 developers × 1 h = 8; B = 13 × 1000 h ÷ 13.142857 × 0.1 = 98.91: ratio 12.36 > 3.
    assert.ok(gamma.survey && !gamma.survey.suppressed);
    assert.equal(gamma.survey.hoursPerWeek, 8);
    assert.equal(gamma.telemetryHoursPerWeek, 98.91);
    assert.deepEqual(gamma.disagreement, { flagged: true, ratio: round2(98.91 / 8) });
    assert.equal(gamma.hoursPerWeek, 8, 'the survey figure, never an average');
    assert.equal(gamma.confidence, 'medium');
    assert.deepEqual(row('waiting-on-ops').disagreement, { flagged: true, teams: ['gamma'] });
  });

  test('points nothing measures rank last with no figure; the trend compares with Q2', () => {
    const last = analysis.rows.at(-1)!;
    assert.equal(last.hoursPerWeek, null);
    // Q2 has no closed round and no tickets: no figure to compare with.
    assert.deepEqual(row('broken-environments').trend, { previousHoursPerWeek: null, change: null });
  });
});
