// Hand-built tickets with known wait times (the arithmetic is in server/metrics/ticket-waits.db.test.ts),
// written through the same timeline builder and repository the collectors use.
import type { Kysely } from 'kysely';
import { buildTicketTimeline, timelineColumns } from '../collectors/shared/ticket-timeline.ts';
import type { StatusChange, TicketStatus } from '../collectors/shared/ticket-timeline.ts';
import { parseOrganization } from '../server/config/config.ts';
import type { Database } from '../server/db/tables.ts';
import { upsertTickets } from '../server/db/tickets.repository.ts';
import type { NewTicket } from '../server/db/tickets.repository.ts';

export const TODO: TicketStatus = { name: 'To Do', category: 'new' };
export const PROGRESS: TicketStatus = { name: 'In Progress', category: 'indeterminate' };
export const DONE: TicketStatus = { name: 'Done', category: 'done' };
export const REOPENED: TicketStatus = { name: 'Reopened', category: 'new' };
export const WAITING_FOR_CUSTOMER: TicketStatus = { name: 'Waiting for customer', category: 'indeterminate' };
// A German workflow: the names mean nothing to Groundwork, the categories everything.
export const OFFEN: TicketStatus = { name: 'Offen', category: 'new' };
export const IN_ARBEIT: TicketStatus = { name: 'In Arbeit', category: 'indeterminate' };
export const ERLEDIGT: TicketStatus = { name: 'Erledigt', category: 'done' };

export const ticketOrg = parseOrganization(
  `organization: acme
teams:
  - { slug: identity, name: Identity & Access, members: [{ github: ida, jira: acc-ida }] }
  - { slug: search, name: Search, members: [{ github: sam, jira: acc-sam, email: sam@acme.test }] }
tickets:
  servingTeams: { OPS: platform-ops, DBA: dba }
`,
  'ticket fixture',
);

const OPS_PERSON = 'acc-ops';

interface FixtureTicket {
  key: string;
  queue?: string;
  category: string;
  requester: string | null;
  createdAt: string;
  initial?: TicketStatus;
  /** [when, to status, by whom (default: the ops person)] */
  changes: [string, TicketStatus, string?][];
  comments?: [string, string][];
}

function ticket(fixture: FixtureTicket): NewTicket {
  const changes: StatusChange[] = fixture.changes.map(([at, to, actor]) => ({
    at: new Date(at),
    to,
    actor: actor ?? OPS_PERSON,
  }));
  const createdAt = new Date(fixture.createdAt);
  const timeline = buildTicketTimeline({
    createdAt,
    initial: fixture.initial ?? TODO,
    changes,
    reporter: fixture.requester,
    responses: (fixture.comments ?? []).map(([at, actor]) => ({ at: new Date(at), actor })),
    resolvedAt: null,
  });
  const queue = fixture.queue ?? 'OPS';
  return {
    source: 'fixture',
    key: fixture.key,
    externalId: null,
    queue,
    title: `Request ${fixture.key}`,
    url: null,
    issueType: null,
    labels: [],
    components: [],
    category: fixture.category,
    requesterJiraAccountId: fixture.requester,
    requesterGithubLogin: null,
    requesterEmail: null,
    requestingTeamHint: null,
    servingTeam: ticketOrg.tickets.servingTeams[queue] ?? null,
    createdAt,
    sourceUpdatedAt: createdAt,
    ...timelineColumns(timeline),
  };
}

export const FIXTURE_TICKETS: readonly NewTicket[] = [
  // Bounces between waiting and working.
  ticket({
    key: 'OPS-1',
    category: 'environment',
    requester: 'acc-ida',
    createdAt: '2026-03-02T09:00:00Z',
    comments: [
      ['2026-03-02T09:30:00Z', 'acc-ida'], // the reporter's own comment is no response
      ['2026-03-02T10:00:00Z', OPS_PERSON],
    ],
    changes: [
      ['2026-03-02T15:00:00Z', PROGRESS],
      ['2026-03-03T09:00:00Z', TODO],
      ['2026-03-04T09:00:00Z', PROGRESS],
      ['2026-03-04T13:00:00Z', DONE],
    ],
  }),
  // Resolved, reopened, resolved again.
  ticket({
    key: 'OPS-2',
    category: 'environment',
    requester: 'acc-ida',
    createdAt: '2026-03-10T00:00:00Z',
    changes: [
      ['2026-03-10T10:00:00Z', PROGRESS],
      ['2026-03-10T20:00:00Z', DONE],
      ['2026-03-11T20:00:00Z', REOPENED, 'acc-ida'],
      ['2026-03-12T08:00:00Z', PROGRESS],
      ['2026-03-12T12:00:00Z', DONE],
    ],
  }),
  // Never started: still waiting.
  ticket({
    key: 'OPS-3',
    category: 'access',
    requester: 'acc-sam',
    createdAt: '2026-03-20T00:00:00Z',
    changes: [],
  }),
  // Across the EU switch to summer time (Sunday 29 March 2026, 02:00 → 03:00 in Berlin): 10:00 CET on the
  // 28th to 10:00 CEST on the 30th is 47 hours, not 48.
  ticket({
    key: 'DBA-4',
    queue: 'DBA',
    category: 'database',
    requester: 'acc-unknown',
    createdAt: '2026-03-28T10:00:00+01:00',
    changes: [
      ['2026-03-30T10:00:00+02:00', PROGRESS],
      ['2026-03-30T12:00:00+02:00', DONE],
    ],
  }),
  // A German workflow, mapped through its status categories.
  ticket({
    key: 'OPS-5',
    category: 'access',
    requester: 'acc-sam',
    createdAt: '2026-03-05T08:00:00Z',
    initial: OFFEN,
    changes: [
      ['2026-03-05T12:00:00Z', IN_ARBEIT],
      ['2026-03-05T14:00:00Z', ERLEDIGT],
    ],
  }),
  // All in February: must not leak into March.
  ticket({
    key: 'OPS-6',
    category: 'environment',
    requester: 'acc-ida',
    createdAt: '2026-02-20T00:00:00Z',
    changes: [
      ['2026-02-21T00:00:00Z', PROGRESS],
      ['2026-02-22T00:00:00Z', DONE],
    ],
  }),
  // Started in March, resolved in April: counts for wait before start only.
  ticket({
    key: 'DBA-7',
    queue: 'DBA',
    category: 'database',
    requester: 'acc-sam',
    createdAt: '2026-03-31T00:00:00Z',
    changes: [
      ['2026-03-31T20:00:00Z', PROGRESS],
      ['2026-04-02T00:00:00Z', DONE],
    ],
  }),
  // Work starts exactly at the end of March: still waiting in March (age 12 h), started in April.
  ticket({
    key: 'OPS-9',
    category: 'dns',
    requester: 'acc-sam',
    createdAt: '2026-03-31T12:00:00Z',
    changes: [['2026-04-01T00:00:00Z', PROGRESS]],
  }),
  // May: "Waiting for customer" is In Progress by category; configured as waiting, it counts as wait.
  ticket({
    key: 'OPS-10',
    category: 'access',
    requester: 'acc-ida',
    createdAt: '2026-05-04T00:00:00Z',
    changes: [
      ['2026-05-04T02:00:00Z', PROGRESS],
      ['2026-05-04T06:00:00Z', WAITING_FOR_CUSTOMER],
      ['2026-05-05T06:00:00Z', PROGRESS],
      ['2026-05-05T08:00:00Z', DONE],
    ],
  }),
];

export async function writeFixtureTickets(db: Kysely<Database>, now: Date): Promise<void> {
  await upsertTickets(db, FIXTURE_TICKETS, now);
}
