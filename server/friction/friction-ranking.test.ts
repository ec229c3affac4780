import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rankRows } from './friction-ranking.ts';
import type { FrictionRow } from './friction-ranking.ts';
import type { TeamFriction } from './team-friction.ts';

/** A row of one team: its hours from the survey (n respondents, with an interval) or from telemetry. */
function row(
  id: string,
  hoursPerWeek: number,
  source: { survey: number; interval: { low: number; high: number } } | 'telemetry',
): Omit<FrictionRow, 'rank' | 'score'> {
  const survey = source === 'telemetry' ? null : { suppressed: false, respondents: source.survey };
  const team = {
    team: { slug: id, name: id },
    basis: source === 'telemetry' ? 'telemetry' : 'survey',
    survey,
    hoursPerWeek,
  };
  return {
    friction: { id, title: id, description: null, directFix: '' },
    hoursPerWeek,
    interval: source === 'telemetry' ? null : source.interval,
    hoursPerDeveloper: null,
    developers: 8,
    breadth: { affectedTeams: 1, teams: 1, share: 1, affected: [id] },
    sources: {
      surveyHoursPerWeek: null,
      surveyTeams: 0,
      ticketCalendarHoursPerWeek: null,
      ticketBlockedHoursPerWeek: null,
      deliveryHoursPerWeek: null,
    },
    disagreement: { flagged: false, teams: [] },
    confidence: 'medium',
    confidenceReasons: [],
    trend: { previousHoursPerWeek: null, change: null },
    teams: [team as unknown as TeamFriction],
  };
}

describe('rankRows: small survey samples never outrank strong telemetry on their point figure', () => {
  const rows = [
    row('small-survey', 120, { survey: 7, interval: { low: 90, high: 150 } }),
    row('telemetry', 100, 'telemetry'),
    row('large-survey', 130, { survey: 12, interval: { low: 100, high: 160 } }),
    row('clear-small-survey', 200, { survey: 6, interval: { low: 150, high: 250 } }),
  ];

  test('by default (n < 10) a small sample is ranked by its interval’s low end, and says so', () => {
    const ranked = rankRows(rows, 'hours', 10);
    // 120 h from 7 respondents could be as little as 90: below the 100 h the telemetry measures. 200 h from
    // 6 respondents is at least 150: still first. 12 respondents are not few: ranked by their 130 h.
    assert.deepEqual(
      ranked.map((r) => [r.friction.id, r.score]),
      [
        ['clear-small-survey', 150],
        ['large-survey', 130],
        ['telemetry', 100],
        ['small-survey', 90],
      ],
    );
    assert.equal(ranked[3]!.hoursPerWeek, 120);
    assert.match(
      ranked[3]!.confidenceReasons.at(-1)!,
      /fewer than 10 respondents: ranked by the interval's low end, 90/,
    );
    assert.deepEqual(ranked[2]!.confidenceReasons, []);
  });

  test('a lower friction.confidence.minResponses ranks the same rows by their point figures', () => {
    assert.deepEqual(
      rankRows(rows, 'hours', 5).map((r) => r.friction.id),
      ['clear-small-survey', 'large-survey', 'small-survey', 'telemetry'],
    );
  });
});
