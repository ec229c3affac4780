import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { ConfigFile } from '../../server/config/config.schema.ts';
import type { DatabaseHandle } from '../../server/db/database.ts';
import { syncOrganization } from '../../server/org/organization-sync.ts';
import type { FixtureActionsRun } from '../../test/github-actions-fixture.ts';
import type { FixtureRepository } from '../../test/github-fixture-graph.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { runGithubCollector } from './collector.ts';
import { configFor, fastClient } from './fixtures/test-setup.ts';

// acme/app (team app, default branch main) ran, besides 120 older passing pushes on main (hourly from
// Nov 1), these workflow runs:
//   9001 CI   pull_request  Nov 20 10:00  passed
//   9002 CI   push main     Nov 20 11:00  failed, then passed on re-run (the listing shows attempt 2)
//   9003 Deploy push main   Nov 20 12:00  a deploy workflow: not CI
//   9004 CI   schedule      Nov 20 13:00  not a CI event
//   9005 CI   push main     Nov 21 09:00  cancelled
//   9006 CI   pull_request  Nov 21 10:00  still running
// 124 CI runs, 125 attempts: more than one page of 100, so the listing pages by GitHub's Link header.
const ORGANIZATION: ConfigFile = {
  organization: 'acme',
  teams: [{ slug: 'app', name: 'App', repositories: ['acme/app', 'acme/tools'] }],
  sources: { github: { repositories: ['acme/app'] } },
};

const at = (day: number, time: string) => `2026-11-${String(day).padStart(2, '0')}T${time}:00Z`;
const attempt = (
  conclusion: 'success' | 'failure' | 'cancelled' | null,
  startedAt: string,
  updatedAt: string,
  jobs?: FixtureActionsRun['attempts'][number]['jobs'],
): FixtureActionsRun['attempts'][number] => ({
  status: conclusion ? 'completed' : 'in_progress',
  conclusion,
  startedAt,
  updatedAt,
  ...(jobs ? { jobs } : {}),
});
const ciRun = (
  id: number,
  event: string,
  createdAt: string,
  attempts: FixtureActionsRun['attempts'],
): FixtureActionsRun => ({
  id,
  name: 'CI',
  workflow: 'ci.yml',
  event,
  headBranch: event === 'pull_request' ? 'feature' : 'main',
  headSha: id.toString(16).padStart(40, 'a'),
  createdAt,
  attempts,
});

function appRepository(): FixtureRepository {
  const older = Array.from({ length: 120 }, (_, i) => {
    const created = new Date(Date.parse(at(1, '00:00')) + i * 3_600_000).toISOString();
    const finished = new Date(Date.parse(created) + 600_000).toISOString();
    return ciRun(8000 + i, 'push', created, [attempt('success', created, finished)]);
  });
  return {
    nameWithOwner: 'acme/app',
    defaultBranch: 'main',
    history: [],
    pullRequests: [],
    deployments: [],
    actionsRuns: [
      ...older,
      ciRun(9001, 'pull_request', at(20, '10:00'), [attempt('success', at(20, '10:01'), at(20, '10:11'))]),
      ciRun(9002, 'push', at(20, '11:00'), [
        attempt('failure', at(20, '11:01'), at(20, '11:20')),
        attempt('success', at(20, '12:00'), at(20, '12:15')),
      ]),
      {
        ...ciRun(9003, 'push', at(20, '12:00'), [attempt('success', at(20, '12:00'), at(20, '12:05'))]),
        name: 'Deploy',
        workflow: 'deploy.yml',
      },
      ciRun(9004, 'schedule', at(20, '13:00'), [attempt('success', at(20, '13:00'), at(20, '13:05'))]),
      ciRun(9005, 'push', at(21, '09:00'), [attempt('cancelled', at(21, '09:01'), at(21, '09:03'))]),
      ciRun(9006, 'pull_request', at(21, '10:00'), [attempt(null, at(21, '10:01'), at(21, '10:05'))]),
    ],
  };
}

