import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError } from '#server/config/config.ts';
import { checkScorecards, loadScorecards } from './load-cards.ts';

/** A folder holding the given card files. */
function cards(files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'groundwork-cards-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
  return folder;
}

/** A card with a bronze and a silver level; each level's rules given as YAML flow mappings. */
const card = (bronze: string[], silver: string[], id = 'delivery') => `id: ${id}
title: Delivery
levels:
  - id: bronze
    rules:
${bronze.map((rule) => `      - ${rule}`).join('\n')}
  - id: silver
    rules:
${silver.map((rule) => `      - ${rule}`).join('\n')}
`;
const rule = (metric: string, op: string, threshold: number) =>
  `{ metric: ${metric}, op: '${op}', threshold: ${threshold}, description: x }`;
const perWeek = (op: string, threshold: number) => rule('deploymentFrequency.perWeek', op, threshold);

/** The problems of the one card in a folder, as `path: message` lines. */
function problemsOf(text: string): string[] {
  const [check] = checkScorecards(cards({ 'card.yaml': text }));
  assert.ok(check);
  assert.equal(check.card, null, 'a card with problems is not loaded');
  return check.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

describe('loading scorecards', () => {
  test('the shipped cards are valid', () => {
    const checks = checkScorecards();
    assert.deepEqual(
      checks.map((check) => [path.basename(check.file), check.problems]),
      [
        ['delivery-hygiene.yaml', []],
        ['dora.yaml', []],
      ],
    );
    const dora = loadScorecards().find((c) => c.id === 'dora');
    assert.deepEqual(
      dora?.levels.map((level) => level.id),
      ['bronze', 'silver', 'gold'],
    );
    assert.equal(dora?.levels[0]?.rules[3]?.weight, 1, 'weight defaults to 1');
  });

  test('an unknown metric is named with its key path', () => {
    const [problem] = problemsOf(card([perWeek('>=', 1)], [rule('leadTime.mean', '<', 24)]));
    assert.match(
      problem ?? '',
      /^levels\[1\]\.rules\[0\]\.metric: unknown metric "leadTime\.mean"; known: .*leadTime\.medianHours/,
    );
  });

  test('a bad operator lists the allowed ones', () => {
    assert.deepEqual(problemsOf(card([perWeek('==', 1)], [perWeek('>=', 2)])), [
      'levels[0].rules[0].op: expected one of "<", "<=", ">", ">=", got string "=="',
    ]);
  });

  test('an operator rewarding the wrong direction is refused', () => {
    assert.deepEqual(problemsOf(card([perWeek('<=', 1)], [perWeek('<=', 2)])).slice(0, 1), [
      'levels[0].rules[0].op: "<=" rewards lower values, but for deploymentFrequency.perWeek higher is better; use > or >=',
    ]);
  });

  test('a duplicate level and a metric ruled on twice in one level are named', () => {
    const text = card([perWeek('>=', 1)], [perWeek('>=', 2), perWeek('>=', 3)]).replace(
      'id: silver',
      'id: bronze',
    );
    assert.deepEqual(problemsOf(text), [
      'levels[1].id: duplicate level "bronze" (already levels[0].id)',
      'levels[1].rules[1].metric: deploymentFrequency.perWeek is already ruled on in this level (levels[1].rules[0])',
    ]);
  });

  test('a level looser than a level below it on the same metric is out of order, and says which', () => {
    assert.deepEqual(problemsOf(card([perWeek('>=', 1)], [perWeek('>=', 0.5)])), [
      'levels[1].rules[0].threshold: levels out of order: "silver" asks deploymentFrequency.perWeek >= 0.5, ' +
        'looser than "bronze" below it (levels[0].rules[0]: >= 1); a higher level must be at least as strict',
    ]);
    // Lower is better for lead time: silver's < 48 is looser than bronze's < 24.
    assert.equal(
      problemsOf(
        card([rule('leadTime.medianHours', '<', 24)], [rule('leadTime.medianHours', '<', 48)]),
      )[0]?.split(':')[0],
      'levels[1].rules[0].threshold',
    );
    // Same threshold: `>=` admits the threshold `>` refused, so it is looser.
    assert.equal(problemsOf(card([perWeek('>', 1)], [perWeek('>=', 1)])).length, 1);
  });

  test('equal or stricter higher levels are in order', () => {
    const folder = cards({
      'a.yaml': card([perWeek('>=', 1)], [perWeek('>', 1)]),
      'b.yaml': card([perWeek('>=', 1)], [perWeek('>=', 1)], 'steady'),
    });
    assert.deepEqual(
      checkScorecards(folder).map((check) => check.problems),
      [[], []],
    );
  });

  test('shape problems (missing keys, unknown keys, bad weight, bad YAML) are named by key path', () => {
    assert.deepEqual(
      problemsOf(`id: Delivery
levels:
  - id: bronze
    rules:
      - { metric: leadTime.medianHours, op: '<', threshold: 24, weight: 0, colour: red }
`),
      [
        'title: is required',
        'id: expected lower-case letters, digits and -',
        'levels[0].rules[0].description: is required',
        'levels[0].rules[0].colour: unknown key (allowed here: metric, op, threshold, weight, description)',
        'levels[0].rules[0].weight: must be > 0',
      ],
    );
    assert.equal(problemsOf('id: [unclosed\n')[0]?.split(':')[0], '(YAML syntax)');
  });

  test('two files defining the same id: the second is refused', () => {
    const text = card([perWeek('>=', 1)], [perWeek('>=', 2)]);
    const checks = checkScorecards(cards({ 'a.yaml': text, 'b.yaml': text }));
    assert.deepEqual(checks[0]?.problems, []);
    assert.deepEqual(checks[1]?.problems, [
      { path: 'id', message: 'scorecard "delivery" is also defined in a.yaml' },
    ]);
  });

  test('loadScorecards stops with a ConfigError naming the file and the key path', () => {
    const folder = cards({
      'ok.yaml': card([perWeek('>=', 1)], [perWeek('>=', 2)], 'ok'),
      'bad.yaml': card([perWeek('>=', 1)], [rule('nope', '<', 1)]),
    });
    assert.throws(
      () => loadScorecards(folder),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.startsWith(`Invalid configuration in ${path.join(folder, 'bad.yaml')}:`) &&
        /levels\[1\]\.rules\[0\]\.metric: unknown metric "nope"/.test(error.message),
    );
  });
});
