import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeOrganization } from '#config/config.ts';
import { generateDemoCiRuns } from './demo-ci-runs.ts';
import { generateDemoTeamData } from './demo-data.ts';
import { demoOrganization, demoTeamArchetype } from './demo-organization.ts';

const period = { days: 60, seed: 7, until: new Date('2026-11-01T00:00:00Z') };
const org = normalizeOrganization(demoOrganization(4), 'the demo organisation');

function ciOf(slug: string) {
  const team = org.teams.find((t) => t.slug === slug);
  assert.ok(team);
  const data = generateDemoTeamData(team, demoTeamArchetype(slug), period);
  return generateDemoCiRuns(slug, demoTeamArchetype(slug), data.pullRequests, period);
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const durations = (runs: ReturnType<typeof ciOf>) =>
  runs.map((run) => ((run.finishedAt as Date).getTime() - (run.startedAt as Date).getTime()) / 60_000);
const flakyShare = (runs: ReturnType<typeof ciOf>) =>
  runs.filter((run) => run.attempt === 2).length / runs.filter((run) => run.attempt === 1).length;

describe('demo CI runs', () => {
  test('are deterministic, and every run finishes before until', () => {
    assert.deepEqual(ciOf('search'), ciOf('search'));
    for (const run of ciOf('payments')) assert.ok((run.finishedAt as Date) < period.until);
  });

  test('checkout (the unreliable pipeline) builds slowly and flakily; payments (elite) quickly', () => {
    const checkout = ciOf('checkout');
    const payments = ciOf('payments');
    assert.ok(median(durations(checkout)) > 3 * median(durations(payments)));
    assert.ok(flakyShare(checkout) > 0.1, String(flakyShare(checkout)));
    assert.ok(flakyShare(payments) < 0.05, String(flakyShare(payments)));
    // Re-runs keep their run's creation and are not queued at it.
    const rerun = checkout.find((run) => run.attempt === 2);
    const first = checkout.find((run) => run.attempt === 1 && run.externalId === rerun?.externalId);
    assert.equal(rerun?.queuedAt, null);
    assert.deepEqual(rerun?.runCreatedAt, first?.runCreatedAt);
    assert.equal(first?.conclusion, 'failure');
  });
});
