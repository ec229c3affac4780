import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, testEngine } from '../../test/test-database.ts';
import { parseOrganization } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { ensureRepositories } from '../db/code-repositories.repository.ts';
import { upsertDeployments } from '../db/deployments.repository.ts';
import { upsertIncidents } from '../db/incidents.repository.ts';
import { listActiveTeams } from '../db/teams.repository.ts';
import { syncOrganization } from './organization-sync.ts';

let handle: DatabaseHandle;
before(async () => {
  handle = await openTestDatabase();
});
after(async () => handle.close());

const org = (billingOwner: string, extra = '') =>
  parseOrganization(
    `
organization: acme
teams:
  - slug: payments
    name: Payments
    repositories: [${billingOwner === 'payments' ? `"acme/billing"${extra}, ` : ''}"acme/payments-*"]
    services: [payments-api]
    members: [alice, { github: bob, email: bob@acme.test }]
  - slug: ledger
    name: Ledger
    repositories: [${billingOwner === 'ledger' ? `"acme/billing"${extra}, ` : ''}"acme/*"]
    members: [carol]
`,
    'test',
  );

const billingBackToPaymentsFromJune10 = parseOrganization(
  `
organization: acme
teams:
  - slug: payments
    name: Payments
    repositories: [{ name: acme/billing, effectiveFrom: "2026-06-10" }, "acme/payments-*"]
    services: [payments-api]
    members: [alice, { github: bob, email: bob@acme.test }]
  - slug: ledger
    name: Ledger
    repositories: ["acme/*"]
    members: [carol]
`,
  'test',
);

const at = (iso: string) => new Date(iso);

/** A production deployment of `repository` finishing at `finishedAt`; returns its team's slug. */
async function deployAndAttribute(repository: string, finishedAt: string, service: string | null = null) {
  const repos = await ensureRepositories(handle.db, [repository]);
  const externalId = `${repository}@${finishedAt}${service ?? ''}`;
  await upsertDeployments(
    handle.db,
    [
      {
        source: 'test',
        externalId,
        repositoryId: repos.get(repository) ?? null,
        service,
        environment: 'production',
        status: 'success',
        finishedAt: at(finishedAt),
      },
    ],
    at('2026-11-01T00:00:00Z'),
  );
  return teamOfDeployment(externalId);
}

async function teamOfDeployment(externalId: string): Promise<string | null> {
  const row = await handle.db
    .selectFrom('deployments')
    .leftJoin('teams', 'teams.id', 'deployments.teamId')
    .select('teams.slug')
    .where('externalId', '=', externalId)
    .executeTakeFirstOrThrow();
  return row.slug;
}

