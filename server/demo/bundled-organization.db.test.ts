import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '#db/database.ts';
import { fixedClock } from '#server/clock.ts';
import { loadConfig } from '#config/config.ts';
import { loadOrganization } from '#server/serve.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import { organizationToServe } from './bundled-organization.ts';
import { demoOrganization } from './demo-organization.ts';
import { loadDemo } from './load-demo.ts';

// Issue #17: `groundwork demo --teams 200` on a DATABASE_URL, then `npm start` with no configuration, served
// the bundled demo's 8 teams and retired the other 192. A 12-team, 3-day demo shows the same on both engines.
const now = new Date('2026-11-01T00:00:00Z');
const clock = fixedClock(now);
const noConfig = () =>
  loadConfig({ env: {}, cwd: '/nonexistent', fallbackOrganization: () => demoOrganization() });
const silent = () => undefined;
let database: DatabaseHandle;

before(async () => {
  database = await openTestDatabase();
  await loadDemo(database.db, { teams: 12, days: 3, seed: 1, until: now }, now);
});
after(async () => database.close());

const activeSlugs = async () =>
  (await database.db.selectFrom('teams').select('slug').where('retiredAt', 'is', null).execute())
    .map((team) => team.slug)
    .sort();

async function startWithout(config = noConfig()) {
  const served = { ...config, org: await organizationToServe(database.db, config) };
  await loadOrganization(database, served, clock, silent);
  return served;
}

describe('starting without configuration on a database holding a demo organisation', () => {
  test('serves every team the demo loaded, not only the bundled 8, and again on a restart', async () => {
    const served = await startWithout();
    assert.equal(served.org.teams.length, 12);
    assert.equal((await activeSlugs()).length, 12);
    await startWithout();
    assert.deepEqual(
      await activeSlugs(),
      demoOrganization(12)
        .teams.map((team) => team.slug)
        .sort(),
    );
  });

  test('a configuration file still decides the organisation: teams it does not list are retired', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-org-'));
    writeFileSync(
      path.join(cwd, 'groundwork.yaml'),
      'organization: acme\nteams:\n  - slug: payments\n    name: Payments\n    repositories: [acme/payments-api]\n',
    );
    const config = loadConfig({ env: {}, cwd, fallbackOrganization: () => demoOrganization() });
    await startWithout(config);
    assert.deepEqual(await activeSlugs(), ['payments']);
  });

  test('the demo loaded again brings its teams back, and a start without configuration keeps them', async () => {
    await loadDemo(database.db, { teams: 12, days: 1, seed: 1, until: now }, now);
    await startWithout();
    assert.equal((await activeSlugs()).length, 12);
  });
});
