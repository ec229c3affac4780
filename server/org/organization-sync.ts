import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';
import type { OrganizationConfig } from '../config/config.ts';
import {
  applyOwnershipChanges,
  attributeEvents,
  listOwnershipRows,
  ownershipKey,
} from '../db/ownership.repository.ts';
import {
  applyMembershipChanges,
  listMembershipRows,
  membershipKey,
  syncTeams,
} from '../db/teams.repository.ts';
import type { MembershipIdentity } from '../db/teams.repository.ts';
import { planVersionChanges } from './versioned-rows.ts';
import { attributeTickets } from '../db/tickets.repository.ts';

export interface SyncResult {
  ownershipChanges: number;
  membershipChanges: number;
}

/**
 * Brings teams, ownership and membership in the database in line with the configuration, in one
 * transaction, versioning every change in time (see `planVersionChanges`). When ownership changed, events
 * are re-attributed to the team that owned their code when they happened.
 */
export async function syncOrganization(
  db: Kysely<Database>,
  org: OrganizationConfig,
  now: Date,
): Promise<SyncResult> {
  return db.transaction().execute(async (trx) => {
    const teamIds = await syncTeams(trx, org.teams, now);
    const idOf = (slug: string) => teamIds.get(slug) as number;

    const ownershipDeclarations = org.teams.flatMap((team) => [
      ...team.repositories.map((claim) => ({ kind: 'repository', claim, team })),
      ...team.services.map((claim) => ({ kind: 'service', claim, team })),
    ]);
    const ownershipChanges = planVersionChanges(
      await listOwnershipRows(trx),
      dedupe(
        ownershipDeclarations.map(({ kind, claim, team }) => ({
          key: ownershipKey(kind, claim.pattern),
          ownerId: idOf(team.slug),
          effectiveFrom: claim.effectiveFrom,
        })),
      ),
      now,
    );
    await applyOwnershipChanges(trx, ownershipChanges);

    const identities = new Map<string, MembershipIdentity>();
    const membershipDeclarations = org.teams.flatMap((team) =>
      team.members.map((member) => {
        const key = membershipKey(idOf(team.slug), member.key);
        identities.set(key, {
          memberKey: member.key,
          githubLogin: member.github,
          jiraAccountId: member.jira,
          email: member.email,
        });
        return { key, ownerId: idOf(team.slug), effectiveFrom: member.effectiveFrom };
      }),
    );
    const membershipChanges = planVersionChanges(
      await listMembershipRows(trx),
      dedupe(membershipDeclarations),
      now,
    );
    await applyMembershipChanges(trx, membershipChanges, identities);

    if (ownershipChanges.length > 0) await attributeEvents(trx);
    // Tickets go to the team their requester belonged to (identities may change without a new membership).
    await attributeTickets(trx);
    return { ownershipChanges: ownershipChanges.length, membershipChanges: membershipChanges.length };
  });
}

/** The same name listed twice by one team is one claim. */
function dedupe<T extends { key: string }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.key, item])).values()];
}