describe(`ownership versioned in time (${testEngine})`, () => {
  test('the first configuration holds from the beginning of time', async () => {
    const result = await syncOrganization(handle.db, org('payments'), at('2026-05-01T00:00:00Z'));
    assert.equal(result.ownershipChanges, 4); // billing, payments-*, payments-api, acme/*
    // History imported later, from before the config was loaded, is attributed.
    assert.equal(await deployAndAttribute('acme/billing', '2025-01-10T10:00:00Z'), 'payments');
  });

  test('exact names beat globs, longer globs beat shorter ones, services beat repositories', async () => {
    assert.equal(await deployAndAttribute('acme/payments-web', '2026-01-10T10:00:00Z'), 'payments');
    assert.equal(await deployAndAttribute('acme/search', '2026-01-10T10:00:00Z'), 'ledger');
    assert.equal(await deployAndAttribute('acme/search', '2026-01-11T10:00:00Z', 'payments-api'), 'payments');
  });

  test('loading the same configuration again changes nothing', async () => {
    const result = await syncOrganization(handle.db, org('payments'), at('2026-05-02T00:00:00Z'));
    assert.deepEqual(result, { ownershipChanges: 0, membershipChanges: 0 });
  });

  test('a reorg takes effect when loaded: earlier events keep their team, later ones go to the new owner', async () => {
    const before = await deployAndAttribute('acme/billing', '2026-05-20T10:00:00Z');
    await syncOrganization(handle.db, org('ledger'), at('2026-06-01T00:00:00Z'));
    assert.equal(before, 'payments');
    assert.equal(await teamOfDeployment('acme/billing@2026-05-20T10:00:00Z'), 'payments');
    assert.equal(await teamOfDeployment('acme/billing@2025-01-10T10:00:00Z'), 'payments');
    assert.equal(await deployAndAttribute('acme/billing', '2026-06-15T10:00:00Z'), 'ledger');
    const rows = await handle.db
      .selectFrom('teamOwnerships')
      .select(['teamId', 'validFrom', 'validTo'])
      .where('pattern', '=', 'acme/billing')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.validFrom?.toISOString() ?? null, r.validTo?.toISOString() ?? null]),
      [
        [null, '2026-06-01T00:00:00.000Z'],
        ['2026-06-01T00:00:00.000Z', null],
      ],
    );
  });

  test('a move back with effectiveFrom in the past re-attributes events from that date only', async () => {
    await syncOrganization(handle.db, billingBackToPaymentsFromJune10, at('2026-07-01T00:00:00Z'));
    assert.equal(await teamOfDeployment('acme/billing@2026-06-15T10:00:00Z'), 'payments'); // after June 10
    assert.equal(await teamOfDeployment('acme/billing@2026-05-20T10:00:00Z'), 'payments'); // before the reorg
    assert.equal(await deployAndAttribute('acme/billing', '2026-06-05T10:00:00Z'), 'ledger'); // June 1–10
  });

  test('an explicitly attributed event keeps its team whatever the ownership', async () => {
    const teams = await handle.db.selectFrom('teams').select(['id', 'slug']).execute();
    const ledger = teams.find((t) => t.slug === 'ledger')?.id ?? null;
    await upsertIncidents(
      handle.db,
      [
        {
          source: 'test',
          externalId: 'inc-1',
          service: 'payments-api',
          teamId: ledger,
          teamAttribution: 'explicit',
          startedAt: at('2026-07-02T00:00:00Z'),
        },
        {
          source: 'test',
          externalId: 'inc-2',
          service: 'payments-api',
          startedAt: at('2026-07-02T00:00:00Z'),
        },
        {
          source: 'test',
          externalId: 'inc-3',
          service: 'nobody-owns-this',
          startedAt: at('2026-07-02T00:00:00Z'),
        },
      ],
      at('2026-07-02T00:00:00Z'),
    );
    const incidents = await handle.db
      .selectFrom('incidents')
      .leftJoin('teams', 'teams.id', 'incidents.teamId')
      .select(['externalId', 'teams.slug', 'teamAttribution'])
      .orderBy('externalId')
      .execute();
    assert.deepEqual(
      incidents.map((i) => [i.externalId, i.slug, i.teamAttribution]),
      [
        ['inc-1', 'ledger', 'explicit'],
        ['inc-2', 'payments', 'ownership'],
        ['inc-3', null, null], // accepted, unattributed until the configuration catches up
      ],
    );
  });

  test('membership is versioned too, and a removed team is retired with its ownership closed', async () => {
    const oneTeam = parseOrganization(
      'organization: acme\nteams:\n  - slug: payments\n    name: Payments\n    repositories: ["acme/*"]\n    members: [alice]\n',
      'test',
    );
    await syncOrganization(handle.db, oneTeam, at('2026-08-01T00:00:00Z'));
    const teams = await listActiveTeams(handle.db);
    assert.deepEqual(
      teams.map((t) => [t.slug, t.repositories, t.memberCount]),
      [['payments', ['acme/*'], 1]],
    );
    const bob = await handle.db
      .selectFrom('teamMemberships')
      .select(['validTo', 'email'])
      .where('memberKey', '=', 'github:bob')
      .executeTakeFirstOrThrow();
    assert.equal(bob.validTo?.toISOString(), '2026-08-01T00:00:00.000Z');
    assert.equal(bob.email, 'bob@acme.test');
    // acme/* moved from ledger to payments at load time: the 2026-01-10 search deployment stays with ledger.
    assert.equal(await teamOfDeployment('acme/search@2026-01-10T10:00:00Z'), 'ledger');
    assert.equal(await deployAndAttribute('acme/search', '2026-08-02T10:00:00Z'), 'payments');
  });
});