/** acme/tools: one run re-run once, with jobs in both attempts. */
function toolsRepository(): FixtureRepository {
  const job = (id: number, name: string, conclusion: 'success' | 'failure', start: string, end: string) => ({
    id,
    name,
    status: 'completed' as const,
    conclusion,
    createdAt: start,
    startedAt: start,
    completedAt: end,
  });
  return {
    nameWithOwner: 'acme/tools',
    defaultBranch: 'main',
    history: [],
    pullRequests: [],
    deployments: [],
    actionsRuns: [
      ciRun(7001, 'pull_request', at(21, '08:00'), [
        attempt('failure', at(21, '08:01'), at(21, '08:09'), [
          job(1, 'lint', 'success', at(21, '08:01'), at(21, '08:02')),
          job(2, 'test', 'failure', at(21, '08:02'), at(21, '08:09')),
        ]),
        attempt('success', at(21, '08:30'), at(21, '08:40'), [
          job(3, 'lint', 'success', at(21, '08:30'), at(21, '08:31')),
          job(4, 'test', 'success', at(21, '08:31'), at(21, '08:40')),
        ]),
      ]),
    ],
  };
}

let handle: DatabaseHandle;
let server: GithubTestServer;
let config: AppConfig;
let now = new Date('2026-11-22T00:00:00Z');
const clock: Clock = { now: () => now };

const collect = (over: { config?: AppConfig; repository?: string } = {}) =>
  runGithubCollector({
    db: handle.db,
    config: over.config ?? config,
    clock,
    client: fastClient(config, clock),
    ...(over.repository ? { repository: over.repository } : {}),
  });
const restSince = (start: number) =>
  server.restReceived.slice(start).map((r) => {
    const url = new URL(r.request.split(' ')[1] ?? '', server.url);
    return `${url.pathname}${url.searchParams.has('page') ? `?page=${url.searchParams.get('page')}` : ''}`;
  });
const attemptsOf = (run: string) =>
  handle.db
    .selectFrom('ciRuns')
    .select(['attempt', 'status', 'conclusion', 'branchKind', 'queuedAt', 'runCreatedAt', 'finishedAt'])
    .where('externalId', '=', run)
    .orderBy('attempt')
    .execute();
async function snapshot() {
  const rows: Record<string, unknown[]> = {};
  for (const table of ['ci_runs', 'ci_jobs', 'repositories', 'sync_state']) {
    rows[table] = (
      await sql<unknown>`select * from ${sql.table(table)} order by 1, 2`.execute(handle.db)
    ).rows;
  }
  return rows;
}

before(async () => {
  handle = await openTestDatabase();
  server = await startGithubTestServer([appRepository(), toolsRepository()]);
  config = configFor(server.url, ORGANIZATION);
  await syncOrganization(handle.db, config.org, new Date('2026-10-01T00:00:00Z'));
});
after(async () => {
  await server.close();
  await handle.close();
});

