import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  FIXTURE_CARD,
  FIXTURE_NOW,
  FIXTURE_ORGANIZATION,
  paymentsDeployment,
  seedScorecardFixtures,
  steppingClock,
} from '../../test/scorecard-fixtures.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { upsertDeployments } from '../db/deployments.repository.ts';
import { upsertIncidents } from '../db/incidents.repository.ts';
import { findTeam } from '../metrics/metrics.service.ts';
import { loadBenchmarks } from '../metrics/tiers.ts';
import type { ScorecardResult } from '../../scorecards/evaluate.ts';
import type { Scorecard } from '../../scorecards/scorecard.schema.ts';
import { closedMonths, scorecardHistory } from './scorecard-history.service.ts';
import type { HistoryPoint, ScorecardContext } from './scorecard-history.service.ts';

let handle: DatabaseHandle;
const clock = steppingClock(FIXTURE_NOW);
const HOUR = 3_600_000;
const context = (cards: readonly Scorecard[] = [FIXTURE_CARD]): ScorecardContext => ({
  metrics: { db: handle.db, org: FIXTURE_ORGANIZATION, benchmarks: loadBenchmarks(), now: clock.now },
  cards,
});

before(async () => {
  handle = await openTestDatabase();
  await seedScorecardFixtures(handle.db);
});
after(async () => handle.close());

async function history(slug: string, cards?: readonly Scorecard[]): Promise<HistoryPoint[]> {
  const team = await findTeam(handle.db, slug);
  return (await scorecardHistory(context(cards), team)).get('delivery') ?? [];
}
const september = (points: HistoryPoint[]) => points.find((point) => point.month === '2026-09');

async function storedSeptember(slug: string) {
  const team = await findTeam(handle.db, slug);
  return handle.db
    .selectFrom('scorecardMonths')
    .selectAll()
    .where('teamId', '=', team.id)
    .where('month', '=', '2026-09')
    .executeTakeFirstOrThrow();
}

describe(`scorecard history (${testEngine})`, () => {
  test('the closed months are the six before the current one, oldest first', () => {
    assert.deepEqual(
      closedMonths(new Date('2026-01-15T00:00:00Z')).map((month) => month.label),
      ['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'],
    );
  });

  test("closed months are evaluated from each team's own rows and stored; the open month is not", async () => {
    const payments = await history('payments');
    assert.deepEqual(
      payments.map((point) => [point.month, point.level]),
      [
        ['2026-05', null],
        ['2026-06', null],
        ['2026-07', null],
        ['2026-08', null],
        ['2026-09', 'silver'], // 0.93/week, CFR 0, lead time 10 h
        ['2026-10', null],
      ],
    );
    // search's incident does not leak into payments, nor payments' lead time into search: bronze, 0.3333 > 0.25
    assert.equal(september(await history('search'))?.level, 'bronze');
    const stored = await handle.db.selectFrom('scorecardMonths').select(['month', 'evaluatedAt']).execute();
    assert.equal(stored.length, 12); // 2 teams × 6 months × 1 card
    assert.ok(stored.every((row) => row.month !== '2026-11'));
    assert.ok(stored.every((row) => row.evaluatedAt.toISOString() === FIXTURE_NOW.toISOString()));
  });

  test('an unchanged month is served from storage, not recomputed', async () => {
    clock.advance(HOUR);
    const payments = await history('payments');
    assert.ok(payments.every((point) => point.evaluatedAt === FIXTURE_NOW.toISOString()));
  });

  test('a late incident in a closed month recomputes that month only, for that team only', async () => {
    clock.advance(HOUR);
    const recomputedAt = clock.now().toISOString();
    // Two incidents caused by payments' Sep 9 and Sep 16 deployments, reported in November: CFR 2 ÷ 4 = 0.5,
    // still bronze (0.5 ≤ 0.5) but no longer silver (0.5 > 0.25).
    await upsertIncidents(
      handle.db,
      [
        { source: 'ci', externalId: 'pi-1', service: 'payments-api', causeDeploymentExternalId: 'p-2' },
        { source: 'ci', externalId: 'pi-2', service: 'payments-api', causeDeploymentExternalId: 'p-3' },
      ].map((incident, index) => ({
        ...incident,
        startedAt: new Date(Date.UTC(2026, 8, 9 + 7 * index, 13)),
        resolvedAt: new Date(Date.UTC(2026, 8, 9 + 7 * index, 14)),
      })),
      clock.now(),
    );
    const payments = await history('payments');
    assert.deepEqual(september(payments), { month: '2026-09', level: 'bronze', evaluatedAt: recomputedAt });
    assert.ok(payments.filter((p) => p.month !== '2026-09').every((p) => p.evaluatedAt !== recomputedAt));
    const stored = await storedSeptember('payments');
    assert.equal(stored.level, 'bronze');
    const cfr = (stored.result as ScorecardResult).levels[1]?.rules[0];
    assert.deepEqual([cfr?.metric, cfr?.value, cfr?.status], ['changeFailureRate.rate', 0.5, 'fail']);
    const search = await history('search');
    assert.deepEqual(september(search), {
      month: '2026-09',
      level: 'bronze',
      evaluatedAt: FIXTURE_NOW.toISOString(),
    });
  });

  test('a deployment moved out of a closed month (its finish corrected) recomputes the month it left', async () => {
    clock.advance(HOUR);
    const billing = (await ensureRepositories(handle.db, ['acme/billing'])).get('acme/billing') as number;
    // p-4 really finished on Oct 1: September keeps 3 deployments, 2 of which failed: CFR 2 ÷ 3 = 0.6667 > 0.5
    // → no level; October has 1 deployment: 1 ÷ 31 × 7 = 0.23 per week < 0.5 → no level.
    await upsertDeployments(
      handle.db,
      [paymentsDeployment(billing, 4, new Date('2026-10-01T12:00:00Z'))],
      clock.now(),
    );
    const payments = await history('payments');
    assert.equal(september(payments)?.level, null);
    assert.equal(september(payments)?.evaluatedAt, clock.now().toISOString());
    const october = payments.find((point) => point.month === '2026-10');
    assert.deepEqual([october?.level, october?.evaluatedAt], [null, clock.now().toISOString()]);
    const perWeek = ((await storedSeptember('payments')).result as ScorecardResult).levels[0]?.rules[0];
    assert.equal(perWeek?.value, 0.7); // 3 ÷ 30 × 7
  });

  test('an edited card recomputes the stored months with the new rules', async () => {
    clock.advance(HOUR);
    const lenient: Scorecard = {
      ...FIXTURE_CARD,
      levels: [
        {
          id: 'bronze',
          title: 'Bronze',
          description: null,
          rules: [
            { metric: 'deploymentFrequency.perWeek', op: '>=', threshold: 0, weight: 1, description: '' },
          ],
        },
      ],
    };
    const search = await history('search', [lenient]);
    // Every month passes 0 per week ≥ 0: every month is now bronze, recomputed now.
    assert.ok(search.every((point) => point.level === 'bronze'));
    assert.ok(search.every((point) => point.evaluatedAt === clock.now().toISOString()));
  });
});
