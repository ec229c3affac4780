import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';
import type { VersionChange, VersionedRow } from '../org/versioned-rows.ts';

/** Creates or renames the configured teams and retires the ones no longer configured; returns slug → id. */
export async function syncTeams(
  db: Kysely<Database>,
  teams: readonly { slug: string; name: string }[],
  now: Date,
): Promise<Map<string, number>> {
  if (teams.length > 0) {
    await db
      .insertInto('teams')
      .values(teams.map((team) => ({ slug: team.slug, name: team.name, createdAt: now, updatedAt: now })))
      .onConflict((oc) =>
        oc
          .column('slug')
          .doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), retiredAt: null, updatedAt: now }))
          .where((eb) =>
            eb.or([eb('teams.name', '!=', eb.ref('excluded.name')), eb('teams.retiredAt', 'is not', null)]),
          ),
      )
      .execute();
  }
  const slugs = teams.map((team) => team.slug);
  let retire = db.updateTable('teams').set({ retiredAt: now, updatedAt: now }).where('retiredAt', 'is', null);
  if (slugs.length > 0) retire = retire.where('slug', 'not in', slugs);
  await retire.execute();
  const rows = await db.selectFrom('teams').select(['id', 'slug']).execute();
  return new Map(rows.map((row) => [row.slug, row.id]));
}

export interface TeamSummary {
  slug: string;
  name: string;
  repositories: string[];
  services: string[];
  memberCount: number;
}

/** Active teams with what they own now and how many members they have (never who: teams, not people). */
export async function listActiveTeams(db: Kysely<Database>): Promise<TeamSummary[]> {
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'slug', 'name'])
    .where('retiredAt', 'is', null)
    .orderBy('slug')
    .execute();
  const ownerships = await db
    .selectFrom('teamOwnerships')
    .select(['teamId', 'resourceKind', 'pattern'])
    .where('validTo', 'is', null)
    .orderBy('pattern')
    .execute();
  const members = await db
    .selectFrom('teamMemberships')
    .select(['teamId', (eb) => eb.fn.countAll<number>().as('count')])
    .where('validTo', 'is', null)
    .groupBy('teamId')
    .execute();
  return teams.map((team) => ({
    slug: team.slug,
    name: team.name,
    repositories: ownerships
      .filter((o) => o.teamId === team.id && o.resourceKind === 'repository')
      .map((o) => o.pattern),
    services: ownerships
      .filter((o) => o.teamId === team.id && o.resourceKind === 'service')
      .map((o) => o.pattern),
    memberCount: members.find((m) => m.teamId === team.id)?.count ?? 0,
  }));
}

export interface MembershipIdentity {
  memberKey: string;
  githubLogin: string | null;
  jiraAccountId: string | null;
  email: string | null;
}

const membershipKey = (teamId: number, memberKey: string) => `${teamId}|${memberKey}`;
export { membershipKey };

export async function listMembershipRows(db: Kysely<Database>): Promise<VersionedRow[]> {
  const rows = await db.selectFrom('teamMemberships').selectAll().execute();
  return rows.map((row) => ({
    id: row.id,
    key: membershipKey(row.teamId, row.memberKey),
    ownerId: row.teamId,
    validFrom: row.validFrom,
    validTo: row.validTo,
  }));
}

export async function applyMembershipChanges(
  db: Kysely<Database>,
  changes: readonly VersionChange[],
  identities: ReadonlyMap<string, MembershipIdentity>,
): Promise<void> {
  for (const change of changes) {
    if (change.op === 'open') {
      const identity = identities.get(change.key);
      if (!identity) throw new Error(`no identity for membership ${change.key}`);
      await db
        .insertInto('teamMemberships')
        .values({ teamId: change.ownerId, ...identity, validFrom: change.validFrom, validTo: null })
        .execute();
    } else if (change.op === 'close') {
      await db
        .updateTable('teamMemberships')
        .set({ validTo: change.validTo })
        .where('id', '=', change.id)
        .execute();
    } else if (change.op === 'delete') {
      await db.deleteFrom('teamMemberships').where('id', '=', change.id).execute();
    }
  }
  // Identities (a jira id or e-mail added to a known member) are facts about the person, not history.
  for (const [key, identity] of identities) {
    const [teamId] = key.split('|');
    await db
      .updateTable('teamMemberships')
      .set({
        githubLogin: identity.githubLogin,
        jiraAccountId: identity.jiraAccountId,
        email: identity.email,
      })
      .where('teamId', '=', Number(teamId))
      .where('memberKey', '=', identity.memberKey)
      .where('validTo', 'is', null)
      .where((eb) =>
        eb.or([
          eb('githubLogin', 'is distinct from', identity.githubLogin),
          eb('jiraAccountId', 'is distinct from', identity.jiraAccountId),
          eb('email', 'is distinct from', identity.email),
        ]),
      )
      .execute();
  }
}

/** slug → id for the named teams that exist (retired ones too: history may still name them). */
export async function teamIdsBySlug(
  db: Kysely<Database>,
  slugs: readonly string[],
): Promise<Map<string, number>> {
  if (slugs.length === 0) return new Map();
  const rows = await db
    .selectFrom('teams')
    .select(['id', 'slug'])
    .where('slug', 'in', [...new Set(slugs)])
    .execute();
  return new Map(rows.map((row) => [row.slug, row.id]));
}

/** Active teams with how many members each had at `at` (memberships are versioned): friction's N. */
export async function teamSizesAt(
  db: Kysely<Database>,
  at: Date,
): Promise<{ id: number; slug: string; name: string; size: number }[]> {
  const rows = await db
    .selectFrom('teams as t')
    .select((eb) => [
      't.id',
      't.slug',
      't.name',
      eb
        .selectFrom('teamMemberships as m')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('m.teamId', '=', 't.id')
        .where((w) => w.or([w('m.validFrom', 'is', null), w('m.validFrom', '<=', at)]))
        .where((w) => w.or([w('m.validTo', 'is', null), w('m.validTo', '>', at)]))
        .as('size'),
    ])
    .where('t.retiredAt', 'is', null)
    .orderBy('t.slug')
    .execute();
  return rows.map((row) => ({ ...row, size: Number(row.size ?? 0) }));
}
