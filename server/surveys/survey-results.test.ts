import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSurveyFile } from '../../scorecards/load-surveys.ts';
import type { StoredSurveyResponse } from '../db/survey-responses.repository.ts';
import { computeSurveyResults } from './survey-results.ts';
import type { GroupFigures, SurveyTeam } from './survey-results.ts';

const definition = (id: string, quarter: string) =>
  parseSurveyFile(
    `
id: ${id}
title: ${id}
quarter: ${quarter}
opens: 2026-01-01
closes: 2026-12-31
questions:
  - { key: speed, kind: likert, driver: build-and-test, text: Fast builds. }
  - { key: trust, kind: likert, driver: build-and-test, text: Trusted tests. }
  - { key: focus, kind: likert, driver: focus-time, text: Focus. }
  - { key: builds, kind: hours, category: waiting-on-builds, text: Hours? }
  - { key: pick, kind: single-choice, text: Pick, options: [{ key: a, label: A }, { key: b, label: B }] }
  - { key: notes, kind: text, text: Notes }
`,
    `${id}.yaml`,
  );
const q3 = definition('q3', '2026-Q3');
const q4 = definition('q4', '2026-Q4');
const teams: SurveyTeam[] = [
  { id: 1, slug: 'red', name: 'Red', size: 10 },
  { id: 2, slug: 'blue', name: 'Blue', size: 8 },
];

/** A response of `teamId` with the given answers (numbers, a choice, a note). */
function response(teamId: number, answers: Record<string, number | string>): StoredSurveyResponse {
  return {
    teamId,
    teamFixed: true,
    answers: new Map(
      Object.entries(answers).map(([key, value]) => [
        key,
        typeof value === 'number'
          ? { number: value, choices: null, text: null }
          : key === 'pick'
            ? { number: null, choices: [value], text: null }
            : { number: null, choices: null, text: value },
      ]),
    ),
  };
}
const repeat = (n: number, make: (i: number) => StoredSurveyResponse) =>
  Array.from({ length: n }, (_, i) => make(i));

