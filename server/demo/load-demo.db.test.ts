import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '#db/database.ts';
import type { Database } from '#db/tables.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { hasDeliveryData } from '../db/delivery-data.repository.ts';
import { loadDemo } from './load-demo.ts';
import type { DemoSummary } from './load-demo.ts';

const until = new Date('2026-11-01T00:00:00Z');
const options = { teams: 4, days: 30, seed: 7, until };

async function tableCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'teams',
    'repositories',
    'commits',
    'pull_requests',
    'deployments',
    'deployment_commits',
    'incidents',
    'ci_runs',
  ]) {
    const result = await sql<{
      count: number;
    }>`select count(*)::int as count from ${sql.table(table)}`.execute(db);
    counts[table] = result.rows[0]?.count ?? -1;
  }
  return counts;
}

/** Natural keys and timestamps, in a stable order, so two databases can be compared row for row. */
async function naturalRows(db: Kysely<Database>) {
  const deployments = await db
    .selectFrom('deployments as d')
    .leftJoin('teams as t', 't.id', 'd.teamId')
    .leftJoin('repositories as r', 'r.id', 'd.repositoryId')
    .select(['d.source', 'd.externalId', 'r.fullName', 'd.environment', 'd.status', 'd.kind', 'd.sha'])
    .select(['d.startedAt', 'd.finishedAt', 't.slug'])
    .orderBy('d.source')
    .orderBy('d.externalId')
    .execute();
  const pullRequests = await db
    .selectFrom('pullRequests as p')
    .innerJoin('repositories as r', 'r.id', 'p.repositoryId')
    .leftJoin('teams as t', 't.id', 'p.teamId')
    .select([
      'r.fullName',
      'p.number',
      'p.state',
      'p.createdAt',
      'p.firstReviewAt',
      'p.mergedAt',
      'p.mergeCommitSha',
    ])
    .select('t.slug')
    .orderBy('r.fullName')
    .orderBy('p.number')
    .execute();
  const incidents = await db
    .selectFrom('incidents as i')
    .leftJoin('deployments as d', 'd.id', 'i.deploymentId')
    .select([
      'i.source',
      'i.externalId',
      'i.severity',
      'i.startedAt',
      'i.resolvedAt',
      'd.externalId as causeId',
    ])
    .orderBy('i.source')
    .orderBy('i.externalId')
    .execute();
  const shipped = await db
    .selectFrom('deploymentCommits as dc')
    .innerJoin('deployments as d', 'd.id', 'dc.deploymentId')
    .select(['d.externalId', 'dc.sha'])
    .orderBy('d.externalId')
    .orderBy('dc.sha')
    .execute();
  return { deployments, pullRequests, incidents, shipped };
}

describe('loadDemo', () => {
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  let summary: DemoSummary;

  before(async () => {
    first = await openTestDatabase();
    second = await openTestDatabase();
  });
  after(async () => {
    await first.close();
    await second.close();
  });

  test('an empty database has no delivery data; after a load it has', async () => {
    assert.equal(await hasDeliveryData(first.db), false);
    summary = await loadDemo(first.db, options, until);
    assert.equal(await hasDeliveryData(first.db), true);
  });

  test('the summary counts what the tables hold', async () => {
    const counts = await tableCounts(first.db);
    assert.equal(summary.teams, 4);
    assert.equal(counts['teams'], 4);
    // payments 3 + checkout 2 + search 2 + identity 2 repositories.
    assert.equal(summary.repositories, 9);
    assert.equal(counts['repositories'], 9);
    assert.equal(counts['commits'], summary.commits);
    assert.equal(counts['pull_requests'], summary.pullRequests);
    assert.equal(counts['deployments'], summary.deployments);
    assert.equal(counts['incidents'], summary.incidents);
    assert.equal(counts['ci_runs'], summary.ciRuns);
    assert.ok(
      summary.deployments > 50 && summary.pullRequests > 50 && summary.incidents > 3,
      JSON.stringify(summary),
    );
  });

  test('loading again with the same options changes no row', async () => {
    const countsBefore = await tableCounts(first.db);
    const rowsBefore = await naturalRows(first.db);
    const updatedBefore = await first.db
      .selectFrom('deployments')
      .select((eb) => eb.fn.max('updatedAt').as('latest'))
      .executeTakeFirstOrThrow();
    // A later `now`: an upsert that rewrote unchanged rows would move their updated_at.
    await loadDemo(first.db, options, new Date('2026-11-02T00:00:00Z'));
    assert.deepEqual(await tableCounts(first.db), countsBefore);
    assert.deepEqual(await naturalRows(first.db), rowsBefore);
    const updatedAfter = await first.db
      .selectFrom('deployments')
      .select((eb) => eb.fn.max('updatedAt').as('latest'))
      .executeTakeFirstOrThrow();
    assert.deepEqual(updatedAfter, updatedBefore);
  });

  test('every demo deployment, pull request and incident is attributed to a team through ownership', async () => {
    const unattributed = await sql<{ deployments: number; pullRequests: number; incidents: number }>`
      select (select count(*)::int from deployments where source = 'demo' and team_id is null) as deployments,
             (select count(*)::int from pull_requests where team_id is null) as pull_requests,
             (select count(*)::int from incidents where source = 'demo' and team_id is null) as incidents`.execute(
      first.db,
    );
    assert.deepEqual(unattributed.rows[0], { deployments: 0, pullRequests: 0, incidents: 0 });
    const attribution = await first.db
      .selectFrom('deployments')
      .select('teamAttribution')
      .distinct()
      .execute();
    assert.deepEqual(attribution, [{ teamAttribution: 'ownership' }]);
  });

  test("a deployment is attributed to the team that owns its service: payments' deployments to payments", async () => {
    const teams = await first.db
      .selectFrom('deployments as d')
      .innerJoin('teams as t', 't.id', 'd.teamId')
      .select('t.slug')
      .distinct()
      .where('d.service', 'in', ['payments', 'payments-web'])
      .execute();
    assert.deepEqual(teams, [{ slug: 'payments' }]);
  });

  test('incidents with a cause are linked explicitly to that deployment; the others are not linked', async () => {
    const incidents = await first.db
      .selectFrom('incidents as i')
      .leftJoin('deployments as d', 'd.id', 'i.deploymentId')
      .select([
        'i.externalId',
        'i.causeDeploymentExternalId',
        'i.deploymentLink',
        'd.externalId as linkedExternalId',
      ])
      .execute();
    const caused = incidents.filter((i) => i.causeDeploymentExternalId !== null);
    assert.ok(caused.length > 0);
    for (const incident of caused) {
      assert.equal(incident.deploymentLink, 'explicit', incident.externalId);
      assert.equal(incident.linkedExternalId, incident.causeDeploymentExternalId, incident.externalId);
    }
    for (const incident of incidents.filter((i) => i.causeDeploymentExternalId === null)) {
      assert.equal(incident.deploymentLink, null, incident.externalId);
    }
  });

  test('two databases loaded with the same options hold identical rows', async () => {
    await loadDemo(second.db, options, until);
    const expected = await naturalRows(first.db);
    const actual = await naturalRows(second.db);
    assert.ok(expected.deployments.length > 0 && expected.shipped.length > 0);
    assert.deepEqual(actual, expected);
  });
});
