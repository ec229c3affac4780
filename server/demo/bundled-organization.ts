import type { Kysely } from 'kysely';
import { normalizeOrganization } from '#config/config.ts';
import type { AppConfig, OrganizationConfig } from '#config/config.ts';
import type { Database } from '#db/tables.ts';
import { demoOrganization, demoTeamSlugs, MAX_DEMO_TEAMS } from './demo-organization.ts';

/**
 * The organisation a server without a configuration file serves. Without configuration the organisation
 * *is* the demo, so it keeps the demo the database already holds: after `groundwork demo --teams 200`, all
 * 200 teams rather than the bundled 8 (syncing the bundled 8 would retire the other 192 and silently turn a
 * 200-team organisation into an 8-team one). A database without demo teams gets the bundled demo. With a
 * configuration file, the file is the organisation.
 */
export async function organizationToServe(
  db: Kysely<Database>,
  config: AppConfig,
): Promise<OrganizationConfig> {
  if (config.configPath !== null) return config.org;
  const active = new Set(
    (await db.selectFrom('teams').select('slug').where('retiredAt', 'is', null).execute()).map((t) => t.slug),
  );
  // The demo's teams are a prefix of one fixed slug list, whatever the team count.
  const slugs = demoTeamSlugs(MAX_DEMO_TEAMS);
  let loaded = 0;
  while (loaded < slugs.length && active.has(slugs[loaded] as string)) loaded++;
  if (loaded === 0 || loaded === config.org.teams.length) return config.org;
  return normalizeOrganization(demoOrganization(loaded), 'the demo organisation in the database');
}
