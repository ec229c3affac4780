import { describe, expect, test } from 'vitest';
import { formAnswers } from './survey-form.ts';
import { choiceBars, formatPoints, HEAT_LEGEND, shadeOf, surveyTables } from './survey-tables.ts';
import type { SurveyQuestion, SurveyResultsByTeam } from './surveys.types.ts';

type GroupFigures = Extract<SurveyResultsByTeam['organization']['result'], { suppressed: false }>;
type DriverCell = GroupFigures['drivers'][number];

const none = { difference: null, reason: 'no earlier survey' };
const driver = (
  id: string,
  favourablePercent: number,
  respondents: number,
  change: number | null = null,
): DriverCell => ({
  driver: id,
  title: id,
  dimension: 'flow-state',
  result: {
    suppressed: false as const,
    respondents,
    answers: respondents,
    favourablePercent,
    // Not the Wilson interval (the server computes that): a stand-in the dashboard only prints.
    favourableInterval95: {
      low: Math.max(0, favourablePercent - 20),
      high: Math.min(100, favourablePercent + 10),
    },
    fewResponses: respondents < 10,
    neutralPercent: 0,
    unfavourablePercent: 100 - favourablePercent,
    distributionPercent: [100 - favourablePercent, 0, 0, favourablePercent, 0],
    meanScore: 3,
    vsOrganization: none,
    vsPreviousQuarter: change === null ? none : { difference: change, reason: null },
  },
});
const hidden = { suppressed: true as const, reason: 'fewer than 5 responses' };
const group = (
  responses: number,
  responseRatePercent: number | null,
  drivers: DriverCell[],
): GroupFigures => ({
  suppressed: false as const,
  responses,
  responseRatePercent,
  drivers,
  hoursLost: [
    {
      category: 'waiting-on-builds',
      result: {
        suppressed: false as const,
        respondents: responses,
        meanHoursPerWeek: 2.5,
        interval95: { low: 1.5, high: 3.5 },
        fewResponses: responses < 10,
        vsOrganization: none,
        vsPreviousQuarter: none,
      },
    },
  ],
  choices: [
    {
      question: 'biggest-slowdown',
      text: 'Which of these slows you down most?',
      result: {
        suppressed: false as const,
        respondents: responses,
        fewResponses: responses < 10,
        // Listed out of order on purpose: the bars follow the server's rank, not the array.
        options: [
          { option: 'reviews', label: 'Reviews', percent: 20, interval95: { low: 7, high: 44 }, rank: 2 },
          { option: 'builds', label: 'Builds', percent: 80, interval95: { low: 56, high: 93 }, rank: 1 },
        ],
      },
    },
    {
      question: 'tools-wanted',
      text: 'Which would help?',
      result: { suppressed: true as const, reason: 'fewer than 5 responses' },
    },
  ],
  comments: [],
});

const results: SurveyResultsByTeam = {
  survey: {
    id: 'q4',
    title: 'Q4',
    quarter: '2026-Q4',
    previousSurveyId: 'q3',
    drivers: [
      { driver: 'build-and-test', title: 'Build and test speed', dimension: 'feedback-loops' },
      { driver: 'focus-time', title: 'Focus time', dimension: 'flow-state' },
    ],
    frictionCategories: ['waiting-on-builds'],
    commentsPublished: false,
  },
  minGroupSize: 5,
  organization: {
    teamSize: 20,
    result: group(17, 85, [driver('build-and-test', 58.8, 17), driver('focus-time', 20, 17, -4.5)]),
  },
  teams: [
    { team: { slug: 'alpha', name: 'Alpha' }, teamSize: 4, result: hidden },
    {
      team: { slug: 'beta', name: 'Beta' },
      teamSize: 0,
      result: group(7, null, [
        driver('build-and-test', 100, 7, 12.5),
        { ...driver('focus-time', 0, 0), result: { ...hidden } },
      ]),
    },
  ],
};

