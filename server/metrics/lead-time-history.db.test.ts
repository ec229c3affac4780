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
import { leadTimeExclusion, leadTimeSamples } from './lead-time.metric.ts';
import { namedPeriod } from './period.ts';
import type { Period } from './period.ts';
import { hoursBetween, inPeriod, productionOnly, teamFilter } from './scope.ts';
import type { MetricScope } from './scope.ts';

// Lead time reads history only for the changes shipped in the period (issue #17). This proves it gives
// exactly the samples of the definition read literally — every successful production deployment before the
// period's end — on demo data with late and out-of-order deployments added: a redeploy arriving late that
// finished *before* the first one known, and a pull request whose commits shipped across two periods.
const now = new Date('2026-11-01T00:00:00Z');
let database: DatabaseHandle;

/** The definition read literally (the query before #17): every shipment ever, ranked per change. */
function referenceLeadTimeSamples(scope: MetricScope): RawBuilder<unknown> {
  const startedAt = sql`coalesce(s.pr_first_commit_authored_at, s.committed_at)`;
  // Recreated by a rebase merge: GitHub commits it when it merges the PR (a minute covers clock rounding).
  const rebaseWindow = sql`interval '1 minute'`;
  return sql`
    with shipped as (
      select d.team_id, d.finished_at, d.id as deployment_id, d.source as deployment_source,
        d.external_id as deployment_external_id, dc.repository_id, dc.sha, c.committed_at,
        c.authored_at as commit_authored_at, pr.id as pr_id, pr.number as pull_request_number, pr.merge_commit_sha as pr_merge_commit_sha,
        pr.first_commit_authored_at as pr_first_commit_authored_at, pr.created_at as pr_created_at,
        pr.first_review_at as pr_first_review_at, pr.merged_at as pr_merged_at, pr.author_is_bot as pr_is_bot
      from deployments d
      join deployment_commits dc on dc.deployment_id = d.id
      join commits c on c.repository_id = dc.repository_id and c.sha = dc.sha
      left join lateral (
        select p.id, p.number, p.merge_commit_sha, p.first_commit_authored_at, p.created_at, p.first_review_at,
          p.merged_at, p.author_is_bot
        from pull_requests p
        where p.merged_at is not null and p.id in (
          select p1.id from pull_requests p1
          where p1.repository_id = dc.repository_id and p1.merge_commit_sha = dc.sha
          union all
          select pc.pull_request_id from pull_request_commits pc
          where pc.repository_id = dc.repository_id and pc.sha = dc.sha
          union all
          select pc.pull_request_id from pull_request_commits pc
          join pull_requests p2 on p2.id = pc.pull_request_id
          where pc.repository_id = dc.repository_id and pc.authored_at = c.authored_at
            and c.committed_at between p2.merged_at - ${rebaseWindow} and p2.merged_at + ${rebaseWindow})
        order by p.merged_at, p.id
        limit 1
      ) pr on true
      -- a change's first deployment can only be earlier than the period's end
      where d.status = 'success' and d.finished_at is not null and d.finished_at < ${scope.period.to}
        and ${productionOnly('d', scope)}
    ), changes as (
      select s.*, row_number() over (
          partition by s.repository_id, coalesce('pr ' || s.pr_id::text, 'commit ' || s.sha)
          order by s.finished_at, s.deployment_id, coalesce(s.sha = s.pr_merge_commit_sha, false) desc, s.sha
        ) as nth
      from shipped s
    )
    select s.team_id, s.finished_at as at, s.deployment_id, s.deployment_source, s.deployment_external_id,
      r.full_name as repository, s.sha, s.committed_at, s.pull_request_number,
      case when s.pr_first_commit_authored_at is not null then 'pull_request_first_commit' else 'commit' end
        as start_kind,
      ${startedAt} as change_started_at, s.finished_at as deployed_at,
      ${hoursBetween(startedAt, sql`s.finished_at`)} as lead_time_hours,
      s.pr_created_at as pull_request_opened_at, s.pr_first_review_at as first_review_at,
      s.pr_merged_at as merged_at,
      ${hoursBetween(sql`s.pr_first_commit_authored_at`, sql`s.pr_created_at`)} as coding_hours,
      ${hoursBetween(sql`s.pr_created_at`, sql`s.pr_first_review_at`)} as pickup_hours,
      ${hoursBetween(sql`s.pr_first_review_at`, sql`s.pr_merged_at`)} as review_hours,
      ${hoursBetween(sql`s.pr_merged_at`, sql`s.finished_at`)} as deploy_wait_hours,
      ${leadTimeExclusion(scope)} as excluded_reason
    from changes s
    join repositories r on r.id = s.repository_id
    where s.nth = 1 and s.pr_is_bot is not true
      and ${inPeriod('s.finished_at', scope)} ${teamFilter('s.team_id', scope)}`;
}

async function rows(samples: RawBuilder<unknown>) {
  const result = await sql<Record<string, unknown>>`
    select * from (${samples}) s order by s.deployment_id, s.repository, s.sha`.execute(database.db);
  return result.rows;
}

