import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli, startServer } from '../test/cli-process.ts';
import type { RunningServer } from '../test/cli-process.ts';

// The first-run experience end to end, as `npm start` gives it: embedded PGlite under a data directory,
// no configuration, so the bundled demo organisation is loaded; then a restart keeps the data.
const cwd = mkdtempSync(path.join(os.tmpdir(), 'groundwork-serve-'));
const env = {
  GROUNDWORK_DATA_DIR: path.join(cwd, 'data'),
  PORT: '0',
  GROUNDWORK_NOW: '2026-11-20T12:00:00Z',
};
let server: RunningServer | undefined;
after(async () => {
  await server?.stop();
});

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

describe('groundwork serve on embedded PGlite', () => {
  test('first start loads the demo organisation and is ready', async () => {
    server = await startServer({ cwd, env });
    assert.equal((await get(`${server.url}/readyz`)).status, 200);
    const teams = await get<{ teams: { slug: string }[] }>(`${server.url}/api/v1/teams`);
    assert.equal(teams.body.teams.length, 8);
    assert.match(server.output(), /loading the demo organisation/);
    // The URL comes once the demo is in, with how to start clean; requests add no lines at info.
    const output = server.output();
    assert.ok(output.indexOf('demo organisation loaded') < output.indexOf('Groundwork is running at'));
    assert.match(output, /Showing the bundled demo organisation[^\n]*groundwork demo --purge/);
    await fetch(`${server.url}/api/v1/metrics`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.doesNotMatch(server.output(), /incoming request|request completed|\/api\/v1\/metrics/);
  });

  test('a CLI command while the server runs is refused and changes nothing', () => {
    const result = runCli(['demo', '--teams', '2'], { cwd, env });
    assert.equal(result.status, 1);
    assert.match(result.stderr, new RegExp(`server pid ${String(server?.process.pid)} holds the database`));
  });

  test('SIGTERM stops it cleanly; a restart keeps the data and does not reload the demo', async () => {
    assert.equal(await server?.stop(), 0);
    server = await startServer({ cwd, env });
    const teams = await get<{ teams: { slug: string }[] }>(`${server.url}/api/v1/teams`);
    assert.equal(teams.body.teams.length, 8);
    assert.doesNotMatch(server.output(), /loading the demo organisation/);
  });

  test('an own configuration on the demo folder: the start-up says so and warns per source that cannot run', async () => {
    await server?.stop();
    const config = path.join(cwd, 'groundwork.yaml');
    writeFileSync(
      config,
      'organization: own\nteams:\n  - { slug: web, name: Web, repositories: [own/web] }\nsources:\n  github: { repositories: [own/web] }\n',
    );
    server = await startServer({ cwd, env: { ...env, GROUNDWORK_CONFIG: config } });
    const output = server.output();
    assert.match(
      output,
      /still holds the demo's rows; they count in no figure[^"]*groundwork demo --purge deletes them/,
    );
    assert.equal(output.match(/collector cannot run/g)?.length, 1);
    assert.match(
      output,
      /github collector cannot run: sources\.github is configured but GITHUB_TOKEN is not set/,
    );
    assert.doesNotMatch(output, /Showing the bundled demo organisation/);
    await server.stop();
    server = undefined;
    const purge = runCli(['demo', '--purge'], { cwd, env: { ...env, GROUNDWORK_CONFIG: config } });
    assert.equal(purge.status, 0, purge.stderr);
    assert.match(purge.stdout, /^Demo data deleted: \{"deployments":\d+/);
  });
});
