import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase } from '../../test/test-database.ts';
import { ticketOrg, writeFixtureTickets } from '../../test/ticket-fixtures.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { syncOrganization } from '../org/organization-sync.ts';
import {
  ticketDrillDownReport,
  ticketWaitSeriesReport,
  ticketWaitTimesReport,
} from './ticket-waits.service.ts';
import type { TicketWaitsContext, TicketWaitTimesReport } from './ticket-waits.service.ts';

// The fixture tickets (test/ticket-fixtures.ts), March 2026, "now" 10 April (so asOf = 1 April 00:00 UTC):
//   OPS-1 environment  To Do 6 h → In Progress 18 h → To Do 24 h → In Progress 4 h → Done
//                      wait before start 6; total wait 6+24 = 30; in progress 22; efficiency 22/52; TTR 52;
//                      first response 1 h (a comment; the reporter's own comment at 0.5 h does not count)
//   OPS-2 environment  To Do 10 → In Progress 10 → Done 24 → Reopened 12 → In Progress 4 → Done
//                      wait before start 10; total wait 10+12 = 22 (the reopen adds); in progress 14; TTR 60;
//                      first response 10 h (the transition)
//   OPS-3 access       never started: still waiting, age 20 Mar → 1 Apr = 288 h
//   DBA-4 database     10:00 CET 28 Mar → 10:00 CEST 30 Mar: 47 h waiting (DST), 2 h in progress; TTR 49
//   OPS-5 access       Offen 4 h → In Arbeit 2 h → Erledigt: wait 4, efficiency 2/6, TTR 6
//   OPS-6 environment  February only: in no March figure
//   DBA-7 database     waits 20 h, starts 31 Mar 20:00, resolved in April: wait before start only
//   OPS-9 dns          starts exactly at 1 Apr 00:00: still waiting in March (12 h), started in April
let handle: DatabaseHandle;
let ctx: TicketWaitsContext;
const close = (actual: number | null | undefined, expected: number) =>
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9,
    `${actual} ≠ ${expected}`,
  );

before(async () => {
  handle = await openTestDatabase();
  await syncOrganization(handle.db, ticketOrg, new Date('2026-01-01T00:00:00Z'));
  await writeFixtureTickets(handle.db, new Date('2026-06-01T00:00:00Z'));
  ctx = { db: handle.db, tickets: ticketOrg.tickets, now: () => new Date('2026-04-10T00:00:00Z') };
});
after(async () => handle.close());

const group = (report: TicketWaitTimesReport, key: string | null) => {
  const found = report.groups.find((candidate) => candidate.key === key);
  assert.ok(found, `group ${key}`);
  return found;
};

