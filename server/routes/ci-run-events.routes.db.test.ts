import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { ingestAppFixture, INGEST_SECRET, postJson } from '../../test/ingest-app.ts';

const now = new Date('2026-11-20T12:00:00Z');
const fixture = ingestAppFixture(now);
const URL = '/api/v1/events/ci-runs';

/** A passing pull-request pipeline of acme/billing (owned by payments): queued 1 min, ran 9 min. */
const run = (i: number, overrides: Record<string, unknown> = {}) => ({
  pipelineId: `pipeline-${i}`,
  repository: 'acme/billing',
  pipeline: 'build-and-test',
  event: 'pull_request',
  branch: 'feature/x',
  sha: i.toString(16).padStart(8, '0').padStart(40, 'a'),
  status: 'success',
  queuedAt: '2026-11-10T10:00:00Z',
  startedAt: '2026-11-10T10:01:00Z',
  finishedAt: '2026-11-10T10:10:00Z',
  ...overrides,
});

async function count(table: 'ci_runs' | 'ci_jobs' | 'event_payloads') {
  const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
    fixture.handle.db,
  );
  return result.rows[0]?.n;
}
const error = (response: { json: () => unknown }) =>
  (response.json() as { error: { code: string; field?: string; message: string } }).error;
const attemptsOf = (pipelineId: string) =>
  fixture.handle.db
    .selectFrom('ciRuns')
    .leftJoin('teams', 'teams.id', 'ciRuns.teamId')
    .select([
      'ciRuns.attempt',
      'ciRuns.status',
      'ciRuns.conclusion',
      'ciRuns.branchKind',
      'ciRuns.runCreatedAt',
      'ciRuns.teamAttribution',
      'teams.slug',
    ])
    .where('externalId', '=', pipelineId)
    .orderBy('attempt')
    .execute();

