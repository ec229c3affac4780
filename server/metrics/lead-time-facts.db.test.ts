import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { openTestDatabase } from '../../test/test-database.ts';
import { pushedDeployment } from '../../test/deployment-fixtures.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { upsertCommits } from '../db/commits.repository.ts';
import { deploymentKey, linkDeploymentCommits, upsertDeployments } from '../db/deployments.repository.ts';
import { loadDemo } from '../demo/load-demo.ts';
import { leadTime, leadTimeSamples } from './lead-time.metric.ts';
import { LEAD_TIME_DEFINITION, leadTimeFactSamples, leadTimeSampleSource } from './lead-time-facts.ts';
import { namedPeriod } from './period.ts';
import type { MetricScope } from './scope.ts';

// The organisation's lead time reads stored first-deployment facts, refreshed incrementally from the
// commits the triggers mark (issue #17). These tests prove the facts give exactly the raw computation's
// samples and figures on both engines — built from scratch, and after late and out-of-order events
// refreshed incrementally: deployments finishing before the first one known, a pull request's branch
// commit shipped early, a pull request arriving after its commit shipped as a direct push, a failed
// re-delivery, re-attribution to another team, a corrected commit time and a deleted deployment.
const now = new Date('2026-11-01T00:00:00Z');
// The last one reaches past the clock: a deployment dated ahead of it counts only once the clock passes it.
const periods = [
  ...['2026-09', 'last-30d', '2026-Q3'].map((label) => namedPeriod(label, now)),
  { from: new Date('2026-10-20T00:00:00Z'), to: new Date('2026-11-10T00:00:00Z'), label: 'ahead' },
];
let database: DatabaseHandle;

const scopeOf = (label: string, extra: Partial<MetricScope> = {}): MetricScope => ({
  period: periods.find((p) => p.label === label) ?? namedPeriod(label, now),
  now,
  productionEnvironments: ['production'],
  ...extra,
});

async function sampleRows(samples: RawBuilder<unknown>) {
  const result = await sql<Record<string, unknown>>`
    select s.team_id, s.at, s.deployment_id, s.sha, s.committed_at, s.pull_request_number, s.start_kind,
      s.change_started_at, s.lead_time_hours, s.coding_hours, s.pickup_hours, s.review_hours, s.deploy_wait_hours,
      s.excluded_reason
    from (${samples}) s order by s.deployment_id, s.sha`.execute(database.db);
  return result.rows;
}

/** Facts against the raw computation: every sample row, and every figure per team and pooled. */
async function assertFactsEqualRaw(extra: Partial<MetricScope> = {}): Promise<number> {
  let compared = 0;
  for (const period of periods) {
    const scope: MetricScope = { ...scopeOf(period.label, extra), byTeam: true, withOrganization: true };
    const facts = await leadTimeSampleSource(database.db, scope);
    const expected = await sampleRows(leadTimeSamples(scope));
    assert.deepEqual(await sampleRows(facts), expected, `samples ${period.label}`);
    assert.deepEqual(
      await leadTime(database.db, scope, facts),
      await leadTime(database.db, scope),
      `figures ${period.label}`,
    );
    compared += expected.length;
    if (period.label !== '2026-Q3') continue;
    const pooled = { ...scopeOf(period.label, extra), bucket: 'week' as const };
    assert.deepEqual(
      await leadTime(database.db, pooled, await leadTimeSampleSource(database.db, pooled)),
      await leadTime(database.db, pooled),
      `weekly figures ${period.label}`,
    );
  }
  return compared;
}

