import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { normalizeOrganization } from '#config/config.ts';
import type { DatabaseHandle } from '#db/database.ts';
import { upsertCommits } from '#db/commits.repository.ts';
import { linkDeploymentCommits, upsertDeployments } from '#db/deployments.repository.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { pushedDeployment } from '../../test/deployment-fixtures.ts';
import { demoOrganization } from '../demo/demo-organization.ts';
import { loadDemo } from '../demo/load-demo.ts';
import { computeDeliveryMetrics, metricsKey } from '../metrics/delivery-metrics.ts';
import { metricsOptions, organizationFigures } from '../metrics/metrics.service.ts';
import type { MetricsContext, OrganizationFigures } from '../metrics/metrics.service.ts';
import { namedPeriod } from '../metrics/period.ts';
import type { Period } from '../metrics/period.ts';
import { loadBenchmarks } from '../metrics/tiers.ts';
import { storedFigures } from './closed-periods.ts';

// Closed periods' organisation figures are stored and reused until a late event lands in them (issue #17).
// Stored figures must equal the raw computation: first, after a late deployment, a late commit shipped by an
// old deployment (lead time), an incident and a CI verdict closing an old red stretch; and a late event in
// another month must leave them stored. A changed metric definition recomputes them.
const now = new Date('2026-11-01T00:00:00Z');
let database: DatabaseHandle;
let ctx: MetricsContext;

/** The raw computation: every metric from the rows, nothing stored or shared. */
async function raw(period: Period) {
  const options = metricsOptions(ctx, undefined);
  const teams = await database.db
    .selectFrom('teams')
    .select('id')
    .where('retiredAt', 'is', null)
    .orderBy('slug')
    .execute();
  const scope = {
    period,
    now,
    productionEnvironments: options.productionEnvironments,
    byTeam: true,
    withOrganization: true,
  };
  const groups = [{ teamId: null, period }, ...teams.map((team) => ({ teamId: team.id, period }))];
  const results = await computeDeliveryMetrics(database.db, scope, options, groups);
  return {
    organization: results.get(metricsKey(null, null)),
    byTeam: teams.map((team) => results.get(metricsKey(team.id, null))),
  };
}

const served = (figures: OrganizationFigures) => ({
  organization: figures.organization,
  byTeam: figures.teams.map((team) => figures.byTeam.get(team.id)),
});

const computedAt = async () =>
  (
    await sql<{ computedAt: Date }>`select computed_at from closed_period_figures order by key`.execute(
      database.db,
    )
  ).rows.map((row) => row.computedAt.getTime());

before(async () => {
  database = await openTestDatabase();
  await loadDemo(database.db, { teams: 3, days: 60, seed: 5, until: now }, now);
  ctx = {
    db: database.db,
    org: normalizeOrganization(demoOrganization(3), 'demo'),
    benchmarks: loadBenchmarks(),
    now: () => now,
  };
});
after(async () => database.close());