describe('POST /api/v1/events/ci-runs', () => {
  test('the same 1,000-run batch sent twice leaves 1,000 attempts; unchanged rows are not rewritten', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => run(i));
    for (const attempt of [1, 2]) {
      const response = await fixture.app.inject(postJson(URL, batch, { token: fixture.token }));
      assert.equal(response.statusCode, 200, `attempt ${attempt}: ${response.body}`);
      assert.deepEqual(response.json(), { accepted: 1000, unattributed: [] });
    }
    assert.equal(await count('ci_runs'), 1000);
    assert.equal(await count('event_payloads'), 2);
    const [stored] = await attemptsOf('pipeline-7');
    assert.deepEqual(stored, {
      attempt: 1,
      status: 'completed',
      conclusion: 'success',
      branchKind: 'pull_request',
      runCreatedAt: new Date('2026-11-10T10:00:00Z'),
      teamAttribution: 'ownership',
      slug: 'payments',
    });
  });

  test('a batch with one bad item is a 400 naming it, and writes nothing', async () => {
    const [runs, payloads] = [await count('ci_runs'), await count('event_payloads')];
    const batch = Array.from({ length: 10 }, (_, i) => run(5000 + i));
    batch[7] = run(5007, { status: 'passed' });
    const response = await fixture.app.inject(postJson(URL, batch, { token: fixture.token }));
    assert.equal(response.statusCode, 400);
    assert.equal(error(response).field, 'body[7].status');
    assert.match(error(response).message, /body\[7\]\.status must be one of: queued, running, success/);
    assert.equal(await count('ci_runs'), runs);
    assert.equal(await count('event_payloads'), payloads);
  });

  test('checks beyond the schema name the item and field too, and write nothing', async () => {
    const payloads = await count('event_payloads');
    const cases: [Record<string, unknown>, string][] = [
      [{ team: 'no-such-team' }, 'body[1].team'],
      [{ queuedAt: undefined, startedAt: undefined }, 'body[1].queuedAt'],
      [{ finishedAt: null }, 'body[1].finishedAt'],
      [{ finishedAt: '2026-11-10T10:00:30Z' }, 'body[1].finishedAt'],
      [{ startedAt: '2026-11-10T09:00:00Z' }, 'body[1].startedAt'],
      [{ createdAt: '2026-11-10T11:00:00Z' }, 'body[1].queuedAt'],
      [{ attempt: 0 }, 'body[1].attempt'],
      [{ repository: 'billing' }, 'body[1].repository'],
      [{ event: 'merge_request_event' }, 'body[1].event'],
      [{ jobs: [{ id: 'j', name: 'test', status: 'done' }] }, 'body[1].jobs[0].status'],
      [{ queuedAt: '2026-11-10 10:00' }, 'body[1].queuedAt'],
      [{ colour: 'blue' }, 'body[1].colour'],
    ];
    for (const [overrides, field] of cases) {
      const batch = [run(6000), run(6001, overrides)];
      const response = await fixture.app.inject(postJson(URL, batch, { token: fixture.token }));
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.equal(error(response).field, field);
    }
    assert.equal(await count('event_payloads'), payloads);
    assert.deepEqual(await attemptsOf('pipeline-6000'), []);
  });

  test('a batch of 1,001 is rejected', async () => {
    const batch = Array.from({ length: 1001 }, (_, i) => run(7000 + i));
    const response = await fixture.app.inject(postJson(URL, batch, { token: fixture.token }));
    assert.equal(response.statusCode, 400);
    assert.equal(error(response).field, 'body');
    assert.match(error(response).message, /more than 1000 items/);
  });

  test('a re-run is the next attempt of the same pipeline; one sent first learns the run creation later', async () => {
    // Attempt 2 (passed) arrives before attempt 1 (failed): both end up with attempt 1's creation.
    const second = run(8000, {
      attempt: 2,
      event: 'push',
      branch: 'main',
      queuedAt: '2026-11-10T11:00:00Z',
      startedAt: '2026-11-10T11:00:30Z',
      finishedAt: '2026-11-10T11:08:00Z',
    });
    const first = run(8000, { event: 'push', branch: 'main', status: 'failure' });
    for (const body of [second, first, [first, second]]) {
      const response = await fixture.app.inject(postJson(URL, body, { secret: INGEST_SECRET }));
      assert.equal(response.statusCode, 200, response.body);
    }
    const attempts = await attemptsOf('pipeline-8000');
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.conclusion, a.branchKind, a.runCreatedAt.toISOString()]),
      [
        [1, 'failure', 'default_branch', '2026-11-10T10:00:00.000Z'],
        [2, 'success', 'default_branch', '2026-11-10T10:00:00.000Z'],
      ],
    );
  });

  test('jobs are stored with their attempt; a running attempt keeps no finish', async () => {
    const body = run(8100, {
      status: 'running',
      finishedAt: '2026-11-10T10:10:00Z',
      defaultBranch: 'trunk',
      event: 'push',
      branch: 'trunk',
      jobs: [
        {
          id: 'j1',
          name: 'lint',
          status: 'success',
          startedAt: '2026-11-10T10:01:00Z',
          finishedAt: '2026-11-10T10:02:00Z',
        },
        { id: 'j2', name: 'test', status: 'running', startedAt: '2026-11-10T10:01:00Z' },
      ],
    });
    for (const _ of [1, 2]) {
      assert.equal((await fixture.app.inject(postJson(URL, body, { token: fixture.token }))).statusCode, 200);
    }
    const [attempt] = await attemptsOf('pipeline-8100');
    assert.equal(attempt?.status, 'in_progress');
    assert.equal(attempt?.branchKind, 'default_branch');
    const jobs = await fixture.handle.db
      .selectFrom('ciJobs')
      .innerJoin('ciRuns', 'ciRuns.id', 'ciJobs.ciRunId')
      .select(['ciJobs.name', 'ciJobs.status', 'ciJobs.conclusion'])
      .where('ciRuns.externalId', '=', 'pipeline-8100')
      .orderBy('ciJobs.name')
      .execute();
    assert.deepEqual(jobs, [
      { name: 'lint', status: 'completed', conclusion: 'success' },
      { name: 'test', status: 'in_progress', conclusion: null },
    ]);
    const finished = await fixture.handle.db
      .selectFrom('ciRuns')
      .select('finishedAt')
      .where('externalId', '=', 'pipeline-8100')
      .executeTakeFirstOrThrow();
    assert.equal(finished.finishedAt, null);
  });

  test('an explicit team wins over ownership; a run no team owns is accepted with 202 and listed', async () => {
    const explicit = await fixture.app.inject(
      postJson(URL, run(9000, { team: 'search' }), { token: fixture.token }),
    );
    assert.equal(explicit.statusCode, 200, explicit.body);
    const [attempt] = await attemptsOf('pipeline-9000');
    assert.deepEqual([attempt?.slug, attempt?.teamAttribution], ['search', 'explicit']);
    const response = await fixture.app.inject(
      postJson(URL, [run(9001), run(9002, { repository: 'acme/unknown' })], { token: fixture.token }),
    );
    assert.equal(response.statusCode, 202);
    assert.deepEqual(response.json(), { accepted: 2, unattributed: [{ index: 1, id: 'pipeline-9002' }] });
  });

  test('unsigned and wrongly signed requests are 401 and write nothing', async () => {
    const [runs, payloads] = [await count('ci_runs'), await count('event_payloads')];
    for (const attempt of [
      postJson(URL, [run(10_000)]),
      postJson(URL, [run(10_000)], { secret: 'not-the-secret' }),
      postJson(URL, [{ nonsense: true }]),
    ]) {
      const response = await fixture.app.inject(attempt);
      assert.equal(response.statusCode, 401, response.body);
      assert.equal(error(response).code, 'UNAUTHENTICATED');
    }
    assert.equal(await count('ci_runs'), runs);
    assert.equal(await count('event_payloads'), payloads);
  });
});
