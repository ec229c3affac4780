import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase } from '../../test/test-database.ts';
import { normalizeOrganization } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { upsertTickets } from '../db/tickets.repository.ts';
import { ticketWaitTimesReport } from '../metrics/ticket-waits.service.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import { demoOrganization, demoTeamArchetype } from './demo-organization.ts';
import { generateDemoTickets } from './demo-tickets.ts';

const until = new Date('2026-11-25T00:00:00Z');
const period = { days: 120, seed: 42, until };
const org = normalizeOrganization(demoOrganization(4), 'demo');
const generate = () =>
  org.teams.flatMap((team, index) =>
    generateDemoTickets(team, index, demoTeamArchetype(team.slug), period, org.tickets),
  );

describe('the demo ops queue', () => {
  let handle: DatabaseHandle;
  before(async () => {
    handle = await openTestDatabase();
    await syncOrganization(handle.db, org, until);
    await upsertTickets(handle.db, generate(), until);
  });
  after(async () => handle.close());

  test('is deterministic, with unique keys', () => {
    const first = generate();
    assert.deepEqual(generate(), first);
    assert.equal(new Set(first.map((ticket) => ticket.key)).size, first.length);
  });

  test('identity (waiting on ops) waits days for environments; the others hours', async () => {
    const ctx = { db: handle.db, tickets: org.tickets, now: () => until };
    const byTeam = await ticketWaitTimesReport(ctx, { period: 'last-90d', groupBy: 'requestingTeam' });
    // Every demo requester is a team member: nobody is unattributed.
    assert.ok(byTeam.groups.every((group) => group.key !== null));
    assert.equal(byTeam.groups[0]?.key, 'identity', 'identity waits longest');
    const environments = await handle.db
      .selectFrom('tickets as t')
      .innerJoin('teams as team', 'team.id', 't.requestingTeamId')
      .select(['team.slug', 't.createdAt', 't.workStartedAt'])
      .where('t.category', '=', 'environment')
      .where('t.workStartedAt', 'is not', null)
      .execute();
    const medianDays = (slug: string) => {
      const waits = environments
        .filter((row) => row.slug === slug)
        .map((row) => ((row.workStartedAt as Date).getTime() - row.createdAt.getTime()) / 86_400_000)
        .sort((a, b) => a - b);
      return waits[Math.floor(waits.length / 2)] ?? 0;
    };
    assert.ok(medianDays('identity') > 2.5, `identity waits ${medianDays('identity')} days`);
    assert.ok(medianDays('checkout') < 1.5, `checkout waits ${medianDays('checkout')} days`);
    const byCategory = await ticketWaitTimesReport(ctx, { period: 'last-90d', groupBy: 'category' });
    assert.deepEqual(byCategory.groups.map((group) => group.key).sort(), [
      'access',
      'database',
      'deploy-help',
      'dns',
      'environment',
    ]);
    assert.ok(byCategory.overall.stillWaiting.count > 0, 'recent tickets still wait');
  });
});