describe('surveyTables', () => {
  test('the organisation first, then one row per team, with its responses and a cell per driver', () => {
    const { heatmap } = surveyTables(results);
    expect(heatmap.map((row) => [row.slug, row.responses])).toEqual([
      ['(organization)', '17 of 20 members (85%)'],
      ['alpha', 'fewer than 5 responses'],
      ['beta', '7 responses'],
    ]);
    expect(
      heatmap[0]?.cells.map((cell) => (cell.kind === 'figure' ? [cell.shade, cell.change] : cell.kind)),
    ).toEqual([
      ['middle', null],
      ['very-low', '−4.5 pts'],
    ]);
    expect(heatmap[2]?.cells[0]).toMatchObject({
      kind: 'figure',
      favourablePercent: 100,
      respondents: 7,
      change: '+12.5 pts',
      label:
        'Beta, Build and test speed: 100% favourable of 7 respondents (95% interval 80–100 %, few responses), +12.5 pts against q3; mean 3 of 5 (answers 1 to 5: 0%, 0%, 0%, 100%, 0%)',
      interval: '80–100 %',
      few: true,
    });
    // The organisation's 17 respondents are not few.
    expect(heatmap[0]?.cells[0]).toMatchObject({ kind: 'figure', few: false, interval: '38.8–68.8 %' });
  });

  test('a withheld group or cell carries the reason and no figure', () => {
    const { heatmap, hours } = surveyTables(results);
    expect(heatmap[1]?.cells[0]).toEqual({
      kind: 'suppressed',
      reason: 'fewer than 5 responses',
      label: 'Alpha, Build and test speed: fewer than 5 responses',
    });
    expect(heatmap[2]?.cells[1]).toMatchObject({ kind: 'suppressed', reason: 'fewer than 5 responses' });
    expect(hours[1]?.cells).toEqual([
      {
        kind: 'suppressed',
        reason: 'fewer than 5 responses',
        label: 'Alpha, Waiting on builds: fewer than 5 responses',
      },
    ]);
    expect(hours[2]?.cells[0]).toMatchObject({ kind: 'figure', meanHoursPerWeek: 2.5, respondents: 7 });
  });

  test('empty when the organisation itself is withheld', () => {
    expect(surveyTables(results).empty).toBe(false);
    expect(surveyTables({ ...results, organization: { teamSize: 20, result: hidden } }).empty).toBe(true);
  });

  test('shades change at 30, 50, 65 and 80%; points are signed', () => {
    expect([29.9, 30, 49.9, 50, 64.9, 65, 79.9, 80].map(shadeOf)).toEqual([
      'very-low',
      'low',
      'low',
      'middle',
      'middle',
      'high',
      'high',
      'very-high',
    ]);
    expect([5.2, -3, 0].map(formatPoints)).toEqual(['+5.2 pts', '−3 pts', '±0 pts']);
  });

  test('the legend names every shade with the range it stands for, in the same steps', () => {
    expect(HEAT_LEGEND).toEqual([
      { shade: 'very-low', label: '0–29 %' },
      { shade: 'low', label: '30–49 %' },
      { shade: 'middle', label: '50–64 %' },
      { shade: 'high', label: '65–79 %' },
      { shade: 'very-high', label: '80–100 %' },
    ]);
  });
});

describe('choiceBars', () => {
  test('each choice question as bars in the server’s ranking, with intervals; a withheld one says why', () => {
    const org = results.organization.result;
    if (org.suppressed) throw new Error('fixture');
    const [slowdown, tools] = choiceBars({ ...org, choices: group(7, null, []).choices });
    expect(slowdown).toMatchObject({ question: 'biggest-slowdown', reason: null, respondents: 7, few: true });
    expect(slowdown?.bars.map((bar) => [bar.rank, bar.label, bar.percent, bar.interval])).toEqual([
      [1, 'Builds', 80, '56–93 %'],
      [2, 'Reviews', 20, '7–44 %'],
    ]);
    expect(tools).toMatchObject({ reason: 'fewer than 5 responses', bars: [] });
  });
});

describe('formAnswers', () => {
  const questions = [
    { key: 'speed', version: 1, kind: 'likert', text: 'Speed' },
    { key: 'hours', version: 1, kind: 'hours', text: 'Hours' },
    { key: 'tools', version: 1, kind: 'multiple-choice', text: 'Tools', options: [] },
    { key: 'notes', version: 1, kind: 'text', text: 'Notes' },
  ] satisfies SurveyQuestion[];

  test('numbers for Likert and hours, keys for choices, and unanswered questions left out', () => {
    expect(formAnswers(questions, { speed: '4', hours: '2.5', tools: ['ci'], notes: '  slow CI ' })).toEqual({
      speed: 4,
      hours: 2.5,
      tools: ['ci'],
      notes: 'slow CI',
    });
    expect(formAnswers(questions, { speed: '', hours: ' ', tools: [], notes: '' })).toEqual({});
  });
});