describe('ticket wait times', () => {
  test('per category, slowest first, match the hand computation', async () => {
    const report = await ticketWaitTimesReport(ctx, { period: '2026-03', groupBy: 'category' });
    assert.equal(report.asOf, '2026-04-01T00:00:00.000Z');
    // database 33.5 h, environment 8 h, access 4 h; dns has nothing started (null) so comes last.
    assert.deepEqual(
      report.groups.map((g) => g.key),
      ['database', 'environment', 'access', 'dns'],
    );

    const environment = group(report, 'environment');
    assert.deepEqual(environment.counts, { created: 2, started: 2, resolved: 2 });
    // [6, 10]: median 8, p90 6 + 0.9 × 4 = 9.6
    assert.deepEqual(environment.waitBeforeStart, { sampleSize: 2, medianHours: 8, p90Hours: 9.6 });
    // [30, 22]: median 26, p90 22 + 0.9 × 8 = 29.2, sum 52
    close(environment.totalWait.medianHours, 26);
    close(environment.totalWait.p90Hours, 29.2);
    close(environment.totalWait.totalHours, 52);
    // per ticket 22/52 and 14/36: median their mean; pooled (22 + 14) / (52 + 36)
    close(environment.flowEfficiency.median, (22 / 52 + 14 / 36) / 2);
    close(environment.flowEfficiency.pooled, 36 / 88);
    // first responses [1, 10] h; resolutions [52, 60] h
    close(environment.timeToFirstResponse.medianHours, 5.5);
    close(environment.timeToResolution.medianHours, 56);
    assert.deepEqual(environment.stillWaiting, { count: 0, medianAgeHours: null, oldestAgeHours: null });

    const database = group(report, 'database');
    // [47 (across DST), 20]: median 33.5, p90 20 + 0.9 × 27 = 44.3; only DBA-4 resolved in March
    close(database.waitBeforeStart.medianHours, 33.5);
    close(database.waitBeforeStart.p90Hours, 44.3);
    assert.equal(database.totalWait.sampleSize, 1);
    close(database.totalWait.medianHours, 47);
    close(database.timeToResolution.medianHours, 49);
    close(database.flowEfficiency.pooled, 2 / 49);

    const access = group(report, 'access');
    assert.deepEqual(access.waitBeforeStart, { sampleSize: 1, medianHours: 4, p90Hours: 4 });
    close(access.flowEfficiency.median, 2 / 6);
    assert.deepEqual(access.stillWaiting, { count: 1, medianAgeHours: 288, oldestAgeHours: 288 });

    const dns = group(report, 'dns');
    assert.equal(dns.waitBeforeStart.medianHours, null);
    assert.equal(dns.waitBeforeStart.reason, 'no ticket started in the period');
    assert.deepEqual(dns.stillWaiting, { count: 1, medianAgeHours: 12, oldestAgeHours: 12 });
  });

  test('overall pools every ticket, not the groups’ medians', async () => {
    const { overall } = await ticketWaitTimesReport(ctx, { period: '2026-03' });
    // started in March: [4, 6, 10, 20, 47] → median 10; p90 at rank 3.6: 20 + 0.6 × 27 = 36.2
    assert.equal(overall.waitBeforeStart.sampleSize, 5);
    close(overall.waitBeforeStart.medianHours, 10);
    close(overall.waitBeforeStart.p90Hours, 36.2);
    // resolved in March: OPS-1 30, OPS-2 22, DBA-4 47, OPS-5 4 → [4, 22, 30, 47] median 26
    close(overall.totalWait.medianHours, 26);
    close(overall.totalWait.totalHours, 103);
    // created in March: OPS-1, 2, 3, 5, DBA-4, 7, OPS-9; still waiting OPS-3 (288 h) and OPS-9 (12 h)
    assert.deepEqual(overall.counts, { created: 7, started: 5, resolved: 4 });
    assert.deepEqual(overall.stillWaiting, { count: 2, medianAgeHours: 150, oldestAgeHours: 288 });
  });

  test('an event exactly on the period edge belongs to the period it starts', async () => {
    const april = await ticketWaitTimesReport(ctx, { period: '2026-04' });
    // OPS-9 waited 31 Mar 12:00 → 1 Apr 00:00 = 12 h and started in April; DBA-7 resolved in April (20 h wait)
    assert.deepEqual(group(april, 'dns').waitBeforeStart, { sampleSize: 1, medianHours: 12, p90Hours: 12 });
    close(group(april, 'database').totalWait.medianHours, 20);
    // "now" is 10 April, inside April: OPS-9 and DBA-7 are still in progress there, so nothing still waits
    // but OPS-3 (20 Mar → 10 Apr = 504 h).
    assert.deepEqual(april.overall.stillWaiting, { count: 1, medianAgeHours: 504, oldestAgeHours: 504 });
  });

  test('per requesting team, with unmatched requesters apart, and nothing of another team leaks in', async () => {
    const report = await ticketWaitTimesReport(ctx, { period: '2026-03', groupBy: 'requestingTeam' });
    assert.deepEqual(
      report.groups.map((g) => [g.key, g.label]),
      [
        [null, 'requester not in any team'], // DBA-4: 47 h
        ['search', 'Search'], // OPS-5 4 h, DBA-7 20 h: 12 h
        ['identity', 'Identity & Access'], // OPS-1, OPS-2: 8 h
      ],
    );
    const identity = group(report, 'identity');
    assert.equal(identity.counts.created, 2);
    close(identity.waitBeforeStart.medianHours, 8);
    close(group(report, 'search').waitBeforeStart.medianHours, 12);
    assert.equal(group(report, 'search').stillWaiting.count, 2);
  });

  test('per serving team, from the queue mapping', async () => {
    const report = await ticketWaitTimesReport(ctx, { period: '2026-03', groupBy: 'servingTeam' });
    assert.deepEqual(
      report.groups.map((g) => g.key),
      ['dba', 'platform-ops'],
    );
    // platform-ops: OPS-5 4, OPS-1 6, OPS-2 10 → 6
    close(group(report, 'platform-ops').waitBeforeStart.medianHours, 6);
  });

  test('configured waiting statuses count as wait, whatever their category', async () => {
    // OPS-10: To Do 2 h → In Progress 4 h → Waiting for customer (In Progress category) 24 h → In Progress 2 h
    const may = { period: '2026-05' };
    const june = { ...ctx, now: () => new Date('2026-06-01T00:00:00Z') };
    const byDefault = (await ticketWaitTimesReport(june, may)).overall;
    close(byDefault.totalWait.medianHours, 2);
    close(byDefault.flowEfficiency.median, 30 / 32);
    const configured = (
      await ticketWaitTimesReport(
        { ...june, tickets: { ...ctx.tickets, waitingStatuses: ['waiting for customer'] } },
        may,
      )
    ).overall;
    close(configured.waitBeforeStart.medianHours, 2);
    close(configured.totalWait.medianHours, 26);
    close(configured.flowEfficiency.median, 6 / 32);
  });

  test('an empty period gives nulls with reasons and zero counts', async () => {
    const report = await ticketWaitTimesReport(ctx, { period: '2025-01' });
    assert.deepEqual(report.groups, []);
    assert.equal(report.overall.waitBeforeStart.medianHours, null);
    assert.equal(report.overall.totalWait.totalHours, null);
    assert.equal(report.overall.flowEfficiency.reason, 'no resolved ticket with waiting or working time');
    assert.deepEqual(report.overall.counts, { created: 0, started: 0, resolved: 0 });
  });

  test('the drill-down lists the tickets behind a figure, largest first', async () => {
    const drill = await ticketDrillDownReport(ctx, {
      period: '2026-03',
      groupBy: 'category',
      group: 'environment',
      measure: 'totalWait',
    });
    assert.equal(drill.total, 2);
    assert.deepEqual(
      drill.tickets.map((t) => [t.key, t.totalWaitHours, t.inProgressHours]),
      [
        ['OPS-1', 30, 22],
        ['OPS-2', 22, 14],
      ],
    );
    assert.ok(!('requester' in (drill.tickets[0] ?? {})), 'no person in a drill-down row');
    const waiting = await ticketDrillDownReport(ctx, { period: '2026-03', measure: 'stillWaiting' });
    assert.deepEqual(
      waiting.tickets.map((t) => [t.key, t.ageHours]),
      [
        ['OPS-3', 288],
        ['OPS-9', 12],
      ],
    );
    const none = await ticketDrillDownReport(ctx, {
      period: '2026-03',
      groupBy: 'requestingTeam',
      group: '(none)',
      measure: 'waitBeforeStart',
    });
    assert.deepEqual(
      none.tickets.map((t) => t.key),
      ['DBA-4'],
    );
    const second = await ticketDrillDownReport(ctx, {
      period: '2026-03',
      measure: 'waitBeforeStart',
      limit: 2,
      offset: 4,
    });
    assert.deepEqual([second.total, second.tickets.map((t) => t.key)], [5, ['OPS-5']]);
  });

  test('the weekly series attributes waits to the week work started', async () => {
    const series = await ticketWaitSeriesReport(ctx, { period: '2026-03', groupBy: 'category' });
    const database = series.series.find((s) => s.key === 'database');
    assert.ok(database);
    // DBA-4 started Mon 30 Mar (47 h), DBA-7 Tue 31 Mar (20 h): one week, median 33.5
    const week = database.points.find((p) => p.week === '2026-03-30');
    assert.equal(week?.started, 2);
    close(week?.waitBeforeStartMedianHours, 33.5);
    assert.equal(database.points.find((p) => p.week === '2026-03-23')?.started, 0);
    assert.equal(series.series[0]?.points.length, 6); // weeks of 23 Feb … 30 Mar touching March
  });
});
