import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asSamples, DEFAULT_RULE, steppedChanges, syntheticChanges } from '../../test/alert-fixtures.ts';
import type { SyntheticTeam } from '../../test/alert-fixtures.ts';
import { DAY_MS } from '../time.ts';
import type { AlertRule } from '../config/alerts-config.ts';
import { describeBacktest, replayRule } from './backtest.ts';
import { byTeam, evaluateRule } from './evaluate-rule.ts';

const until = new Date('2026-12-01T00:00:00Z');
const daysBefore = (days: number) => new Date(until.getTime() - days * DAY_MS);
const rule: AlertRule = { ...DEFAULT_RULE, channels: [] };

function evaluate(teams: SyntheticTeam[], seed: number, at = until, settings: AlertRule = rule) {
  const changes = syntheticChanges(teams, { from: daysBefore(200), until: at }, seed);
  const ids = new Map(teams.map((team, i) => [team.slug, i + 1]));
  const evaluations = evaluateRule(settings, byTeam(asSamples(changes, ids)), [...ids.values()], at);
  return new Map(teams.map((team, i) => [team.slug, evaluations[i]]));
}

describe('evaluating a lead-time rule on synthetic series', () => {
  test('a planted regression fires, noise does not, too few changes are not judged', () => {
    const results = evaluate(
      [
        { slug: 'regressed', medianHours: 20, perDay: 3, slowdowns: [{ from: daysBefore(10), factor: 3 }] },
        { slug: 'steady', medianHours: 20, perDay: 3 },
        { slug: 'sparse', medianHours: 20, perDay: 0.3, slowdowns: [{ from: daysBefore(10), factor: 3 }] },
      ],
      7,
    );
    const regressed = results.get('regressed');
    assert.equal(regressed?.outcome, 'fires');
    assert.equal(regressed.severity, 'critical');
    assert.ok((regressed.figures.change ?? 0) > 1, `change ${regressed.figures.change}`);
    assert.equal(regressed.drivers.top.length, 5);
    // The slowest changes lead, slowest first.
    const tops = regressed.drivers.top.map((row) => row.value);
    assert.deepEqual(
      tops,
      [...tops].sort((a, b) => b - a),
    );
    assert.notEqual(results.get('steady')?.outcome, 'fires');
    const sparse = results.get('sparse');
    assert.equal(sparse?.outcome, 'too-few');
    assert.ok((sparse.figures.recent.samples ?? 0) < rule.minSamples);
  });

  test('50 steady teams: none fires at the defaults, while uncorrected p < 0.05 would page someone', () => {
    const teams = Array.from({ length: 50 }, (_, i) => ({
      slug: `team-${String(i).padStart(2, '0')}`,
      medianHours: 12 + (i % 5) * 6,
      perDay: 2,
    }));
    for (const seed of [1, 2, 3]) {
      const corrected = [...evaluate(teams, seed).values()];
      assert.deepEqual(
        corrected.filter((e) => e?.outcome === 'fires').map((e) => e?.teamId),
        [],
        `seed ${seed}`,
      );
      const uncorrected = [...evaluate(teams, seed, until, { ...rule, correction: 'none' }).values()];
      const falseAlarms = uncorrected.filter((e) => e?.outcome === 'fires').length;
      assert.ok(falseAlarms >= 1, `seed ${seed}: uncorrected p < 0.05 raised ${falseAlarms} alerts`);
    }
  });

  test('the breakdown stage that moved is named', () => {
    const ids = new Map([['t', 1]]);
    const samples = asSamples(steppedChanges('t', { from: daysBefore(120), until }), ids).map((sample) => {
      const late = sample.at >= daysBefore(10);
      return {
        ...sample,
        value: late ? sample.value * 4 : sample.value,
        stages: { coding: 2, pickup: 3, review: late ? 30 : 4, deployWait: 1 },
      };
    });
    const [evaluation] = evaluateRule(rule, byTeam(samples), [1], until);
    assert.equal(evaluation?.outcome, 'fires');
    assert.deepEqual(evaluation.drivers.stage, { name: 'review', baselineHours: 4, recentHours: 30 });
  });
});

describe('backtest', () => {
  test('replays the daily evaluation: the hand-listed firings and resolutions', () => {
    // Two changes a day of 10 h and 12 h: every baseline median is 11 h, and a rule fires at +25 %, i.e. a
    // recent median of 13.75 h or more. A 14-day window holds 28 changes; its median is the mean of the
    // 14th and 15th.
    // alpha: 40 h / 44 h from Oct 1 to Oct 21. On Oct 8 the window [Sep 24, Oct 8) holds 7 slow days, 14
    // slow changes: median (12 + 40)/2 = 26 h, +136 %: critical (≥ +100 %). On Oct 7 only 12: median 12 h.
    // It resolves once the window holds at most 6 slow days (median ≤ 12 h against the 11 h it fired on):
    // Oct 29, window [Oct 15, Oct 29).
    // beta: 14 h / 16 h from Nov 1 to Nov 20. 7 slow days: median (12 + 14)/2 = 13 h, +18 %: no. 8 slow
    // days (Nov 9): median 14 h, +27 %: warning. Resolved when 7 slow days remain: 13 h ≤ 13.75 h, Nov 27.
    // gamma: steady, never.
    const range = { from: new Date('2026-03-01T00:00:00Z'), until };
    const changes = [
      ...steppedChanges('alpha', range, [
        { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-10-21T00:00:00Z'), hours: [40, 44] },
      ]),
      ...steppedChanges('beta', range, [
        { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-20T00:00:00Z'), hours: [14, 16] },
      ]),
      ...steppedChanges('gamma', range),
    ];
    const teams = [
      { id: 1, slug: 'alpha' },
      { id: 2, slug: 'beta' },
      { id: 3, slug: 'gamma' },
    ];
    const ids = new Map(teams.map((team) => [team.slug, team.id]));
    const result = replayRule(rule, byTeam(asSamples(changes, ids)), teams, until, 120);
    assert.deepEqual(
      result.firings.map((f) => [
        f.team,
        f.firedAt,
        f.severity,
        Math.round((f.change ?? 0) * 100),
        f.resolvedAt,
      ]),
      [
        ['alpha', '2026-10-08', 'critical', 136, '2026-10-29'],
        ['beta', '2026-11-09', 'warning', 27, '2026-11-27'],
      ],
    );
    assert.deepEqual(result.perTeamPerQuarter, [
      { team: 'alpha', quarter: '2026-Q4', firings: 1 },
      { team: 'beta', quarter: '2026-Q4', firings: 1 },
    ]);
    assert.deepEqual(describeBacktest(result), [
      'Backtest of rule lead-time (leadTime) over 120 days to 2026-12-01, 3 teams: 2 firings',
      '  alpha: fired 2026-10-08 (critical, +136 %), resolved 2026-10-29',
      '  beta: fired 2026-11-09 (warning, +27 %), resolved 2026-11-27',
      'Firings per team per quarter:',
      '  alpha 2026-Q4: 1',
      '  beta 2026-Q4: 1',
    ]);
  });
});
