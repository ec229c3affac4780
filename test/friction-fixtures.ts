// A small organisation with planted friction whose figures are worked out by hand in
// server/friction/friction.db.test.ts. Survey answers go through the survey import, tickets through the
// timeline builder and repository the collectors use.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Kysely } from 'kysely';
import { buildApp } from '../server/app.ts';
import type { FastifyTypebox } from '../server/app.ts';
import { fixedClock } from '../server/clock.ts';
import type { DatabaseHandle } from '../server/db/database.ts';
import { buildTicketTimeline, timelineColumns } from '../collectors/shared/ticket-timeline.ts';
import { loadConfig, parseOrganization } from '../server/config/config.ts';
import type { OrganizationConfig } from '../server/config/config.ts';
import type { Database } from '../server/db/tables.ts';
import { upsertTickets } from '../server/db/tickets.repository.ts';
import type { NewTicket } from '../server/db/tickets.repository.ts';
import type { FrictionContext } from '../server/friction/friction-analysis.ts';
import { loadBenchmarks } from '../server/metrics/tiers.ts';
import { syncOrganization } from '../server/org/organization-sync.ts';
import { importSurveyCsv } from '../server/surveys/surveys.service.ts';
import { ensureRepositories } from '../server/db/code-repositories.repository.ts';
import { upsertDeployments } from '../server/db/deployments.repository.ts';
import { upsertIncidents } from '../server/db/incidents.repository.ts';
import { openTestDatabase } from './test-database.ts';
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
  - { slug: alpha, name: Alpha, repositories: [acme/alpha], services: [alpha-api], members: [${members('alpha', 12)}] }
  - { slug: beta, name: Beta, repositories: [acme/beta], services: [beta-api], members: [${members('beta', 6)}] }
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
    'respondent',
    'submittedAt',
    'hours-environments',
    'hours-searching',
    'hours-ops-requests',
    'hours-waiting-builds',
    'hours-waiting-reviews',
  ];
  const rows = [header];
  const answer = (team: string, n: number, hours: (i: number) => number[]) => {
    for (let i = 0; i < n; i++) rows.push([team, `${team}-${i}`, '2026-08-10', ...hours(i).map(String)]);
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
      hashKey: 'friction-fixtures-hash-key',
      now: () => FRICTION_NOW,
    },
    'devex-2026-q3',
    q3Csv(),
    // Respondents answer alike on purpose: the respondent column keeps them apart (no double submissions).
    { dryRun: false, skipInvalid: false, overrides: { respondent: 'respondent' } },
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

/**
 * Q3 deployments: alpha deploys every Monday from 6 July (13 deployments) and the first 4 fail, each with an
 * incident that takes 10 hours to resolve (change failure rate 4 ÷ 13 = 31 %, tier low); beta deploys every
 * Tuesday (13), none fail. Organisation: 4 ÷ 26 = 15.4 %, tier low too (above 15 %).
 */
export async function seedFailingDeliveries(db: Kysely<Database>): Promise<void> {
  const repos = await ensureRepositories(db, ['acme/alpha', 'acme/beta']);
  const day = (n: number, hour = 12) => new Date(Date.UTC(2026, 6, n, hour));
  const deployment = (team: 'alpha' | 'beta', i: number) => {
    const finishedAt = day(6 + 7 * i + (team === 'beta' ? 1 : 0));
    return {
      source: 'ci',
      externalId: `${team}-${i}`,
      repositoryId: repos.get(`acme/${team}`) as number,
      environment: 'production',
      status: 'success' as const,
      startedAt: new Date(finishedAt.getTime() - 600_000),
      finishedAt,
    };
  };
  const teams = ['alpha', 'beta'] as const;
  await upsertDeployments(
    db,
    teams.flatMap((team) => Array.from({ length: 13 }, (_, i) => deployment(team, i))),
    FRICTION_NOW,
  );
  await upsertIncidents(
    db,
    Array.from({ length: 4 }, (_, i) => ({
      source: 'ci',
      externalId: `alpha-incident-${i}`,
      service: 'alpha-api',
      startedAt: new Date(day(6 + 7 * i).getTime() + 3_600_000),
      resolvedAt: new Date(day(6 + 7 * i).getTime() + 11 * 3_600_000),
      causeDeploymentExternalId: `alpha-${i}`,
    })),
    FRICTION_NOW,
  );
}

/** Monday 7 September 2026: access automation ships to alpha and beta (ci-speed-up ships to nobody). */
export const SHIPPED_ON = '2026-09-07';

/**
 * One access request per team per week, started that Friday: 8 weeks before shipping (from 13 July) and 8
 * weeks from 21 September. Waits before start (hours), pre → post: alpha 100 → 20, beta 100 → 30, gamma 100
 * → 100, delta 100 → 110. With B = wait × 0.1 per week: changes alpha −8, beta −7, gamma 0, delta +1.
 */
export async function seedImpactFixtures(db: Kysely<Database>): Promise<void> {
  const post = { alpha: 20, beta: 30, gamma: 100, delta: 110 } as const;
  const monday = (week: number) => new Date(Date.UTC(2026, 6, 13) + week * 7 * 86_400_000 + 9 * 3_600_000);
  const tickets = (Object.keys(post) as (keyof typeof post)[]).flatMap((team) => [
    ...Array.from({ length: 8 }, (_, w) => waitingTicket(`${team}-pre-${w}`, team, 'access', monday(w), 100)),
    ...Array.from({ length: 8 }, (_, w) =>
      waitingTicket(`${team}-post-${w}`, team, 'access', monday(10 + w), post[team]),
    ),
  ]);
  await upsertTickets(db, tickets, FRICTION_NOW);
}

/** The app over `handle` for an organisation already synced (see seedFrictionFixtures). */
export async function buildFrictionApp(
  handle: DatabaseHandle,
  org: OrganizationConfig,
  now = FRICTION_NOW,
): Promise<FastifyTypebox> {
  const config = loadConfig({
    env: {},
    cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-friction-')),
    fallbackOrganization: () => ({ organization: 'unused', teams: [] }),
  });
  return buildApp({
    config: { ...config, org },
    database: handle,
    clock: fixedClock(now),
    webRoot: path.join(os.tmpdir(), 'groundwork-no-dashboard'),
    logger: false,
  });
}

/**
 * A test file's seeded database and the app over it: opened before the file's tests, closed after them.
 * Read the fields inside tests (they are set by the `before` hook).
 */
export function frictionApiFixture(): {
  handle: DatabaseHandle;
  app: FastifyTypebox;
  org: OrganizationConfig;
} {
  const fixture = { org: frictionOrganization() } as {
    handle: DatabaseHandle;
    app: FastifyTypebox;
    org: OrganizationConfig;
  };
  before(async () => {
    fixture.handle = await openTestDatabase();
    await seedFrictionFixtures(fixture.handle.db, fixture.org);
    fixture.app = await buildFrictionApp(fixture.handle, fixture.org);
  });
  after(async () => {
    await fixture.app.close();
    await fixture.handle.close();
  });
  return fixture;
}
