import { describe, expect, test } from 'vitest';
import { formAnswers } from './survey-form.ts';
import { shadeOf, surveyHeatmap } from './survey-heatmap.ts';
import type { SurveyQuestion, SurveyResultsByDriver } from './surveys.types.ts';

const change = { difference: null, reason: 'no earlier survey' };
const figures = (favourablePercent: number, respondents: number) => ({
  suppressed: false as const,
  respondents,
  answers: respondents,
  favourablePercent,
  neutralPercent: 0,
  unfavourablePercent: 100 - favourablePercent,
  vsOrganization: change,
  vsPreviousQuarter: change,
});
const hidden = { suppressed: true as const, reason: 'fewer than 5 responses' };

const results: SurveyResultsByDriver = {
  survey: { id: 'q4', title: 'Q4', quarter: '2026-Q4', previousSurveyId: null },
  minGroupSize: 5,
  drivers: [
    {
      driver: 'build-and-test',
      title: 'Build and test speed',
      dimension: 'feedback-loops',
      organization: figures(58.8, 17),
      teams: [
        { team: { slug: 'alpha', name: 'Alpha' }, result: hidden },
        { team: { slug: 'beta', name: 'Beta' }, result: figures(100, 7) },
      ],
    },
    {
      driver: 'focus-time',
      title: 'Focus time',
      dimension: 'flow-state',
      organization: figures(20, 17),
      teams: [
        { team: { slug: 'alpha', name: 'Alpha' }, result: hidden },
        { team: { slug: 'beta', name: 'Beta' }, result: figures(42.9, 7) },
      ],
    },
  ],
};

describe('surveyHeatmap', () => {
  test('the organisation first, then one row per team with a cell per driver', () => {
    const heatmap = surveyHeatmap(results);
    expect(heatmap.rows.map((row) => row.slug)).toEqual(['(organization)', 'alpha', 'beta']);
    expect(heatmap.rows[2]?.cells.map((cell) => (cell.kind === 'figure' ? cell.shade : cell.kind))).toEqual([
      'very-high',
      'low',
    ]);
  });

  test('a withheld cell carries the reason and no figure', () => {
    const cell = surveyHeatmap(results).rows[1]?.cells[0];
    expect(cell).toEqual({
      kind: 'suppressed',
      reason: 'fewer than 5 responses',
      label: 'Alpha, Build and test speed: fewer than 5 responses',
    });
  });

  test('shades change at 30, 50, 65 and 80%', () => {
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
