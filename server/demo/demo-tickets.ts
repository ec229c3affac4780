import type { TeamConfig, TicketsConfig } from '#config/config.ts';
import type { NewTicket } from '#db/tickets.repository.ts';
import { ticketCategory } from '../../collectors/shared/ticket-mapping.ts';
import { buildTicketTimeline, timelineColumns } from '../../collectors/shared/ticket-timeline.ts';
import type { StatusChange, TicketStatus } from '../../collectors/shared/ticket-timeline.ts';
import { DAY_MS } from './demo-calendar.ts';
import type { DemoArchetype } from './demo-organization.ts';
import type { DemoPeriod } from './demo-data.ts';
import { DEMO_SOURCE } from './demo-rows.ts';
import { SeededRandom } from './seeded-random.ts';

/**
 * The demo's request queues: teams file tickets with the platform/ops team (`OPS`) and the DBAs (`DBA`) for
 * environments, access, database changes, deploy help and DNS. The `waiting-on-ops` team files the most and
 * waits days for environments and deploy help; the `elite` team has self-service and files few. Pure and
 * deterministic, like the rest of the demo.
 */
export const DEMO_TICKETS_CONFIG = {
  servingTeams: { OPS: 'platform-ops', DBA: 'dba' },
  categories: [
    { name: 'environment', labels: ['environment'] },
    { name: 'access', labels: ['access'] },
    { name: 'database', labels: ['database'] },
    { name: 'deploy-help', labels: ['deploy-help'] },
    { name: 'dns', labels: ['dns'] },
  ],
};

interface CategoryProfile {
  label: string;
  queue: 'OPS' | 'DBA';
  /** Share of a team's requests. */
  weight: number;
  /** Median calendar hours from filing until someone starts on it. */
  waitMedianHours: number;
  workMedianHours: number;
}

const STEADY: readonly CategoryProfile[] = [
  { label: 'environment', queue: 'OPS', weight: 2, waitMedianHours: 18, workMedianHours: 5 },
  { label: 'access', queue: 'OPS', weight: 3, waitMedianHours: 5, workMedianHours: 0.5 },
  { label: 'database', queue: 'DBA', weight: 1, waitMedianHours: 30, workMedianHours: 3 },
  { label: 'deploy-help', queue: 'OPS', weight: 1.5, waitMedianHours: 8, workMedianHours: 2 },
  { label: 'dns', queue: 'OPS', weight: 1, waitMedianHours: 14, workMedianHours: 0.5 },
];

function profileFor(archetype: DemoArchetype): { perWeek: number; categories: readonly CategoryProfile[] } {
  if (archetype === 'elite') return { perWeek: 0.8, categories: STEADY };
  if (archetype !== 'waiting-on-ops') return { perWeek: 2, categories: STEADY };
  // Every environment and release needs ops: more tickets, and days of waiting for environments.
  return {
    perWeek: 5,
    categories: STEADY.map((category) =>
      category.label === 'environment'
        ? { ...category, weight: 4, waitMedianHours: 96 }
        : category.label === 'deploy-help'
          ? { ...category, weight: 3, waitMedianHours: 40 }
          : { ...category, waitMedianHours: category.waitMedianHours * 1.5 },
    ),
  };
}

const TO_DO_STATUS: TicketStatus = { name: 'To Do', category: 'new' };
const IN_PROGRESS: TicketStatus = { name: 'In Progress', category: 'indeterminate' };
const DONE: TicketStatus = { name: 'Done', category: 'done' };
const HOUR_MS = 3_600_000;
const OPS_PERSON = 'demo-ops-engineer';

/**
 * One team's tickets over the period. `teamIndex` keeps ticket keys unique across teams (each team has a
 * block of 10,000 numbers). Changes after `until` have not happened yet, so recent tickets are still waiting
 * or in progress.
 */
export function generateDemoTickets(
  team: TeamConfig,
  teamIndex: number,
  archetype: DemoArchetype,
  period: DemoPeriod,
  tickets: TicketsConfig,
): NewTicket[] {
  const random = new SeededRandom(period.seed, `tickets:${team.slug}`);
  const { perWeek, categories } = profileFor(archetype);
  const requesters = team.members.map((member) => member.jira).filter((id): id is string => id !== null);
  if (requesters.length === 0) return [];
  const untilMs = period.until.getTime();
  const totalWeight = categories.reduce((sum, category) => sum + category.weight, 0);
  const rows: NewTicket[] = [];
  for (let day = period.days; day >= 1; day--) {
    const dayStart = untilMs - day * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday === 0 || weekday === 6) continue; // requests are filed on working days
    for (let n = random.poisson(perWeek / 5); n > 0; n--) {
      let pick = random.next() * totalWeight;
      const category = categories.find((candidate) => (pick -= candidate.weight) < 0) ?? categories[0]!;
      const createdAt = new Date(dayStart + random.between(8, 17) * HOUR_MS);
      const ticket = demoTicket({
        key: `${category.queue}-${teamIndex * 10_000 + rows.length + 1}`,
        category,
        createdAt,
        requester: random.pick(requesters),
        random,
        untilMs,
        tickets,
      });
      rows.push(ticket);
    }
  }
  return rows;
}

function demoTicket(input: {
  key: string;
  category: CategoryProfile;
  createdAt: Date;
  requester: string;
  random: SeededRandom;
  untilMs: number;
  tickets: TicketsConfig;
}): NewTicket {
  const { category, createdAt, random } = input;
  const changes: StatusChange[] = [];
  let at = createdAt.getTime() + random.lognormal(category.waitMedianHours, 0.6) * HOUR_MS;
  const change = (to: TicketStatus) => changes.push({ at: new Date(at), to, actor: OPS_PERSON });
  change(IN_PROGRESS);
  // One in seven bounces back: the request lacked something, and waits again once it is supplied.
  if (random.chance(1 / 7)) {
    at += random.lognormal(category.workMedianHours / 2, 0.5) * HOUR_MS;
    change(TO_DO_STATUS);
    at += random.lognormal(category.waitMedianHours / 2, 0.6) * HOUR_MS;
    change(IN_PROGRESS);
  }
  at += random.lognormal(category.workMedianHours, 0.7) * HOUR_MS;
  change(DONE);
  const firstReply = createdAt.getTime() + random.lognormal(2, 0.8) * HOUR_MS;
  const happened = changes.filter((candidate) => candidate.at.getTime() < input.untilMs);
  const timeline = buildTicketTimeline({
    createdAt,
    initial: TO_DO_STATUS,
    changes: happened,
    reporter: input.requester,
    responses: firstReply < input.untilMs ? [{ at: new Date(firstReply), actor: OPS_PERSON }] : [],
    resolvedAt: null,
  });
  const labels = [category.label];
  const queue = category.queue;
  return {
    source: DEMO_SOURCE,
    key: input.key,
    externalId: null,
    queue,
    title: `${category.label} request ${input.key}`,
    url: null,
    issueType: 'Service Request',
    labels,
    components: [],
    category: ticketCategory(input.tickets, { labels, components: [], issueType: null }),
    requesterJiraAccountId: input.requester,
    requesterGithubLogin: null,
    requesterEmail: null,
    requestingTeamHint: null,
    servingTeam: input.tickets.servingTeams[queue] ?? null,
    createdAt,
    sourceUpdatedAt: null,
    ...timelineColumns(timeline),
  };
}