describe(`GitHub Actions runs as CI telemetry (${testEngine})`, () => {
  test('a first sync pages the listing, keeps CI runs only and fetches the earlier attempt of a re-run', async () => {
    const start = server.restReceived.length;
    const result = await collect();
    assert.ok(result.started);
    assert.equal(result.status, 'success', result.errors.join('\n'));
    assert.equal(result.itemCounts['ciRuns'], 125);
    assert.deepEqual(restSince(start), [
      '/repos/acme/app/actions/runs?page=1',
      '/repos/acme/app/actions/runs/9002/attempts/1',
      '/repos/acme/app/actions/runs?page=2',
    ]);
    const counted = await handle.db.selectFrom('ciRuns').select('externalId').distinct().execute();
    assert.equal(counted.length, 124);
    assert.deepEqual(await attemptsOf('9003'), []);
    assert.deepEqual(await attemptsOf('9004'), []);
    // Both attempts carry the run's creation; only the first was queued then.
    assert.deepEqual(await attemptsOf('9002'), [
      {
        attempt: 1,
        status: 'completed',
        conclusion: 'failure',
        branchKind: 'default_branch',
        queuedAt: new Date(at(20, '11:00')),
        runCreatedAt: new Date(at(20, '11:00')),
        finishedAt: new Date(at(20, '11:20')),
      },
      {
        attempt: 2,
        status: 'completed',
        conclusion: 'success',
        branchKind: 'default_branch',
        queuedAt: null,
        runCreatedAt: new Date(at(20, '11:00')),
        finishedAt: new Date(at(20, '12:15')),
      },
    ]);
    assert.deepEqual(
      (await attemptsOf('9006')).map((a) => [a.status, a.conclusion, a.branchKind, a.finishedAt]),
      [['in_progress', null, 'pull_request', null]],
    );
    const owners = await handle.db
      .selectFrom('ciRuns')
      .innerJoin('teams', 'teams.id', 'ciRuns.teamId')
      .select('teams.slug')
      .distinct()
      .execute();
    assert.deepEqual(owners, [{ slug: 'app' }]);
    const repository = await handle.db
      .selectFrom('repositories')
      .select('defaultBranch')
      .where('fullName', '=', 'acme/app')
      .executeTakeFirstOrThrow();
    assert.equal(repository.defaultBranch, 'main');
  });

  test('a re-sync with nothing new reads one page and writes nothing', async () => {
    const before = await snapshot();
    const start = server.restReceived.length;
    now = new Date('2026-11-22T01:00:00Z');
    const result = await collect();
    assert.ok(result.started);
    assert.equal(result.status, 'success');
    // The walk re-reads from 3 days before the newest run (Nov 21 10:00); page 1 reaches back past it.
    assert.deepEqual(restSince(start), ['/repos/acme/app/actions/runs?page=1']);
    assert.deepEqual(await snapshot(), before);
  });

  test('re-runs of runs created before the watermark are found in the 3 days re-read', async () => {
    const app = server.repositories.find((r) => r.nameWithOwner === 'acme/app');
    const runs = app?.actionsRuns ?? [];
    const byId = (id: number) => runs.find((r) => r.id === id) as FixtureActionsRun;
    // 9002 (Nov 20) fails a third time; the cancelled 9005 passes on re-run; 9006 finishes red; 9007 is new.
    byId(9002).attempts.push(attempt('failure', at(22, '09:00'), at(22, '09:30')));
    byId(9005).attempts.push(attempt('success', at(22, '09:10'), at(22, '09:20')));
    byId(9006).attempts[0] = attempt('failure', at(21, '10:01'), at(21, '10:30'));
    runs.push(ciRun(9007, 'push', at(22, '11:00'), [attempt('success', at(22, '11:01'), at(22, '11:09'))]));
    now = new Date('2026-11-22T12:00:00Z');
    const start = server.restReceived.length;
    const result = await collect();
    assert.ok(result.started);
    assert.equal(result.status, 'success');
    // Earlier attempts stored complete are not asked for again.
    assert.deepEqual(restSince(start), ['/repos/acme/app/actions/runs?page=1']);
    assert.deepEqual(
      (await attemptsOf('9002')).map((a) => [a.attempt, a.conclusion]),
      [
        [1, 'failure'],
        [2, 'success'],
        [3, 'failure'],
      ],
    );
    assert.deepEqual(
      (await attemptsOf('9005')).map((a) => [a.attempt, a.conclusion, a.runCreatedAt.toISOString()]),
      [
        [1, 'cancelled', '2026-11-21T09:00:00.000Z'],
        [2, 'success', '2026-11-21T09:00:00.000Z'],
      ],
    );
    assert.deepEqual(
      (await attemptsOf('9006')).map((a) => [a.status, a.conclusion]),
      [['completed', 'failure']],
    );
    assert.equal((await attemptsOf('9007')).length, 1);
  });

  test('with jobs on, a changed run costs one jobs request, attempts included', async () => {
    const withJobs = configFor(server.url, { ...ORGANIZATION, ci: { github: { jobs: true } } });
    const start = server.restReceived.length;
    const result = await collect({ config: withJobs, repository: 'acme/tools' });
    assert.ok(result.started);
    assert.equal(result.status, 'success', result.errors.join('\n'));
    assert.deepEqual(restSince(start), [
      '/repos/acme/tools/actions/runs?page=1',
      '/repos/acme/tools/actions/runs/7001/attempts/1',
      '/repos/acme/tools/actions/runs/7001/jobs?page=1',
    ]);
    const jobs = await handle.db
      .selectFrom('ciJobs')
      .innerJoin('ciRuns', 'ciRuns.id', 'ciJobs.ciRunId')
      .select(['ciRuns.attempt', 'ciJobs.name', 'ciJobs.conclusion'])
      .where('ciRuns.externalId', '=', '7001')
      .orderBy('ciRuns.attempt')
      .orderBy('ciJobs.name')
      .execute();
    assert.deepEqual(jobs, [
      { attempt: 1, name: 'lint', conclusion: 'success' },
      { attempt: 1, name: 'test', conclusion: 'failure' },
      { attempt: 2, name: 'lint', conclusion: 'success' },
      { attempt: 2, name: 'test', conclusion: 'success' },
    ]);
    // Nothing changed: no jobs request the second time.
    const again = server.restReceived.length;
    await collect({ config: withJobs, repository: 'acme/tools' });
    assert.deepEqual(restSince(again), ['/repos/acme/tools/actions/runs?page=1']);
  });
});
