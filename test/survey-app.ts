import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/app.ts';
import type { FastifyTypebox } from '../server/app.ts';
import { fixedClock } from '../server/clock.ts';
import { loadConfig } from '../server/config/config.ts';
import type { ConfigFile } from '../server/config/config.schema.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import type { Survey } from '../scorecards/survey.schema.ts';
import { syncOrganization } from '../server/org/organization-sync.ts';

export const SURVEY_HASH_KEY = 'survey-hash-key-for-tests';

const members = (slug: string, count: number) => Array.from({ length: count }, (_, i) => `${slug}-${i + 1}`);

/** Four teams (alpha 8 members, beta 10, gamma 6, delta 5), for anonymity cases across several groups. */
export const SURVEY_ORGANIZATION: ConfigFile = {
  organization: 'acme',
  teams: [
    { slug: 'alpha', name: 'Alpha', members: members('alpha', 8) },
    { slug: 'beta', name: 'Beta Team', members: members('beta', 10) },
    { slug: 'gamma', name: 'Gamma', members: members('gamma', 6) },
    { slug: 'delta', name: 'Delta', members: members('delta', 5) },
  ],
  // The anonymity tests read the comments too: published, for teams of at least minGroupSize.
  surveys: { publishComments: true },
};

/** The app over `handle` with the shipped surveys, the survey hash key set and the four teams synced. */
export async function buildSurveyApp(
  handle: DatabaseHandle,
  now: Date,
  options: { surveys?: readonly Survey[] } = {},
): Promise<FastifyTypebox> {
  const config = loadConfig({
    env: { GROUNDWORK_SURVEY_HASH_KEY: SURVEY_HASH_KEY, GROUNDWORK_AUTH_MODE: 'open' },
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-survey-')),
    // The fuzz tests post hundreds of responses a minute from one address: above the form's rate limit.
    fallbackOrganization: () => ({ ...SURVEY_ORGANIZATION, limits: { surveyFormPerMinute: 10_000 } }),
  });
  await syncOrganization(handle.db, config.org, now);
  return buildApp({
    config,
    database: handle,
    clock: fixedClock(now),
    webRoot: path.join(os.tmpdir(), 'groundwork-no-dashboard'),
    logger: false,
    ...(options.surveys ? { surveys: options.surveys } : {}),
  });
}
