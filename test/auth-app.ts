import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/app.ts';
import type { FastifyTypebox } from '../server/app.ts';
import { fixedClock } from '../server/clock.ts';
import type { Clock } from '../server/clock.ts';
import { loadConfig } from '../server/config/config.ts';
import type { ConfigFile } from '../server/config/config.schema.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import { syncOrganization } from '../server/org/organization-sync.ts';
import { INGEST_SECRET, TEST_ORGANIZATION } from './ingest-app.ts';

/** The test organisation with `auth` as given (mode and all), as a deployment behind sign-in would run. */
export async function buildAuthApp(
  handle: DatabaseHandle,
  options: {
    now: Date;
    auth: NonNullable<ConfigFile['auth']>;
    env?: Record<string, string>;
    /** A clock the test moves; fixed at `now` otherwise. */
    clock?: Clock;
  },
): Promise<FastifyTypebox> {
  const config = loadConfig({
    env: { GROUNDWORK_INGEST_SECRET: INGEST_SECRET, ...options.env },
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-auth-')),
    fallbackOrganization: () => ({ ...TEST_ORGANIZATION, auth: options.auth }),
  });
  await syncOrganization(handle.db, config.org, options.now);
  return buildApp({
    config,
    database: handle,
    clock: options.clock ?? fixedClock(options.now),
    webRoot: path.join(os.tmpdir(), 'groundwork-no-dashboard'),
    logger: false,
  });
}

/** `name=value` of a Set-Cookie header, for the next request's Cookie header. */
export function cookieOf(setCookie: string | string[] | undefined, name: string): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = all.find((cookie) => cookie.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(all)}`);
  return found.split(';')[0] ?? '';
}

/** `organization` with reads open (no sign-in), on a clock fixed at `now`, without the dashboard. */
export function buildOpenApp(
  handle: DatabaseHandle,
  organization: ConfigFile,
  now: Date,
): Promise<FastifyTypebox> {
  const config = loadConfig({
    env: { GROUNDWORK_AUTH_MODE: 'open' },
    cwd: '/nonexistent',
    fallbackOrganization: () => organization,
  });
  return buildApp({
    config,
    database: handle,
    clock: fixedClock(now),
    logger: false,
    webRoot: '/nonexistent',
  });
}
