import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
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
});
