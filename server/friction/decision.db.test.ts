import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase } from '../../test/test-database.ts';
import {
  frictionContext,
  frictionOrganization,
  seedFailingDeliveries,
  seedFrictionFixtures,
  seedImpactFixtures,
  SHIPPED_ON,
} from '../../test/friction-fixtures.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { namedPeriod } from '../metrics/period.ts';
import { decide } from './friction.service.ts';
import { capabilityImpact } from './impact.ts';
import { tCritical95 } from './statistics.ts';

// Recommendations, the readiness verdict and a shipped capability's impact on the planted fixtures
// (test/friction-fixtures.ts), with hand-computed values.
const q3 = namedPeriod('2026-Q3', new Date());
const org = frictionOrganization();

describe('recommendations and readiness', () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await openTestDatabase();
    await seedFrictionFixtures(handle.db, org);
  });
  after(async () => handle.close());

  test('capability values and payback equal the hand values', async () => {
    const { recommendations } = await decide(frictionContext(handle.db, org), q3);
    const environments = recommendations.find((r) => r.capability.id === 'environment-self-service')!;
    // broken-environments 69.89 h × 0.6 = 41.93; waiting-on-ops 8 h (gamma's survey) × 0.2 = 1.6.
    assert.deepEqual(
      environments.addresses.map((a) => [a.friction, a.hoursPerWeek, a.recoveredHoursPerWeek]),
      [
        ['broken-environments', 69.89, 41.93],
        ['waiting-on-ops', 8, 1.6],
      ],
    );
    assert.equal(environments.recoveredHoursPerWeek, 43.53);
    assert.equal(environments.valuePerYear, Math.round(43.53 * 46 * 100));
    // 12 team-weeks × 4 people × 40 h ÷ 43.53 h a week.
    assert.equal(environments.paybackWeeks, Math.round(((12 * 4 * 40) / 43.53) * 100) / 100);
    assert.deepEqual(environments.teamsGainingMost, [
      { team: { slug: 'alpha', name: 'Alpha' }, recoveredHoursPerWeek: 36 },
      { team: { slug: 'delta', name: 'Delta' }, recoveredHoursPerWeek: 5.93 },
      { team: { slug: 'gamma', name: 'Gamma' }, recoveredHoursPerWeek: 1.6 },
    ]);
    assert.equal(environments.status, 'buildable');
    // Golden paths wait on CI speed-up, which has not shipped; blocked ones rank after every buildable one.
    const golden = recommendations.find((r) => r.capability.id === 'golden-path-templates')!;
    assert.deepEqual(golden.unmetPrerequisites, ['ci-speed-up']);
    assert.equal(golden.status, 'blocked');
    const buildable = recommendations.filter((r) => r.status === 'buildable');
    assert.ok(buildable.every((r) => r.rank < golden.rank));
    const paybacks = buildable.map((r) => r.paybackWeeks ?? Infinity);
    assert.deepEqual(
      paybacks,
      [...paybacks].sort((a, b) => a - b),
    );
  });

  test('four teams: fix-directly, listing the costliest friction points and their direct fixes', async () => {
    const { readiness } = await decide(frictionContext(handle.db, org), q3);
    assert.equal(readiness.verdict, 'fix-directly');
    const teams = readiness.reasons.find((r) => r.test === 'teams')!;
    assert.deepEqual([teams.value, teams.threshold, teams.triggered], [4, 5, true]);
    assert.equal(readiness.topFriction[0]?.id, 'broken-environments');
    assert.match(readiness.topFriction[0]?.directFix ?? '', /Script the environment/);
    assert.match(readiness.summary, /Broken or unavailable environments/);
  });

  test('a high change failure rate: fix-delivery-first, naming the team and the metric', async () => {
    await seedFailingDeliveries(handle.db);
    const { readiness, recommendations, analysis } = await decide(frictionContext(handle.db, org), q3);
    assert.equal(readiness.verdict, 'fix-delivery-first');
    assert.deepEqual(readiness.unstableTeams, [
      {
        team: { slug: 'alpha', name: 'Alpha' },
        developers: 12,
        metrics: [{ metric: 'changeFailureRate', value: 0.3077, tier: 'low' }],
      },
    ]);
    // 12 of 32 developers = 0.38 ≥ 0.25; the organisation: 4 ÷ 26 = 0.1538 > 0.15, tier low.
    const share = readiness.reasons.find((r) => r.test === 'unstableDeveloperShare')!;
    assert.deepEqual([share.value, share.threshold, share.triggered], [0.38, 0.25, true]);
    assert.match(share.detail, /12 of 32 developers .* Alpha \(changeFailureRate tier low\)/);
    const orgTier = readiness.reasons.find((r) => r.test === 'organizationChangeFailureRateTier')!;
    assert.deepEqual([orgTier.value, orgTier.triggered], ['low', true]);
    assert.match(readiness.summary, /^Fix delivery first: unstable teams \(Alpha\)/);
    // Deployment self-service needs stable delivery: blocked now.
    const deploys = recommendations.find((r) => r.capability.id === 'deployment-self-service')!;
    assert.deepEqual(deploys.unmetPrerequisites, ['stable-delivery']);
    // And the failures show as friction: 4 failures ÷ 13.14 weeks × 10 h median recovery × factor 2.
    const failed = analysis.rows.find((r) => r.friction.id === 'failed-deployments')!;
    const alpha = failed.teams.find((t) => t.team.slug === 'alpha')!;
    assert.equal(alpha.hoursPerWeek, Math.round((4 / (92 / 7)) * 10 * 2 * 100) / 100);
  });
});

