import type { ConfigFile, TeamConfigFile } from '#config/config.schema.ts';
import { DEMO_TICKETS_CONFIG } from './demo-tickets.ts';

/**
 * How a demo team delivers, so the dashboards have stories to tell:
 * - `elite`: many small deploys a day, lead time of hours, rare incidents, recovery under an hour;
 * - `unreliable-pipeline`: a third of changes fail (failed deploys, incidents, hotfixes, rollbacks), slow recovery;
 * - `regressed`: healthy until the last 30 days, then lead time roughly triples;
 * - `waiting-on-ops`: production deploys only through an ops queue on Tuesdays and Thursdays, so lead
 *   time is days and mostly deploy wait;
 * - `steady`: unremarkable, with mild variation per team.
 */
export type DemoArchetype = 'elite' | 'unreliable-pipeline' | 'regressed' | 'waiting-on-ops' | 'steady';

interface NamedTeam {
  slug: string;
  name: string;
  /** Repository suffixes: `acme/<slug>-<suffix>`. */
  repositorySuffixes: string[];
  serviceCount: 1 | 2;
}

// The first four teams carry the archetypes in ARCHETYPE_ORDER; the rest are steady.
const NAMED_TEAMS: readonly NamedTeam[] = [
  { slug: 'payments', name: 'Payments', repositorySuffixes: ['api', 'web', 'ledger'], serviceCount: 2 },
  { slug: 'checkout', name: 'Checkout', repositorySuffixes: ['api', 'web'], serviceCount: 2 },
  { slug: 'search', name: 'Search', repositorySuffixes: ['api', 'indexer'], serviceCount: 1 },
  { slug: 'identity', name: 'Identity & Access', repositorySuffixes: ['api', 'web'], serviceCount: 2 },
  { slug: 'mobile-app', name: 'Mobile App', repositorySuffixes: ['ios', 'android', 'bff'], serviceCount: 2 },
  {
    slug: 'data-platform',
    name: 'Data Platform',
    repositorySuffixes: ['pipelines', 'warehouse'],
    serviceCount: 1,
  },
  { slug: 'notifications', name: 'Notifications', repositorySuffixes: ['api'], serviceCount: 1 },
  { slug: 'growth', name: 'Growth', repositorySuffixes: ['web', 'experiments'], serviceCount: 2 },
  { slug: 'billing', name: 'Billing', repositorySuffixes: ['api', 'jobs'], serviceCount: 1 },
  { slug: 'onboarding', name: 'Onboarding', repositorySuffixes: ['web'], serviceCount: 1 },
  {
    slug: 'observability',
    name: 'Observability',
    repositorySuffixes: ['api', 'agents', 'web'],
    serviceCount: 2,
  },
  { slug: 'developer-tools', name: 'Developer Tools', repositorySuffixes: ['cli', 'api'], serviceCount: 1 },
];

const ARCHETYPE_ORDER: readonly DemoArchetype[] = [
  'elite',
  'unreliable-pipeline',
  'regressed',
  'waiting-on-ops',
];

const GENERATED_SUFFIXES = ['api', 'web', 'jobs'] as const;

/** Slugs are `team-013` …, so this many teams keep them three digits and unique. */
export const MAX_DEMO_TEAMS = 999;

/** The slugs of the demo teams, in order; the same prefix for every team count. */
export function demoTeamSlugs(teamCount: number): string[] {
  assertTeamCount(teamCount);
  return Array.from({ length: teamCount }, (_, index) => teamShape(index).slug);
}

/** The archetype of a demo team by its slug; any team that is not one of the first four is `steady`. */
export function demoTeamArchetype(slug: string): DemoArchetype {
  const index = NAMED_TEAMS.findIndex((team) => team.slug === slug);
  return ARCHETYPE_ORDER[index] ?? 'steady';
}

/**
 * The demo organisation `acme` as a configuration document (what a `groundwork.yaml` would hold): the
 * first twelve teams have real names, the rest are `team-013` …. Each team owns one to three repositories
 * by exact name, one or two services, and has four to nine members, some with Jira and e-mail identities.
 */
export function demoOrganization(teamCount = 8): ConfigFile {
  assertTeamCount(teamCount);
  return {
    organization: 'acme',
    productionEnvironments: ['production'],
    teams: Array.from({ length: teamCount }, (_, index) => teamConfig(teamShape(index))),
    tickets: DEMO_TICKETS_CONFIG,
    // Lead time (the default rule), and the code-review driver the regressed team's survey sours on: its
    // drop between two rounds of 6–7 respondents is not significant, so it raises no alert of its own.
    alerts: {
      rules: [
        { name: 'lead-time', metric: 'leadTime' },
        { name: 'code-review-mood', metric: 'surveyDriver', driver: 'code-review' },
      ],
    },
  };
}

function assertTeamCount(teamCount: number): void {
  if (!Number.isInteger(teamCount) || teamCount < 1 || teamCount > MAX_DEMO_TEAMS) {
    throw new RangeError(`the demo organisation has 1 to ${MAX_DEMO_TEAMS} teams, not ${teamCount}`);
  }
}

function teamShape(index: number): NamedTeam {
  const named = NAMED_TEAMS[index];
  if (named) return named;
  const number = String(index + 1).padStart(3, '0');
  const slug = `team-${number}`;
  const hash = stringHash(slug);
  const repositorySuffixes = GENERATED_SUFFIXES.slice(0, 1 + (hash % 3));
  // A second service only when there is a second repository to deploy it from.
  const serviceCount = repositorySuffixes.length > 1 && (hash >>> 4) % 2 === 1 ? 2 : 1;
  return { slug, name: `Team ${number}`, repositorySuffixes, serviceCount };
}

function teamConfig(shape: NamedTeam): TeamConfigFile {
  const { slug } = shape;
  const memberCount = 4 + (stringHash(`${slug}/members`) % 6); // 4 to 9
  const services = [slug, `${slug}-${shape.repositorySuffixes[1] ?? 'jobs'}`].slice(0, shape.serviceCount);
  return {
    slug,
    name: shape.name,
    repositories: shape.repositorySuffixes.map((suffix) => `acme/${slug}-${suffix}`),
    services,
    members: Array.from({ length: memberCount }, (_, i) => {
      const login = `dev-${slug}-${i + 1}`;
      // Every third person is also known to Jira and by e-mail, as when a team lists its members by hand.
      return i % 3 === 2
        ? { github: login, jira: `jira-${slug}-${i + 1}`, email: `${login}@acme.example` }
        : login;
    }),
  };
}

/** FNV-1a: a stable small hash so generated teams vary without a random generator. */
function stringHash(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}
