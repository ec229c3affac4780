import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '#server/config/config.ts';
import { loadSurveys, parseSurveyFile, previousSurvey } from './load-surveys.ts';

const valid = `
id: pulse
title: Pulse
quarter: 2026-Q4
opens: 2026-10-01
closes: 2026-12-31
questions:
  - { key: focus, kind: likert, driver: focus-time, text: I can focus. }
  - { key: lost, kind: hours, category: meetings, text: Hours lost to meetings? }
`;

function problemsOf(text: string): string[] {
  try {
    parseSurveyFile(text, 'pulse.yaml');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe('survey files', () => {
  test('the shipped rounds load, share their question keys, and Q3 comes before Q4', () => {
    const surveys = loadSurveys();
    assert.deepEqual(
      surveys.map((s) => s.id),
      ['devex-2026-q3', 'devex-2026-q4'],
    );
    const [q3, q4] = surveys;
    assert.deepEqual(
      q3!.questions.map((q) => q.key),
      q4!.questions.map((q) => q.key),
    );
    assert.equal(previousSurvey(surveys, q4!)?.id, 'devex-2026-q3');
    assert.equal(previousSurvey(surveys, q3!), null);
    // Reworded in Q4, so its version moved; the key (and so the trend) stayed.
    const review = (s: typeof q3) => s!.questions.find((q) => q.key === 'review-turnaround');
    assert.deepEqual([review(q3)?.version, review(q4)?.version], [1, 2]);
  });

  test('a minimal file is valid; version defaults to 1 and the driver brings its dimension', () => {
    const survey = parseSurveyFile(valid, 'pulse.yaml');
    assert.deepEqual(survey.questions[0], {
      key: 'focus',
      version: 1,
      text: 'I can focus.',
      kind: 'likert',
      driver: 'focus-time',
      dimension: 'flow-state',
    });
  });

  test('problems are named by key path', () => {
    assert.match(
      problemsOf(valid.replace('driver: focus-time', 'driver: vibes'))[0]!,
      /^questions\[0\]\.driver: unknown driver "vibes"/,
    );
    assert.deepEqual(problemsOf(valid.replace('key: lost', 'key: focus')), [
      'questions[1].key: "focus" is used twice',
    ]);
    assert.deepEqual(problemsOf(valid.replace('closes: 2026-12-31', 'closes: 2026-09-30')), [
      'closes: is before opens',
    ]);
    assert.deepEqual(problemsOf(valid.replace('opens: 2026-10-01', 'opens: 2026-02-30')), [
      'opens: "2026-02-30" is not a real date',
    ]);
    assert.deepEqual(problemsOf(`${valid}csv: { answers: { nope: Header } }\n`), [
      'csv.answers.nope: is not a question key of this survey',
    ]);
    assert.ok(
      problemsOf(valid.replace('quarter: 2026-Q4', 'quarter: Q4')).some((p) =>
        p.startsWith('quarter: expected a quarter'),
      ),
    );
    assert.ok(
      problemsOf(valid.replace('kind: hours', 'kind: slider')).some((p) => p.startsWith('questions[1]')),
    );
  });

  test('two files with one id are refused, naming both', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'groundwork-surveys-'));
    writeFileSync(path.join(folder, 'a.yaml'), valid);
    writeFileSync(path.join(folder, 'b.yaml'), valid);
    assert.throws(() => loadSurveys(folder), /survey "pulse" is also defined in a\.yaml/);
  });

  test('a key keeps its meaning across rounds, and a rewording raises its version', () => {
    const rounds = (q1: string) => {
      const folder = mkdtempSync(path.join(os.tmpdir(), 'groundwork-surveys-'));
      writeFileSync(path.join(folder, 'q4.yaml'), valid);
      writeFileSync(
        path.join(folder, 'q1.yaml'),
        q1.replace('id: pulse', 'id: pulse-q1').replace(/2026-Q4/, '2027-Q1'),
      );
      return () => loadSurveys(folder);
    };
    // Reworded with a new version: the trend by key and driver carries on.
    const reworded = rounds(
      valid
        .replace('{ key: focus,', '{ key: focus, version: 2,')
        .replace('I can focus.', 'I get deep work done.'),
    );
    assert.deepEqual(
      reworded().map((s) => s.questions[0]?.version),
      [1, 2],
    );
    assert.throws(
      rounds(valid.replace('I can focus.', 'I get deep work done.')),
      /q1\.yaml[\s\S]*questions\[0\]\.version: "focus" version 1 is worded differently in pulse; raise the version/,
    );
    assert.throws(
      rounds(valid.replace('driver: focus-time', 'driver: documentation')),
      /questions\[0\]\.key: "focus" is likert \(driver focus-time\) in pulse; a key keeps its meaning/,
    );
    assert.throws(
      rounds(valid.replace('kind: hours, category: meetings', 'kind: text')),
      /questions\[1\]\.key: "lost" is hours \(category meetings\) in pulse/,
    );
  });
});

describe('survey settings', () => {
  const load = (surveys: unknown, env: Record<string, string> = {}) =>
    loadConfig({
      env,
      cwd: os.tmpdir(),
      fallbackOrganization: () => ({ organization: 'acme', teams: [], surveys }) as never,
    });

  test('minGroupSize defaults to 5 and is refused below 3', () => {
    assert.equal(load(undefined).org.surveys.minGroupSize, 5);
    assert.equal(load({ minGroupSize: 3 }).org.surveys.minGroupSize, 3);
    assert.throws(() => load({ minGroupSize: 2 }), /surveys\.minGroupSize/);
  });

  test('GROUNDWORK_SURVEY_HASH_KEY is read into the secrets, and refused when short', () => {
    assert.equal(load(undefined).secrets.surveyHashKey, null);
    assert.equal(
      load(undefined, { GROUNDWORK_SURVEY_HASH_KEY: 'k'.repeat(32) }).secrets.surveyHashKey,
      'k'.repeat(32),
    );
    assert.throws(
      () => load(undefined, { GROUNDWORK_SURVEY_HASH_KEY: 'short' }),
      /GROUNDWORK_SURVEY_HASH_KEY: expected at least 16/,
    );
  });
});
