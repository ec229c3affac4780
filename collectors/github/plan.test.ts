import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../server/config/config.ts';
import type { ConfigFile } from '../../server/config/config.schema.ts';
import { collectionSettings } from './plan.ts';

const settingsFor = (sources: ConfigFile['sources'], extra: Partial<ConfigFile> = {}) =>
  collectionSettings(
    loadConfig({
      env: {},
      cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-plan-')),
      fallbackOrganization: () => ({ organization: 'acme', teams: [], sources, ...extra }),
    }),
  );

describe('what the GitHub collector collects per repository', () => {
  test('defaults: GitHub Deployments to the first production environment, incidents labelled "incident"', () => {
    const settings = settingsFor(
      { github: { repositories: ['acme/*'] } },
      { productionEnvironments: ['prod', 'live'] },
    );
    assert.deepEqual(settings.planFor('acme/api'), {
      deployments: { from: 'deployments', workflow: null, environment: 'prod' },
      incidents: true,
    });
    assert.equal(settings.incidentLabel, 'incident');
    assert.equal(settings.authorExclusion.bots, true);
  });

  test('per repository: the first matching entry wins; incidents only where listed', () => {
    const settings = settingsFor({
      github: {
        repositories: ['acme/*'],
        deployments: [
          { repositories: ['acme/legacy-*'], from: 'workflow', workflow: 'deploy.yml' },
          { repositories: ['acme/legacy-docs', 'acme/sdk'], from: 'releases', environment: 'registry' },
        ],
        incidents: { label: 'outage', repositories: ['acme/ops'] },
        pullRequests: { excludeBots: false, excludeAuthors: ['svc-*'] },
      },
    });
    assert.deepEqual(settings.planFor('acme/legacy-docs').deployments, {
      from: 'workflow',
      workflow: 'deploy.yml',
      environment: 'production',
    });
    assert.deepEqual(settings.planFor('acme/sdk').deployments, {
      from: 'releases',
      workflow: null,
      environment: 'registry',
    });
    assert.equal(settings.planFor('acme/sdk').incidents, false);
    assert.equal(settings.planFor('acme/ops').incidents, true);
    assert.equal(settings.incidentLabel, 'outage');
    assert.equal(settings.authorExclusion.bots, false);
    assert.equal(settings.authorExclusion.authors.length, 1);
  });

  test('the cause-inference window comes from metrics.incidentCauseInference', () => {
    const settings = settingsFor(
      { github: {} },
      { metrics: { incidentCauseInference: { windowHours: 12 } } },
    );
    assert.deepEqual(settings.causeRule, { windowHours: 12, productionEnvironments: ['production'] });
  });
});