describe('did it pay off?', () => {
  let handle: DatabaseHandle;
  const shippedOrg = frictionOrganization(`friction:
  shipped:
    - { capability: access-automation, shippedOn: ${SHIPPED_ON}, adoptingTeams: [alpha, beta] }
    - { capability: ci-speed-up, shippedOn: ${SHIPPED_ON}, adoptingTeams: [] }
`);
  before(async () => {
    handle = await openTestDatabase();
    await syncOrganization(handle.db, shippedOrg, new Date('2026-01-01T00:00:00Z'));
    await seedImpactFixtures(handle.db);
  });
  after(async () => handle.close());

  test('a planted drop among the adopters shows, with a Welch interval', async () => {
    const impact = await capabilityImpact(frictionContext(handle.db, shippedOrg), 'access-automation');
    assert.deepEqual(
      impact.teams.map((t) => [t.team.slug, t.adopter, t.preWeeks, t.postWeeks, t.change]),
      [
        ['alpha', true, 8, 8, -8],
        ['beta', true, 8, 8, -7],
        ['delta', false, 8, 8, 1],
        ['gamma', false, 8, 8, 0],
      ],
    );
    // DiD = mean(−8, −7) − mean(1, 0) = −8; se = √(0.5/2 + 0.5/2); Welch df = 0.25 ÷ (0.0625 + 0.0625) = 2.
    const half = tCritical95(2) * Math.sqrt(0.5);
    assert.deepEqual(impact.differenceInDifferences, {
      estimate: -8,
      low: Math.round((-8 - half) * 100) / 100,
      high: Math.round((-8 + half) * 100) / 100,
      degreesOfFreedom: 2,
    });
    assert.equal(impact.verdict, 'improved');
    assert.equal(impact.windows.pre.from, '2026-07-13T00:00:00.000Z');
    assert.equal(impact.windows.post.from, '2026-09-21T00:00:00.000Z');
  });

  test('a capability without adopters is too thin to tell; one not shipped is a 409', async () => {
    const ctx = frictionContext(handle.db, shippedOrg);
    const impact = await capabilityImpact(ctx, 'ci-speed-up');
    assert.equal(impact.verdict, 'too-thin-to-tell');
    assert.equal(impact.differenceInDifferences, null);
    assert.match(impact.reason, /^too thin to tell: 0 adopting/);
    await assert.rejects(capabilityImpact(ctx, 'documentation-hub'), { statusCode: 409 });
    await assert.rejects(capabilityImpact(ctx, 'teleporter'), { statusCode: 404 });
  });
});
