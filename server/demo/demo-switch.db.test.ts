import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '#db/database.ts';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { buildApp } from '../app.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config/config.ts';
import type { AppConfig } from '../config/config.ts';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import { upsertDeployments } from '../db/deployments.repository.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { demoOrganization } from './demo-organization.ts';
import { loadDemo } from './load-demo.ts';
import { demoRowCounts, purgeDemo } from './purge-demo.ts';

// A user tries the demo, then writes an own two-team configuration on the same data folder and pushes a
// deployment. From then on no organisation figure, team list, survey result or wait may pool the demo's
// rows; `groundwork demo --purge` then deletes them and leaves the user's own data alone.
const now = new Date('2026-11-20T12:00:00Z');
const clock = fixedClock(now);
const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-demo-switch-'));
let handle: DatabaseHandle;

function configFor(file: string | null): AppConfig {
  return loadConfig({
    env: file ? { GROUNDWORK_CONFIG: file } : {},
    cwd,
    fallbackOrganization: () => demoOrganization(3),
  });
}

async function organizationFigures(config: AppConfig) {
  const app = await buildApp({ config, database: handle, clock, logger: false, webRoot: cwd });
  try {
    const get = async <T>(url: string) => {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
      return response.json<T>();
    };
    const metrics = await get<{
      organization: {
        deploymentFrequency: { count: number };
        recoveryTime: { allIncidents: { sampleSize: number } };
        ci: { attempts: number; timeToGreen: { sampleSize: number; unresolved: number } };
      };
      teams: { team: string }[];
    }>('/api/v1/metrics?period=last-30d&groupBy=team');
    const waits = await get<{ overall: { counts: { created: number } } }>(
      '/api/v1/tickets/wait-times?period=last-30d',
    );
    const survey = await get<{ organization: { result: { responses?: number } } }>(
      '/api/v1/surveys/devex-2026-q4/results',
    );
    return {
      deployments: metrics.organization.deploymentFrequency.count,
      incidents: metrics.organization.recoveryTime.allIncidents.sampleSize,
      ciAttempts: metrics.organization.ci.attempts,
      redStretches:
        metrics.organization.ci.timeToGreen.sampleSize + metrics.organization.ci.timeToGreen.unresolved,
      teams: metrics.teams.map((team) => team.team),
      tickets: waits.overall.counts.created,
      surveyResponses: survey.organization.result.responses ?? 0,
    };
  } finally {
    await app.close();
  }
}

before(async () => {
  handle = await openTestDatabase();
  await loadDemo(handle.db, { teams: 3, days: 40, seed: 3, until: new Date('2026-11-20T00:00:00Z') }, now);
});
after(async () => handle.close());

describe(`switching a data folder from the demo to an own configuration (${testEngine})`, () => {
  test('the demo counts while no configuration is loaded', async () => {
    const figures = await organizationFigures(configFor(null));
    assert.ok(figures.deployments > 0 && figures.incidents > 0 && figures.tickets > 0);
    assert.ok(figures.ciAttempts > 0 && figures.redStretches > 0, 'the demo has CI runs and red stretches');
    assert.ok(figures.surveyResponses > 0);
  });

  test('with an own configuration the demo rows count nowhere; the purge deletes only them', async () => {
    const file = path.join(cwd, 'groundwork.yaml');
    writeFileSync(
      file,
      [
        'organization: own',
        'teams:',
        '  - { slug: web, name: Web, repositories: [own/web] }',
        '  - { slug: data, name: Data, repositories: [own/data] }',
        '',
      ].join('\n'),
    );
    const config = configFor(file);
    await syncOrganization(handle.db, config.org, now);
    const [webRepo] = (await ensureRepositories(handle.db, ['own/web'])).values();
    await upsertDeployments(
      handle.db,
      [
        {
          source: 'api',
          externalId: 'own-1',
          repositoryId: webRepo ?? null,
          service: 'web',
          environment: 'production',
          sha: 'a'.repeat(40),
          status: 'success',
          originalStatus: 'success',
          startedAt: new Date('2026-11-19T10:00:00Z'),
          finishedAt: new Date('2026-11-19T10:05:00Z'),
          teamId: null,
          teamAttribution: null,
        },
      ],
      now,
    );

    const own = await organizationFigures(config);
    assert.deepEqual(own, {
      deployments: 1,
      incidents: 0,
      ciAttempts: 0,
      redStretches: 0,
      teams: ['data', 'web'],
      tickets: 0,
      surveyResponses: 0,
    });

    const before = await demoRowCounts(handle.db);
    assert.ok(before.deployments > 0, 'the demo rows are still there, only left out');
    const purged = await purgeDemo(handle.db);
    assert.equal(purged.deployments, before.deployments);
    assert.equal(purged.teams, 3, 'the three demo teams the configuration no longer declares');
    assert.ok(purged.repositories > 0 && purged.pullRequests > 0 && purged.tickets > 0);
    assert.deepEqual(await demoRowCounts(handle.db), { deployments: 0, surveyResponses: 0, tickets: 0 });
    // The user's own deployment and teams stay; the demo-mode view now has nothing of the demo left.
    assert.deepEqual(await organizationFigures(config), own);
    assert.equal((await organizationFigures(configFor(null))).deployments, 1);
  });
});
