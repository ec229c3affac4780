import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeOrganization } from '../config/config.ts';
import type { DeliveryMetrics } from '../metrics/delivery-metrics.ts';
import type { Tier } from '../metrics/tiers.ts';
import { frictionSettings } from './friction-analysis.ts';
import type { FrictionRow } from './friction-ranking.ts';
import { readinessVerdict } from './readiness.ts';

const settings = frictionSettings(normalizeOrganization({ organization: 'acme', teams: [] }, 'test'));
const teams = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ slug: `team-${i + 1}`, name: `Team ${i + 1}`, developers: 8 }));

/** Only what the verdict reads of a team's delivery metrics: the two stability tiers. */
function delivery(cfr: Tier | null, recovery: Tier | null): DeliveryMetrics {
  return {
    changeFailureRate: { rate: cfr === 'low' ? 0.3 : 0.05, tier: cfr },
    recoveryTime: { medianHours: recovery === 'low' ? 200 : 2, tier: recovery },
  } as DeliveryMetrics;
}

function row(id: string, share: number, hours: number): FrictionRow {
  return {
    friction: { id, title: id, description: null, directFix: `fix ${id}` },
    hoursPerWeek: hours,
    breadth: { affectedTeams: 0, teams: 6, share, affected: [] },
  } as unknown as FrictionRow;
}

const stable = (n: number) => new Map(teams(n).map((t) => [t.slug, delivery('high', 'high')]));

describe('the readiness verdict', () => {
  test('a three-team organisation: fix-directly', () => {
    const verdict = readinessVerdict({
      teams: teams(3),
      delivery: { organization: delivery('high', 'high'), teams: stable(3) },
      rows: [row('a', 1, 30), row('b', 1, 20)],
      settings,
    });
    assert.equal(verdict.verdict, 'fix-directly');
    assert.deepEqual(
      verdict.reasons.map((r) => [r.test, r.value, r.threshold, r.triggered]),
      [
        ['unstableDeveloperShare', 0, 0.25, false],
        ['organizationChangeFailureRateTier', 'high', 'low', false],
        ['teams', 3, 5, true],
        ['sharedFrictionPoints', 2, 2, false],
      ],
    );
    assert.deepEqual(
      verdict.topFriction.map((f) => [f.id, f.directFix]),
      [
        ['a', 'fix a'],
        ['b', 'fix b'],
      ],
    );
  });

  test('six teams with no shared friction: fix-directly; with two shared points: build-platform', () => {
    const base = {
      teams: teams(6),
      delivery: { organization: delivery('high', 'high'), teams: stable(6) },
      settings,
    };
    const scattered = readinessVerdict({
      ...base,
      rows: [row('a', 0.17, 30), row('b', 0.33, 20), row('c', 0.5, 5)],
    });
    assert.equal(scattered.verdict, 'fix-directly');
    assert.match(scattered.summary, /only 1 friction points are shared/);
    const shared = readinessVerdict({ ...base, rows: [row('a', 0.5, 30), row('b', 0.83, 20)] });
    assert.equal(shared.verdict, 'build-platform');
    assert.ok(shared.reasons.every((r) => !r.triggered));
  });

  test('unstable teams below a quarter of developers do not stop a platform; at a quarter they do', () => {
    const rows = [row('a', 0.5, 30), row('b', 0.83, 20)];
    const one = stable(6);
    one.set('team-1', delivery('high', 'low'));
    const below = readinessVerdict({
      teams: teams(6),
      delivery: { organization: delivery('high', 'high'), teams: one },
      rows,
      settings,
    });
    assert.equal(below.verdict, 'build-platform'); // 8 of 48 = 0.17
    one.set('team-2', delivery('low', 'high'));
    const at = readinessVerdict({
      teams: teams(6),
      delivery: { organization: delivery('high', 'high'), teams: one },
      rows,
      settings,
    });
    assert.equal(at.verdict, 'fix-delivery-first'); // 16 of 48 = 0.33
    assert.deepEqual(
      at.unstableTeams.map((t) => [t.team.slug, t.metrics.map((m) => m.metric)]),
      [
        ['team-1', ['recoveryTime']],
        ['team-2', ['changeFailureRate']],
      ],
    );
  });
});