const marks = async () =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from lead_time_dirty`.execute(database.db)).rows[0]?.n,
  );
const builtAt = async () =>
  (
    await sql<{ builtAt: Date }>`select built_at from lead_time_fact_variants order by variant`.execute(
      database.db,
    )
  ).rows.map((row) => row.builtAt.toISOString());

before(async () => {
  database = await openTestDatabase();
  await loadDemo(database.db, { teams: 3, days: 75, seed: 11, until: now }, now);
});
after(async () => database.close());

describe('lead-time facts equal the raw computation', () => {
  test('built from scratch, for the organisation, every team and every week', async () => {
    assert.equal(await marks(), 0, 'nothing is marked before the facts exist');
    const compared = await assertFactsEqualRaw();
    assert.ok(compared > 300, `compared ${compared} samples`);
  });

  test('after late and out-of-order events, refreshed incrementally', async () => {
    const db = database.db;
    const built = await builtAt();
    // Late copies of production deployments that finished a day or a week before the originals, half of
    // them shipping only part of the commits.
    const originals = await sql<{ id: number; repositoryId: number; finishedAt: Date }>`
      select d.id, d.repository_id, d.finished_at from deployments d
      where d.status = 'success' and d.environment = 'production' and d.repository_id is not null
        and exists (select 1 from deployment_commits dc where dc.deployment_id = d.id)
      order by d.id desc limit 30`.execute(db);
    const ids = await upsertDeployments(
      db,
      originals.rows.map((row, index) =>
        pushedDeployment(
          `late-${index}`,
          new Date(row.finishedAt.getTime() - (index % 2 === 0 ? 1 : 7) * 86_400_000),
          { repositoryId: row.repositoryId },
        ),
      ),
      now,
    );
    const shipped = await sql<{ deploymentId: number; repositoryId: number; sha: string }>`
      select deployment_id, repository_id, sha from deployment_commits
      where deployment_id = any(${originals.rows.map((row) => row.id)}::bigint[])
      order by deployment_id, sha`.execute(db);
    const lateOf = new Map(originals.rows.map((row, index) => [row.id, `late-${index}`]));
    await linkDeploymentCommits(
      db,
      shipped.rows
        .filter((_, index) => index % 3 !== 1)
        .map((link) => ({
          deploymentId: ids.get(deploymentKey('api', lateOf.get(link.deploymentId) ?? '')) as number,
          repositoryId: link.repositoryId,
          sha: link.sha,
        })),
    );
    assert.ok((await marks()) > 0, 'the late shipments are marked');
    assert.ok((await assertFactsEqualRaw()) > 300);

    // A direct push shipped in September; its pull request arrives in October, claiming it.
    const repository = originals.rows[0]!.repositoryId;
    const pushedAt = new Date('2026-09-10T10:00:00Z');
    await upsertCommits(db, [{ repositoryId: repository, sha: 'late-push', committedAt: pushedAt }]);
    const pushIds = await upsertDeployments(
      db,
      [
        {
          source: 'api',
          externalId: 'push-deploy',
          repositoryId: repository,
          service: null,
          environment: 'production',
          sha: 'late-push',
          status: 'success' as const,
          originalStatus: 'success',
          startedAt: new Date('2026-09-12T10:00:00Z'),
          finishedAt: new Date('2026-09-12T10:00:00Z'),
          teamId: null,
          teamAttribution: null,
        },
      ],
      now,
    );
    const pushDeployment = pushIds.get(deploymentKey('api', 'push-deploy')) as number;
    await linkDeploymentCommits(db, [
      { deploymentId: pushDeployment, repositoryId: repository, sha: 'late-push' },
    ]);
    await assertFactsEqualRaw();
    await sql`insert into pull_requests (repository_id, number, state, author_is_bot, created_at,
        first_commit_authored_at, first_review_at, merged_at, merge_commit_sha)
      values (${repository}, 999999, 'merged', false, '2026-09-05T09:00:00Z', '2026-09-01T09:00:00Z',
        '2026-09-06T09:00:00Z', '2026-09-10T10:00:00Z', 'late-push')`.execute(db);
    await assertFactsEqualRaw();

    // Implausible times, stored as sent and left out of lead time: a commit from 1970, one committed after
    // the deployment that shipped it, and a deployment dated days ahead of the clock.
    await upsertCommits(db, [
      { repositoryId: repository, sha: 'from-1970', committedAt: new Date('1970-01-01T00:00:00Z') },
      { repositoryId: repository, sha: 'after-deploy', committedAt: new Date('2026-09-15T10:00:00Z') },
      { repositoryId: repository, sha: 'ahead', committedAt: new Date('2026-10-30T10:00:00Z') },
    ]);
    const aheadIds = await upsertDeployments(
      db,
      [
        {
          source: 'api',
          externalId: 'ahead-deploy',
          repositoryId: repository,
          service: null,
          environment: 'production',
          sha: 'ahead',
          status: 'success' as const,
          originalStatus: 'success',
          startedAt: new Date('2026-11-05T10:00:00Z'),
          finishedAt: new Date('2026-11-05T10:00:00Z'),
          teamId: null,
          teamAttribution: null,
        },
      ],
      now,
    );
    await linkDeploymentCommits(db, [
      { deploymentId: pushDeployment, repositoryId: repository, sha: 'from-1970' },
      { deploymentId: pushDeployment, repositoryId: repository, sha: 'after-deploy' },
      {
        deploymentId: aheadIds.get(deploymentKey('api', 'ahead-deploy')) as number,
        repositoryId: repository,
        sha: 'ahead',
      },
    ]);
    await assertFactsEqualRaw();
    const reasons = await sql<{ reason: string }>`
      select distinct s.excluded_reason as reason
      from (${leadTimeFactSamples(scopeOf('ahead'))}) s where s.excluded_reason is not null
      union select distinct s.excluded_reason
      from (${leadTimeFactSamples(scopeOf('2026-09'))}) s where s.excluded_reason is not null`.execute(db);
    assert.deepEqual(reasons.rows.map((row) => row.reason).sort(), [
      'deployment_out_of_range',
      'start_out_of_range',
      'started_after_deployment',
    ]);

    // The first delivery was wrong: it failed (re-delivered), another deployment moves to another team, a
    // commit's time is corrected, and one deployment is deleted (its shipments cascade).
    await upsertDeployments(
      db,
      [
        {
          source: 'api',
          externalId: 'late-0',
          repositoryId: originals.rows[0]!.repositoryId,
          service: null,
          environment: 'production',
          sha: null,
          status: 'failure' as const,
          originalStatus: 'failure',
          startedAt: new Date(originals.rows[0]!.finishedAt.getTime() - 86_400_000),
          finishedAt: new Date(originals.rows[0]!.finishedAt.getTime() - 86_400_000),
          teamId: null,
          teamAttribution: null,
        },
      ],
      now,
    );
    const teams = await db.selectFrom('teams').select('id').orderBy('id').execute();
    await sql`update deployments set team_id = ${teams[0]!.id}
      where external_id = 'late-1' and source = 'api'`.execute(db);
    await sql`update commits set committed_at = committed_at - interval '3 days'
      where (repository_id, sha) in (select repository_id, sha from deployment_commits
        where deployment_id = ${originals.rows[2]!.id})`.execute(db);
    await sql`delete from deployments where source = 'api' and external_id = 'late-3'`.execute(db);
    assert.ok((await marks()) > 0);
    assert.ok((await assertFactsEqualRaw()) > 300);
    assert.deepEqual(await builtAt(), built, 'refreshed incrementally, never rebuilt');
    assert.equal(await marks(), 0, 'every mark was applied');
  });

  test('a changed definition or another reading builds its own facts', async () => {
    const db = database.db;
    // Facts of another definition version are dropped when this one builds a new variant.
    await sql`insert into lead_time_fact_variants (variant) values ('lead-time-v0|production|with-demo')`.execute(
      db,
    );
    const compared = await assertFactsEqualRaw({ productionEnvironments: ['production', 'staging'] });
    assert.ok(compared > 300);
    const withoutDemo = await assertFactsEqualRaw({ excludeDemo: true });
    assert.ok(withoutDemo > 0 && withoutDemo < compared, 'only the changes shipped by the late deliveries');
    const variants = await sql<{ variant: string }>`select variant from lead_time_fact_variants`.execute(db);
    assert.ok(variants.rows.every((row) => row.variant.startsWith(`${LEAD_TIME_DEFINITION}|`)));
    assert.equal(variants.rows.length, 3);
    // One team's figures read the raw rows; the facts serve organisation-wide scopes.
    const team = await db.selectFrom('teams').select('id').executeTakeFirstOrThrow();
    const scope = { ...scopeOf('2026-09'), teamId: team.id };
    assert.deepEqual(await sampleRows(leadTimeFactSamples(scope)), await sampleRows(leadTimeSamples(scope)));
  });
});