describe('computeSurveyResults', () => {
  test('percent favourable, hours, choices, comments, rates and changes, computed by hand', () => {
    // red: 5 responses; speed 5,4,3,2,1 and trust 4,4,4,4,4 → 10 build-and-test answers.
    const red = repeat(5, (i) =>
      response(1, { speed: 5 - i, trust: 4, builds: i, pick: i < 3 ? 'a' : 'b', notes: `n${4 - i}` }),
    );
    // blue: 6 responses, all speed 2, no trust → 0 of 6 favourable; 6 hours each.
    const blue = repeat(6, () => response(2, { speed: 2, builds: 6 }));
    // q3: red all speed 1 (0% favourable), blue all speed 5 (100%).
    const previous = [
      ...repeat(5, () => response(1, { speed: 1 })),
      ...repeat(5, () => response(2, { speed: 5 })),
    ];
    const results = computeSurveyResults({
      current: { survey: q4, responses: [...red, ...blue] },
      previous: { survey: q3, responses: previous },
      teams,
      minGroupSize: 5,
      publishComments: true,
    });
    const redResult = results.teams.find((t) => t.team.slug === 'red')!.result as GroupFigures;
    // red build-and-test: speed 5,4 favourable, 3 neutral, 2,1 unfavourable; trust 5 × 4 favourable.
    // favourable 7 of 10 = 70%, neutral 1 of 10 = 10%, unfavourable 2 of 10 = 20%.
    const build = redResult.drivers.find((d) => d.driver === 'build-and-test')!.result;
    assert.ok(!build.suppressed);
    assert.deepEqual(
      [
        build.respondents,
        build.answers,
        build.favourablePercent,
        build.neutralPercent,
        build.unfavourablePercent,
      ],
      [5, 10, 70, 10, 20],
    );
    // Organisation: red's 7 favourable of 10 + blue's 0 of 6 → 7 of 16 = 43.75% → 43.8 shown; 70 − 43.8 = 26.2.
    assert.deepEqual(build.vsOrganization, { difference: 26.2, reason: null });
    // Previous quarter red: 0 of 5 favourable → +70 points.
    assert.deepEqual(build.vsPreviousQuarter, { difference: 70, reason: null });
    // red hours 0+1+2+3+4 = 10 over 5 → 2; org (10 + 36) / 11 = 4.18 → 4.2 shown; 2 − 4.2 = −2.2.
    const hours = redResult.hoursLost[0]!.result;
    assert.ok(!hours.suppressed);
    assert.deepEqual([hours.meanHoursPerWeek, hours.vsOrganization.difference], [2, -2.2]);
    // red hours 0–4: sample standard deviation 1.58, t(4) = 2.776 → 2 ± 1.96 → 0 (not below) to 4.
    assert.deepEqual(hours.interval95, { low: 0, high: 4 });
    // The Likert distribution and mean beside the favourable share: 1,2,3 once each, 4 six times, 5 once.
    assert.deepEqual(build.distributionPercent, [10, 10, 10, 60, 10]);
    assert.equal(build.meanScore, 3.5);
    // Response rate 5 of 10 members = 50%.
    assert.equal(redResult.responseRatePercent, 50);
    const pick = redResult.choices[0]!.result;
    assert.ok(!pick.suppressed);
    assert.deepEqual(
      pick.options.map((o) => [o.option, o.percent, o.rank]),
      [
        ['a', 60, 1],
        ['b', 40, 2],
      ],
    );
    const notes = redResult.comments[0]!.result;
    assert.ok(!notes.suppressed);
    assert.deepEqual(notes.comments, ['n0', 'n1', 'n2', 'n3', 'n4']);
    // Wilson 95% (z = 1.96, z² = 3.8416) at n = 5: z²/n = 0.76832, so the denominator is 1.76832.
    // a, 3 of 5: centre (0.6 + 0.38416) / 1.76832 = 0.55655, half 1.96 × √(0.24/5 + 0.038416) / 1.76832
    // = 0.32583 → 23.1 to 88.2 %; b, 2 of 5, mirrors it: 11.8 to 76.9 %.
    assert.deepEqual(
      pick.options.map((o) => o.interval95),
      [
        { low: 23.1, high: 88.2 },
        { low: 11.8, high: 76.9 },
      ],
    );
    // red build-and-test, 70 % favourable over 5 respondents: centre 1.08416 / 1.76832 = 0.61310, half
    // 1.96 × √(0.21/5 + 0.038416) / 1.76832 = 0.31431 → 29.9 to 92.7 %. Five respondents: few responses.
    assert.deepEqual(build.favourableInterval95, { low: 29.9, high: 92.7 });
    assert.deepEqual([build.fewResponses, hours.fewResponses, pick.fewResponses], [true, true, true]);
    // blue, 0 of 6 favourable: z²/n = 0.64027; centre = half = (3.8416/12) / 1.64027 = 0.19517 → 0 to 39 %.
    const blueResult = results.teams.find((t) => t.team.slug === 'blue')!.result as GroupFigures;
    const blueBuild = blueResult.drivers.find((d) => d.driver === 'build-and-test')!.result;
    assert.ok(!blueBuild.suppressed);
    assert.deepEqual(blueBuild.favourableInterval95, { low: 0, high: 39 });
    // The organisation's 11 respondents are no longer few.
    const orgBuild = (results.organization.result as GroupFigures).drivers[0]!.result;
    assert.equal(!orgBuild.suppressed && orgBuild.fewResponses, false);
    // focus-time: nobody answered → below the threshold everywhere.
    assert.deepEqual(redResult.drivers.find((d) => d.driver === 'focus-time')!.result, {
      suppressed: true,
      reason: 'fewer than 5 responses',
    });
  });

  test('free text is served only when the organisation opts in (surveys.publishComments)', () => {
    const responses = repeat(5, (i) => response(1, { speed: 4, notes: `note ${i}` }));
    const results = computeSurveyResults({
      current: { survey: q4, responses },
      previous: null,
      teams,
      minGroupSize: 5,
    });
    assert.equal(results.survey.commentsPublished, false);
    assert.deepEqual((results.teams.find((t) => t.team.slug === 'red')!.result as GroupFigures).comments, []);
    assert.deepEqual((results.organization.result as GroupFigures).comments, []);
    assert.ok(!JSON.stringify(results).includes('note 1'));
  });

  test('a team × driver cell below the threshold takes its complement with it, even when teams show', () => {
    // red 5 and blue 6 responses overall (both shown); focus answered by 4 of red and 6 of blue: red's
    // focus cell is below 5, so blue's focus cell goes too (org − blue would be red's 4), org's stays (10).
    const responses = [
      ...repeat(5, (i) => response(1, i < 4 ? { speed: 4, focus: 1 } : { speed: 4 })),
      ...repeat(6, () => response(2, { speed: 4, focus: 5 })),
    ];
    const results = computeSurveyResults({
      current: { survey: q4, responses },
      previous: null,
      teams,
      minGroupSize: 5,
    });
    const focusOf = (slug: string) =>
      (results.teams.find((t) => t.team.slug === slug)!.result as GroupFigures).drivers.find(
        (d) => d.driver === 'focus-time',
      )!.result;
    assert.deepEqual(focusOf('red'), { suppressed: true, reason: 'fewer than 5 responses' });
    assert.equal(focusOf('blue').suppressed, true);
    const org = (results.organization.result as GroupFigures).drivers.find(
      (d) => d.driver === 'focus-time',
    )!.result;
    assert.ok(!org.suppressed && org.respondents === 10);
    // Build-and-test is shown for both (5 and 6), with no earlier round to compare with.
    const build = (results.teams[0]!.result as GroupFigures).drivers[0]!.result;
    assert.ok(!build.suppressed);
    assert.deepEqual(build.vsPreviousQuarter, { difference: null, reason: 'no earlier survey' });
  });

  test('an empty round suppresses everything, organisation included', () => {
    const results = computeSurveyResults({
      current: { survey: q4, responses: [] },
      previous: null,
      teams,
      minGroupSize: 5,
    });
    assert.deepEqual(results.organization.result, { suppressed: true, reason: 'fewer than 5 responses' });
    assert.ok(results.teams.every((t) => t.result.suppressed));
  });

  test('choices are ranked by share, and an answer that is not an option counts as "other"', () => {
    const responses = repeat(5, (i) =>
      response(1, { speed: 4, pick: i < 3 ? 'b' : i === 3 ? 'a' : 'other' }),
    );
    const results = computeSurveyResults({
      current: { survey: q4, responses },
      previous: null,
      teams,
      minGroupSize: 5,
    });
    const pick = (results.teams.find((t) => t.team.slug === 'red')!.result as GroupFigures).choices[0]!
      .result;
    assert.ok(!pick.suppressed);
    assert.deepEqual(
      pick.options.map((o) => [o.option, o.percent, o.rank]),
      [
        ['b', 60, 1],
        ['a', 20, 2],
        ['other', 20, 3],
      ],
    );
  });

  test('while a round is open, each team publishes its first responses in steps of 5', () => {
    // red 9 (5 published), blue 4 (none): the organisation is red's 5, so it gives blue's 4 away nowhere.
    const responses = [
      ...repeat(9, (i) => response(1, { speed: 5, notes: `red ${i}` })),
      ...repeat(4, (i) => response(2, { speed: 1, notes: `blue ${i}` })),
    ];
    const results = computeSurveyResults({
      current: { survey: q4, responses, open: true },
      previous: null,
      teams,
      minGroupSize: 5,
      publishComments: true,
    });
    const red = results.teams.find((t) => t.team.slug === 'red')!.result as GroupFigures;
    const org = results.organization.result as GroupFigures;
    assert.equal(red.responses, 5);
    assert.equal(org.responses, 5);
    const speed = org.drivers.find((d) => d.driver === 'build-and-test')!.result;
    assert.ok(!speed.suppressed && speed.favourablePercent === 100);
    const pool = org.comments.find((c) => c.question === 'notes')!.result;
    assert.ok(!pool.suppressed);
    assert.deepEqual(pool.comments, ['red 0', 'red 1', 'red 2', 'red 3', 'red 4']);
  });

  test("closed: the organisation's comments pool only the teams shown, never a withheld team's", () => {
    const responses = [
      ...repeat(6, (i) => response(1, { speed: 5, notes: `red ${i}` })),
      ...repeat(4, (i) => response(2, { speed: 1, notes: `blue ${i}` })),
    ];
    const results = computeSurveyResults({
      current: { survey: q4, responses },
      previous: null,
      teams,
      minGroupSize: 5,
      publishComments: true,
    });
    const org = results.organization.result as GroupFigures;
    assert.equal(org.responses, 10);
    const pool = org.comments.find((c) => c.question === 'notes')!.result;
    // red (6) is withheld too (10 − 6 would be blue's 4), so no team's comments are published at all.
    assert.deepEqual(pool, {
      suppressed: true,
      reason: 'comments are published only for teams with at least 5 responses',
    });
  });
});