describe('closed periods: stored figures equal the raw computation', () => {
  const september = namedPeriod('2026-09', now);
  const october = namedPeriod('2026-10', now);

  test('stored once, then served while no late event lands in the period', async () => {
    assert.deepEqual(served(await organizationFigures(ctx, september, undefined)), await raw(september));
    const stored = await computedAt();
    assert.equal(stored.length, 1);
    assert.deepEqual(served(await organizationFigures(ctx, september, undefined)), await raw(september));
    assert.deepEqual(await computedAt(), stored, 'served from the stored figures');
    // The open period is never stored.
    await organizationFigures(ctx, namedPeriod('2026-11', now), undefined);
    assert.equal((await computedAt()).length, 1);
  });

  test('a late event in the period recomputes it; one in another month does not', async () => {
    const db = database.db;
    await organizationFigures(ctx, october, undefined);
    const [septemberAt, octoberAt] = await computedAt().then((at) => at.sort());
    const repository = await db.selectFrom('repositories').select('id').executeTakeFirstOrThrow();
    const late = (externalId: string, finishedAt: string) =>
      pushedDeployment(externalId, new Date(finishedAt), { repositoryId: repository.id });
    // A deployment reported late, finished in October.
    await upsertDeployments(db, [late('late-october', '2026-10-20T12:00:00Z')], now);
    assert.deepEqual(served(await organizationFigures(ctx, september, undefined)), await raw(september));
    assert.deepEqual(served(await organizationFigures(ctx, october, undefined)), await raw(october));
    const after = await computedAt();
    assert.ok(after.includes(septemberAt as number), 'September stays stored');
    assert.ok(!after.includes(octoberAt as number), 'October is recomputed');

    // A commit reported late for an old September deployment: lead time's facts change, so does September.
    const before = served(await organizationFigures(ctx, september, undefined));
    const deployment = await sql<{ id: number; repositoryId: number; finishedAt: Date }>`
      select id, repository_id, finished_at from deployments
      where status = 'success' and environment = 'production' and repository_id is not null
        and finished_at >= ${september.from} and finished_at < ${september.to}
      order by finished_at limit 1`.execute(db);
    const target = deployment.rows[0]!;
    await upsertCommits(db, [
      {
        repositoryId: target.repositoryId,
        sha: 'late-commit',
        committedAt: new Date(target.finishedAt.getTime() - 40 * 86_400_000),
      },
    ]);
    await linkDeploymentCommits(db, [
      { deploymentId: target.id, repositoryId: target.repositoryId, sha: 'late-commit' },
    ]);
    const recomputed = served(await organizationFigures(ctx, september, undefined));
    assert.deepEqual(recomputed, await raw(september));
    assert.notDeepEqual(recomputed.organization?.leadTime, before.organization?.leadTime);

    // An incident tied to a September deployment, and a late passing CI verdict in October that closes
    // a red stretch of September.
    await sql`insert into incidents (source, external_id, team_id, started_at, resolved_at, deployment_id,
        deployment_link) values ('api', 'late-incident', null, ${new Date(target.finishedAt.getTime() + 3_600_000)},
        ${new Date(target.finishedAt.getTime() + 7_200_000)}, ${target.id}, 'explicit')`.execute(db);
    assert.deepEqual(served(await organizationFigures(ctx, september, undefined)), await raw(september));
    // A pipeline that turned red in September, and the pass that closes it arriving in October.
    const run = (id: string, conclusion: string, at: string) => sql`
      insert into ci_runs (source, external_id, attempt, repository_id, pipeline, event, branch, branch_kind,
        status, conclusion, run_created_at, queued_at, started_at, finished_at, created_at, updated_at)
      values ('api', ${id}, 1, ${repository.id}, 'late pipeline', 'push', 'main', 'default_branch', 'completed',
        ${conclusion}, ${at}::timestamptz - interval '10 minutes', ${at}::timestamptz - interval '10 minutes',
        ${at}::timestamptz - interval '10 minutes', ${at}::timestamptz, now(), now())`;
    await run('late-pass', 'success', '2026-09-29T09:00:00Z').execute(db);
    await run('late-red', 'failure', '2026-09-29T10:00:00Z').execute(db);
    const red = served(await organizationFigures(ctx, september, undefined));
    assert.deepEqual(red, await raw(september));
    await run('late-green', 'success', '2026-10-02T10:00:00Z').execute(db);
    const green = served(await organizationFigures(ctx, september, undefined));
    assert.deepEqual(green, await raw(september));
    assert.equal(
      green.organization?.ci.timeToGreen.unresolved,
      (red.organization?.ci.timeToGreen.unresolved ?? 0) - 1,
      'the red stretch is closed',
    );
  });

  test('figures stored under another metric definition are recomputed', async () => {
    let computations = 0;
    const request = (definition: string) => ({
      key: ['definition test'],
      period: september,
      compute: async () => ++computations,
      encode: (value: number) => value,
      decode: (stored: unknown) => stored as number,
      definition,
    });
    assert.equal(await storedFigures(database.db, database.db, request('v1')), 1);
    assert.equal(await storedFigures(database.db, database.db, request('v1')), 1, 'stored');
    assert.equal(
      await storedFigures(database.db, database.db, request('v2')),
      2,
      'a new definition recomputes',
    );
    assert.equal(await storedFigures(database.db, database.db, request('v2')), 2);
  });
});