before(async () => {
  database = await openTestDatabase();
  await loadDemo(database.db, { teams: 3, days: 75, seed: 11, until: now }, now);
  const db = database.db;
  // Out of order: copies of existing production deployments (same commits), reported late, that finished
  // a day *earlier* than the originals — the changes' first deployments move a day back, some across a
  // month boundary; and one deployment shipping one commit of a multi-commit pull request a week early.
  const originals = await sql<{
    id: number;
    repositoryId: number;
    finishedAt: Date;
    service: string | null;
  }>`
    select d.id, d.repository_id, d.finished_at, d.service from deployments d
    where d.status = 'success' and d.environment = 'production' and d.repository_id is not null
      and exists (select 1 from deployment_commits dc where dc.deployment_id = d.id)
    order by d.id limit 40`.execute(db);
  const early = (row: { finishedAt: Date }, days: number) =>
    new Date(row.finishedAt.getTime() - days * 86_400_000);
  const lateRows = originals.rows.map((row, index) =>
    pushedDeployment(`late-${index}`, early(row, index % 2 === 0 ? 1 : 7), {
      repositoryId: row.repositoryId,
      service: row.service,
    }),
  );
  const ids = await upsertDeployments(db, lateRows, now);
  const shipped = await sql<{ deploymentId: number; repositoryId: number; sha: string }>`
    select deployment_id, repository_id, sha from deployment_commits
    where deployment_id = any(${originals.rows.map((row) => row.id)}::bigint[])`.execute(db);
  const lateOf = new Map(originals.rows.map((row, index) => [row.id, `late-${index}`]));
  await linkDeploymentCommits(
    db,
    // Every other late copy ships only its first commit: part of a pull request goes out early.
    shipped.rows
      .filter((link, index) => index % 2 === 0 || (lateOf.get(link.deploymentId) ?? '').endsWith('0'))
      .map((link) => ({
        deploymentId: ids.get(deploymentKey('api', lateOf.get(link.deploymentId) ?? '')) as number,
        repositoryId: link.repositoryId,
        sha: link.sha,
      })),
  );
  // A pull request's branch commit shipped three weeks before the commit that merged it (a hotfix
  // deployed from the branch): the change's first deployment is the early one, so the later period must
  // not count it again. The branch commit is new: every demo branch commit ships with its merge.
  const prs = await sql<{ deploymentId: number; repositoryId: number; sha: string; finishedAt: Date }>`
    select distinct on (p.id) d.id as deployment_id, p.repository_id, 'branch-' || p.id as sha, d.finished_at
    from pull_requests p
    join deployment_commits dc on dc.repository_id = p.repository_id and dc.sha = p.merge_commit_sha
    join deployments d on d.id = dc.deployment_id and d.status = 'success' and d.environment = 'production'
    order by p.id, d.finished_at limit 30`.execute(db);
  assert.ok(prs.rows.length > 0, 'the demo has deployed pull requests');
  await upsertCommits(
    db,
    prs.rows.map((row) => ({
      repositoryId: row.repositoryId,
      sha: row.sha,
      committedAt: new Date(row.finishedAt.getTime() - 30 * 86_400_000),
    })),
  );
  await sql`insert into pull_request_commits (pull_request_id, repository_id, sha, authored_at, committed_at)
    select replace(sha, 'branch-', '')::bigint, repository_id, sha, committed_at, committed_at
    from commits where sha like 'branch-%'`.execute(db);
  const branchIds = await upsertDeployments(
    db,
    prs.rows.map((row, index) =>
      pushedDeployment(`branch-${index}`, new Date(row.finishedAt.getTime() - 21 * 86_400_000), {
        repositoryId: row.repositoryId,
      }),
    ),
    now,
  );
  await linkDeploymentCommits(
    db,
    prs.rows.map((row, index) => ({
      deploymentId: branchIds.get(deploymentKey('api', `branch-${index}`)) as number,
      repositoryId: row.repositoryId,
      sha: row.sha,
    })),
  );
  // Implausible times (#12), left out alike: commits from 1970, pull requests started in 1999, commits
  // dated weeks after the deployments that shipped them, and the latest deployments dated days ahead.
  await sql`update commits set committed_at = '1970-01-01T00:00:00Z'
    where sha in (select sha from commits where sha not like 'branch-%' order by sha limit 8)`.execute(db);
  await sql`update pull_requests set first_commit_authored_at = '1999-12-31T00:00:00Z'
    where id in (select id from pull_requests where merged_at is not null order by merged_at desc limit 20)`.execute(
    db,
  );
  await sql`update commits set committed_at = committed_at + interval '40 days'
    where sha in (select sha from commits where sha not like 'branch-%' order by sha desc limit 8)`.execute(
    db,
  );
  await sql`update deployments set started_at = ${now}::timestamptz + interval '3 days',
      finished_at = ${now}::timestamptz + interval '3 days'
    where id in (select id from deployments where status = 'success' and environment = 'production'
      order by finished_at desc limit 3)`.execute(db);
});
after(async () => database.close());

describe('lead time from the changes shipped in the period equals the definition over all history', () => {
  const periods: Period[] = [
    ...['2026-08', '2026-09', '2026-10', 'last-30d', 'last-7d'].map((label) => namedPeriod(label, now)),
    { from: new Date('2026-10-15T00:00:00Z'), to: new Date('2026-11-15T00:00:00Z'), label: 'around now' },
  ];
  test('for the organisation, every team and every week, in every period', async () => {
    const teams = await database.db.selectFrom('teams').select('id').execute();
    let compared = 0;
    const reasons = new Set<unknown>();
    for (const period of periods) {
      const scopes: MetricScope[] = [
        { period, now, productionEnvironments: ['production'] },
        ...teams.map((team) => ({ period, now, productionEnvironments: ['production'], teamId: team.id })),
      ];
      for (const scope of scopes) {
        const expected = await rows(referenceLeadTimeSamples(scope));
        assert.deepEqual(
          await rows(leadTimeSamples(scope)),
          expected,
          `${period.label} team ${String(scope.teamId)}`,
        );
        compared += expected.length;
        for (const row of expected) reasons.add(row['excludedReason']);
      }
    }
    assert.ok(compared > 500, `compared ${compared} samples`);
    assert.deepEqual(
      [...reasons].sort(),
      ['deployment_out_of_range', 'start_out_of_range', 'started_after_deployment', null].sort(),
    );
  });
});
