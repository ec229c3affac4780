// A small organisation with planted friction whose figures are worked out by hand in
// server/friction/friction.db.test.ts. Survey answers go through the survey import, tickets through the
// timeline builder and repository the collectors use.
import type { Kysely } from 'kysely';
import { buildTicketTimeline, timelineColumns } from '../collectors/shared/ticket-timeline.ts';
import { parseOrganization } from '../server/config/config.ts';
import type { OrganizationConfig } from '../server/config/config.ts';
import type { Database } from '../server/db/tables.ts';
import { upsertTickets } from '../server/db/tickets.repository.ts';
import type { NewTicket } from '../server/db/tickets.repository.ts';
import type { FrictionContext } from '../server/friction/friction-analysis.ts';
import { loadBenchmarks } from '../server/metrics/tiers.ts';
import { syncOrganization } from '../server/org/organization-sync.ts';
import { importSurveyCsv } from '../server/surveys/surveys.service.ts';
import { loadFrictionCatalogue } from '../scorecards/load-friction.ts';
import { loadSurveys } from '../scorecards/load-surveys.ts';

export const FRICTION_NOW = new Date('2026-11-20T12:00:00Z');
/** 2026-Q3: 1 July to 1 October, 92 days = 13.142857 weeks; the Q3 survey round has closed by "now". */
export const Q3_WEEKS = 92 / 7;

const members = (slug: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${slug}-${i + 1}`).join(', ');

export function frictionOrganization(extra = ''): OrganizationConfig {
  return parseOrganization(
    `organization: acme
teams:
  - { slug: alpha, name: Alpha, members: [${members('alpha', 12)}] }
  - { slug: beta, name: Beta, members: [${members('beta', 6)}] }
  - { slug: gamma, name: Gamma, members: [${members('gamma', 8)}] }
  - { slug: delta, name: Delta, members: [${members('delta', 6)}] }
tickets:
  servingTeams: { OPS: platform-ops }
  categories:
    - { name: environment, labels: [environment] }
    - { name: access, labels: [access] }
${extra}`,
    'friction fixture',
  );
}

/**
 * Q3 survey answers (hours per week): alpha's 12 lose 4 or 6 hours (alternately) to environments; beta's 6
 * lose 2 or 4 looking for information; gamma's 5 lose 1 waiting on ops; everyone 1 hour on builds; delta
 * does not answer. Tickets started in Q3: alpha 26 environment requests waiting 300 h each, gamma 13 access
 * requests waiting 1000 h each, delta 13 environment requests waiting 100 h each.
 */
function q3Csv(): string {
  const header = [
    'team',
    'submittedAt',
    'hours-environments',
    'hours-searching',
    'hours-ops-requests',
    'hours-waiting-builds',
    'hours-waiting-reviews',
  ];
  const rows = [header];
  const answer = (team: string, n: number, hours: (i: number) => number[]) => {
    for (let i = 0; i < n; i++) rows.push([team, '2026-08-10', ...hours(i).map(String)]);
  };
  answer('alpha', 12, (i) => [i % 2 === 0 ? 4 : 6, 0, 0, 1, 0]);
  answer('beta', 6, (i) => [0, i % 2 === 0 ? 2 : 4, 0, 1, 0]);
  answer('gamma', 5, () => [0, 0, 1, 1, 0]);
  return rows.map((row) => row.join(',')).join('\n');
}

/** A request filed at `createdAt` that waits `waitHours` in To Do, then takes an hour. */
export function waitingTicket(
  key: string,
  team: string,
  category: string,
  createdAt: Date,
  waitHours: number,
): NewTicket {
  const started = new Date(createdAt.getTime() + waitHours * 3_600_000);
  const timeline = buildTicketTimeline({
    createdAt,
    initial: { name: 'To Do', category: 'new' },
    changes: [
      { at: started, to: { name: 'In Progress', category: 'indeterminate' }, actor: 'ops' },
      { at: new Date(started.getTime() + 3_600_000), to: { name: 'Done', category: 'done' }, actor: 'ops' },
    ],
    reporter: null,
    responses: [],
    resolvedAt: null,
  });
  return {
    source: 'fixture',
    key,
    externalId: null,
    queue: 'OPS',
    title: `Request ${key}`,
    url: null,
    issueType: null,
    labels: [category],
    components: [],
    category,
    requesterJiraAccountId: null,
    requesterGithubLogin: null,
    requesterEmail: null,
    requestingTeamHint: team,
    servingTeam: 'platform-ops',
    createdAt,
    sourceUpdatedAt: createdAt,
    ...timelineColumns(timeline),
  };
}

const july = (day: number) => new Date(Date.UTC(2026, 6, day, 9));

export function frictionContext(
  db: Kysely<Database>,
  org: OrganizationConfig,
  now = FRICTION_NOW,
): FrictionContext {
  const surveys = loadSurveys();
  const clock = () => now;
  return {
    db,
    org,
    metrics: { db, org, benchmarks: loadBenchmarks(), now: clock },
    surveys,
    catalogue: loadFrictionCatalogue({ surveys, org }),
    now: clock,
  };
}

export async function seedFrictionFixtures(db: Kysely<Database>, org: OrganizationConfig): Promise<void> {
  await syncOrganization(db, org, new Date('2026-01-01T00:00:00Z'));
  const report = await importSurveyCsv(
    {
      db,
      surveys: loadSurveys(),
      minGroupSize: org.surveys.minGroupSize,
      hashKey: null,
      now: () => FRICTION_NOW,
    },
    'devex-2026-q3',
    q3Csv(),
    { dryRun: false, skipInvalid: false },
  );
  if (report.rejected.length > 0 || report.accepted !== 23) throw new Error(JSON.stringify(report.rejected));
  const tickets = [
    ...Array.from({ length: 26 }, (_, i) =>
      waitingTicket(`A-${i}`, 'alpha', 'environment', july(1 + i), 300),
    ),
    ...Array.from({ length: 13 }, (_, i) => waitingTicket(`G-${i}`, 'gamma', 'access', july(1 + i), 1000)),
    ...Array.from({ length: 13 }, (_, i) =>
      waitingTicket(`D-${i}`, 'delta', 'environment', july(1 + i), 100),
    ),
  ];
  await upsertTickets(db, tickets, FRICTION_NOW);
}
