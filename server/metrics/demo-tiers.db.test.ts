import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { normalizeOrganization } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { demoOrganization } from '../demo/demo-organization.ts';
import { loadDemo } from '../demo/load-demo.ts';
import { organizationMetrics } from './metrics.service.ts';
import type { TeamMetrics } from './metrics.service.ts';
import { loadBenchmarks } from './tiers.ts';

let handle: DatabaseHandle;
let teams: TeamMetrics[];
const until = new Date('2026-11-25T00:00:00Z');

before(async () => {
  handle = await openTestDatabase();
  await loadDemo(handle.db, { teams: 4, days: 60, seed: 42, until }, until);
  const ctx = {
    db: handle.db,
    org: normalizeOrganization(demoOrganization(4), 'demo'),
    benchmarks: loadBenchmarks(),
    now: () => until,
  };
  teams = (await organizationMetrics(ctx, { period: 'last-30d', groupBy: 'team' })).teams ?? [];
});
after(async () => handle.close());

const team = (slug: string) => teams.find((t) => t.team === slug) as TeamMetrics;

test(`the demo organisation's teams land in visibly different tiers (${testEngine})`, () => {
  // payments is the elite archetype, checkout the unreliable pipeline, identity waits on an ops queue.
  assert.equal(team('payments').leadTime.tier, 'elite');
  assert.equal(team('payments').changeFailureRate.tier, 'elite');
  assert.equal(team('checkout').changeFailureRate.tier, 'low');
  assert.ok((team('checkout').reworkRate.rate ?? 0) > 3 * (team('payments').reworkRate.rate ?? 1));
  assert.ok(
    (team('identity').leadTime.medianHours ?? 0) > 10 * (team('payments').leadTime.medianHours ?? Infinity),
  );
  const tiers = new Set(
    teams.flatMap((t) => [t.leadTime.tier, t.changeFailureRate.tier, t.deploymentFrequency.tier]),
  );
  assert.ok(tiers.size >= 3, `only ${[...tiers].join(', ')}`);
});
