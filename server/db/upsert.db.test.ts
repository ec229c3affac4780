import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { ensureRepositories } from './code-repositories.repository.ts';
import { upsertCommits } from './commits.repository.ts';
import type { DatabaseHandle } from './database.ts';
import { deploymentKey, linkDeploymentCommits, upsertDeployments } from './deployments.repository.ts';
import { upsertIncidents } from './incidents.repository.ts';
import { upsertPullRequests } from './pull-requests.repository.ts';
import type { NewDeployment } from './tables.ts';

let handle: DatabaseHandle;
before(async () => {
  handle = await openTestDatabase();
});
after(async () => handle.close());

const t0 = new Date('2026-10-01T00:00:00Z');
const later = new Date('2026-10-02T00:00:00Z');

describe(`batched idempotent upserts (${testEngine})`, () => {
  test('1,200 deployments written twice leave 1,200 rows, unchanged rows untouched', async () => {
    const repos = await ensureRepositories(handle.db, ['Acme/Api']);
    const repositoryId = repos.get('acme/api') ?? null;
    assert.ok(repositoryId);
    const deployments: NewDeployment[] = Array.from({ length: 1200 }, (_, i) => ({
      source: 'ci',
      externalId: `d-${i}`,
      repositoryId,
      environment: 'production',
      status: 'success',
      sha: `sha${i}`,
      startedAt: new Date(t0.getTime() + i * 60_000),
      finishedAt: new Date(t0.getTime() + i * 60_000 + 30_000),
    }));
    const first = await upsertDeployments(handle.db, deployments, t0);
    const second = await upsertDeployments(handle.db, deployments, later);
    assert.equal(first.size, 1200);
    assert.deepEqual(second, first);
    const rows = await handle.db
      .selectFrom('deployments')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('updatedAt').as('lastUpdate')])
      .executeTakeFirstOrThrow();
    assert.equal(rows.count, 1200);
    assert.equal(new Date(rows.lastUpdate).toISOString(), t0.toISOString()); // the second write changed nothing
  });

  test('a re-delivered deployment with new data updates in place', async () => {
    await upsertDeployments(
      handle.db,
      [{ source: 'ci', externalId: 'd-7', service: 'api', environment: 'production', status: 'failure' }],
      later,
    );
    const row = await handle.db
      .selectFrom('deployments')
      .select(['status', 'service', 'updatedAt'])
      .where('externalId', '=', 'd-7')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [row.status, row.service, row.updatedAt.toISOString()],
      ['failure', 'api', later.toISOString()],
    );
  });

  test('commits and deployment links are idempotent; a later authored time fills in', async () => {
    const repositoryId = (await ensureRepositories(handle.db, ['acme/api'])).get('acme/api') as number;
    await upsertCommits(handle.db, [{ repositoryId, sha: 'abc', committedAt: t0 }]);
    await upsertCommits(handle.db, [{ repositoryId, sha: 'abc', committedAt: t0, authoredAt: t0 }]);
    await upsertCommits(handle.db, [{ repositoryId, sha: 'abc', committedAt: t0 }]);
    const commit = await handle.db.selectFrom('commits').selectAll().executeTakeFirstOrThrow();
    assert.equal(commit.authoredAt?.toISOString(), t0.toISOString());
    const ids = await upsertDeployments(
      handle.db,
      [{ source: 'ci', externalId: 'd-1', repositoryId, environment: 'production', status: 'success' }],
      later,
    );
    const deploymentId = ids.get(deploymentKey('ci', 'd-1')) as number;
    await linkDeploymentCommits(handle.db, [{ deploymentId, repositoryId, sha: 'abc' }]);
    await linkDeploymentCommits(handle.db, [{ deploymentId, repositoryId, sha: 'abc' }]);
    const links = await handle.db.selectFrom('deploymentCommits').selectAll().execute();
    assert.equal(links.length, 1);
  });

  test('an incident gains its resolution later and links to its cause whichever arrives first', async () => {
    const incident = {
      source: 'ci',
      externalId: 'inc-9',
      service: 'api',
      startedAt: later,
      causeDeploymentExternalId: 'd-late',
    };
    await upsertIncidents(handle.db, [incident], later);
    await upsertIncidents(
      handle.db,
      [{ ...incident, resolvedAt: new Date(later.getTime() + 3_600_000) }],
      later,
    );
    await upsertDeployments(
      handle.db,
      [{ source: 'ci', externalId: 'd-late', service: 'api', environment: 'production', status: 'success' }],
      later,
    );
    const rows = await handle.db
      .selectFrom('incidents')
      .innerJoin('deployments', 'deployments.id', 'incidents.deploymentId')
      .select(['incidents.resolvedAt', 'incidents.deploymentLink', 'deployments.externalId'])
      .execute();
    assert.equal(rows.length, 1);
    assert.deepEqual(
      [rows[0]?.resolvedAt?.toISOString(), rows[0]?.deploymentLink, rows[0]?.externalId],
      ['2026-10-02T01:00:00.000Z', 'explicit', 'd-late'],
    );
  });

  test('pull requests upsert on repository and number', async () => {
    const repositoryId = (await ensureRepositories(handle.db, ['acme/api'])).get('acme/api') as number;
    const pr = { repositoryId, number: 12, state: 'open' as const, createdAt: t0, authorIsBot: false };
    await upsertPullRequests(handle.db, [pr, pr]);
    await upsertPullRequests(handle.db, [{ ...pr, state: 'merged', mergedAt: later, mergeCommitSha: 'abc' }]);
    const rows = await handle.db.selectFrom('pullRequests').select(['state', 'mergeCommitSha']).execute();
    assert.deepEqual(rows, [{ state: 'merged', mergeCommitSha: 'abc' }]);
  });
});
