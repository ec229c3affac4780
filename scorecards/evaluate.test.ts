import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MetricKey, MetricReading } from '#server/metrics/registry.ts';
import { evaluateScorecard } from './evaluate.ts';
import type { Scorecard, ScorecardRule } from './scorecard.schema.ts';

const rule = (metric: MetricKey, op: ScorecardRule['op'], threshold: number, weight = 1): ScorecardRule => ({
  metric,
  op,
  threshold,
  weight,
  description: `${metric} ${op} ${threshold}`,
});

const card: Scorecard = {
  id: 'delivery',
  title: 'Delivery',
  description: null,
  file: 'delivery.yaml',
  levels: [
    {
      id: 'bronze',
      title: 'Bronze',
      description: null,
      rules: [rule('deploymentFrequency.perWeek', '>=', 1), rule('changeFailureRate.rate', '<=', 0.15)],
    },
    {
      id: 'silver',
      title: 'Silver',
      description: null,
      rules: [
        rule('deploymentFrequency.perWeek', '>=', 3, 1),
        rule('leadTime.medianHours', '<', 168, 3),
        rule('changeFailureRate.rate', '<=', 0.1, 2),
      ],
    },
    {
      id: 'gold',
      title: 'Gold',
      description: null,
      rules: [rule('leadTime.medianHours', '<', 24, 2), rule('recoveryTime.medianHours', '<', 1, 3)],
    },
  ],
};

/** Readings from plain values: a null value gets a reason, every value a sample size of 10. */
function readings(values: Partial<Record<MetricKey, number | null>>): (key: MetricKey) => MetricReading {
  return (key) => {
    const value = values[key] ?? null;
    return value === null
      ? { value, sampleSize: 0, reason: 'no data in the period' }
      : { value, sampleSize: 10 };
  };
}

const statuses = (result: ReturnType<typeof evaluateScorecard>) =>
  result.levels.map((level) => level.rules.map((r) => r.status));

describe('scorecard evaluation', () => {
  test('passing every rule earns the top level, with nothing missing', () => {
    const result = evaluateScorecard(
      card,
      readings({
        'deploymentFrequency.perWeek': 10,
        'changeFailureRate.rate': 0.04,
        'leadTime.medianHours': 12,
        'recoveryTime.medianHours': 0.5,
      }),
    );
    assert.deepEqual([result.level, result.levelTitle, result.nextLevel], ['gold', 'Gold', null]);
    assert.deepEqual(result.missingForNextLevel, []);
    assert.ok(result.levels.every((level) => level.passed));
    const leadTime = result.levels[1]?.rules[1];
    assert.deepEqual(leadTime, {
      metric: 'leadTime.medianHours',
      label: 'Lead time for changes (median)',
      unit: 'hours',
      op: '<',
      threshold: 168,
      weight: 3,
      description: 'leadTime.medianHours < 168',
      status: 'pass',
      value: 12,
      sampleSize: 10,
    });
  });

  test("passing gold's rules but failing silver's leaves the team at bronze", () => {
    // CFR 0.12: ≤ 0.15 passes bronze, > 0.10 fails silver; gold's own rules (12 h < 24, 0.5 h < 1) pass.
    const result = evaluateScorecard(
      card,
      readings({
        'deploymentFrequency.perWeek': 10,
        'changeFailureRate.rate': 0.12,
        'leadTime.medianHours': 12,
        'recoveryTime.medianHours': 0.5,
      }),
    );
    assert.equal(result.level, 'bronze');
    assert.deepEqual(
      result.levels.map((level) => level.passed),
      [true, false, true],
    );
    assert.equal(result.nextLevel, 'silver');
    assert.deepEqual(
      result.missingForNextLevel.map((r) => [r.metric, r.status, r.value]),
      [['changeFailureRate.rate', 'fail', 0.12]],
    );
  });

  test('a rule on a null metric is unknown, carries the reason, and does not pass', () => {
    const result = evaluateScorecard(
      card,
      readings({
        'deploymentFrequency.perWeek': 10,
        'changeFailureRate.rate': 0.04,
        'leadTime.medianHours': 12,
        'recoveryTime.medianHours': null,
      }),
    );
    assert.equal(result.level, 'silver');
    assert.deepEqual(statuses(result), [
      ['pass', 'pass'],
      ['pass', 'pass', 'pass'],
      ['pass', 'unknown'],
    ]);
    assert.deepEqual(result.missingForNextLevel[0], {
      ...result.levels[2]?.rules[1],
      status: 'unknown',
      value: null,
      sampleSize: 0,
      reason: 'no data in the period',
    });
    // Unknown on the first level: no level at all.
    const none = evaluateScorecard(card, readings({ 'deploymentFrequency.perWeek': 10 }));
    assert.deepEqual([none.level, none.levelTitle, none.nextLevel], [null, null, 'bronze']);
    assert.deepEqual(
      none.missingForNextLevel.map((r) => [r.metric, r.status]),
      [['changeFailureRate.rate', 'unknown']],
    );
  });

  test("what is missing for the next level is the next level's failing and unknown rules, heaviest first", () => {
    // Bronze passes (2 ≥ 1, 0.12 ≤ 0.15). Silver: 2 < 3 fails (weight 1), lead time null (weight 3),
    // 0.12 > 0.10 fails (weight 2) → lead time, change failure rate, deployment frequency.
    const result = evaluateScorecard(
      card,
      readings({ 'deploymentFrequency.perWeek': 2, 'changeFailureRate.rate': 0.12 }),
    );
    assert.equal(result.level, 'bronze');
    assert.deepEqual(
      result.missingForNextLevel.map((r) => [r.metric, r.weight, r.status]),
      [
        ['leadTime.medianHours', 3, 'unknown'],
        ['changeFailureRate.rate', 2, 'fail'],
        ['deploymentFrequency.perWeek', 1, 'fail'],
      ],
    );
  });

  test('a value exactly at the threshold passes <= and >= but fails <', () => {
    // perWeek 3 ≥ 3 passes, CFR 0.1 ≤ 0.1 passes, lead time 168 < 168 fails.
    const result = evaluateScorecard(
      card,
      readings({
        'deploymentFrequency.perWeek': 3,
        'changeFailureRate.rate': 0.1,
        'leadTime.medianHours': 168,
      }),
    );
    assert.deepEqual(statuses(result)[1], ['pass', 'fail', 'pass']);
    assert.equal(result.level, 'bronze');
    const justUnder = evaluateScorecard(
      card,
      readings({
        'deploymentFrequency.perWeek': 3,
        'changeFailureRate.rate': 0.1,
        'leadTime.medianHours': 167.99,
      }),
    );
    assert.equal(justUnder.level, 'silver');
  });
});
