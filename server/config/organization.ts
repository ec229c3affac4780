// groundwork.yaml's organisation: the YAML read safely, validated against the schema, then what the schema
// cannot say (ownership claims, dates, serving teams, cron expressions), normalised into OrganizationConfig.
import { validate as isCronExpression } from 'node-cron';
import { parseDocument } from 'yaml';
import { normalizeCi } from './ci.schema.ts';
import { ConfigFileSchema } from './config.schema.ts';
import type { ConfigFile } from './config.schema.ts';
import type { OrganizationConfig, OwnedPattern, TeamConfig, TicketsConfig } from './config.ts';
import { normalizeAlerts } from './alerts-config.ts';
import { ConfigError, schemaProblems } from './schema-errors.ts';
import type { ConfigProblem } from './schema-errors.ts';
import { ownershipProblems } from './ownership-claims.ts';
import { normalizeFriction } from './friction.schema.ts';
import { parseUtcDate } from '../time.ts';

/** Parses and validates the text of a `groundwork.yaml`; `source` names it in errors. */
export function parseOrganization(text: string, source: string): OrganizationConfig {
  return normalizeOrganization(readConfigDocument(text, source), source);
}

/** Aliases a real configuration needs; far more is a "billion laughs" document expanding without bound. */
const MAX_ALIASES = 100;

/** The YAML text as data, or a ConfigError: syntax errors by line, an alias bomb as one clear line. */
export function readConfigDocument(text: string, source: string): unknown {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((error) => ({
        path: '(YAML syntax)',
        message: error.message.split('\n')[0] ?? '',
      })),
    );
  }
  try {
    return document.toJS({ maxAliasCount: MAX_ALIASES }) as unknown;
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw new ConfigError(source, [
      {
        path: '(YAML aliases)',
        message: `the document expands aliases too often (more than ${MAX_ALIASES} per alias): refused`,
      },
    ]);
  }
}

/** Validates a parsed configuration document (from YAML, or built in code like the demo's). */
export function normalizeOrganization(raw: unknown, source: string): OrganizationConfig {
  const problems = schemaProblems(ConfigFileSchema, raw);
  if (problems.length > 0) throw new ConfigError(source, problems);
  const file = raw as ConfigFile;
  const dateProblems: ConfigProblem[] = [];
  const date = (value: string | undefined, at: string): Date | null => {
    if (value === undefined) return null;
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseUtcDate(value) : new Date(value);
    if (!parsed || Number.isNaN(parsed.getTime())) {
      dateProblems.push({ path: at, message: `"${value}" is not a real date` });
      return null;
    }
    return parsed;
  };
  const owned = (items: ConfigFile['teams'][number]['repositories'], at: string): OwnedPattern[] =>
    (items ?? []).map((item, i) => {
      const keyPath = `${at}[${i}]`;
      return typeof item === 'string'
        ? { pattern: item.toLowerCase(), effectiveFrom: null, keyPath }
        : {
            pattern: item.name.toLowerCase(),
            effectiveFrom: date(item.effectiveFrom, `${keyPath}.effectiveFrom`),
            keyPath,
          };
    });
  const teams = file.teams.map((team, t): TeamConfig => {
    const at = `teams[${t}]`;
    return {
      slug: team.slug,
      name: team.name,
      repositories: owned(team.repositories, `${at}.repositories`),
      services: owned(team.services, `${at}.services`),
      members: (team.members ?? []).flatMap((member, m) => {
        const keyPath = `${at}.members[${m}]`;
        const identity = typeof member === 'string' ? { github: member } : member;
        const github = identity.github?.toLowerCase() ?? null;
        const jira = identity.jira ?? null;
        const email = identity.email?.toLowerCase() ?? null;
        const key = github ? `github:${github}` : jira ? `jira:${jira}` : email ? `email:${email}` : null;
        if (!key) {
          dateProblems.push({ path: keyPath, message: 'give at least one of github, jira or email' });
          return [];
        }
        const effectiveFrom =
          typeof member === 'string' ? null : date(member.effectiveFrom, `${keyPath}.effectiveFrom`);
        return [{ key, github, jira, email, effectiveFrom }];
      }),
    };
  });
  const tickets = normalizeTickets(file.tickets);
  const alerts = normalizeAlerts(file.alerts, {
    teamSlugs: new Set(teams.map((team) => team.slug)),
    ticketCategories: new Set([
      ...tickets.categories.map((category) => category.name),
      tickets.defaultCategory,
    ]),
  });
  const friction = normalizeFriction(
    file.friction,
    teams.map((team) => team.slug),
  );
  const semanticProblems = [
    ...dateProblems,
    ...ownershipProblems(teams),
    ...githubSourceProblems(file),
    ...alerts.problems,
    ...friction.problems,
    ...servingTeamProblems(file),
  ];
  if (semanticProblems.length > 0) throw new ConfigError(source, semanticProblems);
  const productionEnvironments = file.productionEnvironments ?? ['production'];
  return {
    organization: file.organization,
    productionEnvironments,
    environmentNames: environmentNames(productionEnvironments, file.environmentAliases ?? {}),
    metrics: {
      benchmark: file.metrics?.benchmark ?? 'dora-2023',
      minSampleForTier: file.metrics?.minSampleForTier ?? 5,
      incidentCauseWindowHours: file.metrics?.incidentCauseInference?.windowHours ?? null,
    },
    teams,
    sources: file.sources ?? {},
    alerts: alerts.alerts,
    surveys: {
      minGroupSize: file.surveys?.minGroupSize ?? 5,
      dir: file.surveys?.dir ?? null,
      publishComments: file.surveys?.publishComments ?? false,
    },
    tickets,
    friction: friction.friction,
    ci: normalizeCi(file.ci),
  };
}

/** Each environment name and alias, lower-cased, → the configured name: names match case-insensitively. */
function environmentNames(
  production: readonly string[],
  aliases: Readonly<Record<string, string[]>>,
): Record<string, string> {
  const names: Record<string, string> = {};
  for (const name of [...production, ...Object.keys(aliases)]) names[name.toLowerCase()] ??= name;
  for (const [name, others] of Object.entries(aliases)) {
    for (const alias of others) names[alias.toLowerCase()] = name;
  }
  return names;
}

/** A deployment's environment as configured: `Production` or an alias such as `prod-eu` → `production`. */
export function canonicalEnvironment(
  org: Pick<OrganizationConfig, 'environmentNames'>,
  name: string,
): string {
  return org.environmentNames[name.toLowerCase()] ?? name;
}

function normalizeTickets(tickets: ConfigFile['tickets']): TicketsConfig {
  const lower = (values: string[] | undefined) => (values ?? []).map((value) => value.toLowerCase());
  return {
    servingTeams: Object.fromEntries(
      Object.entries(tickets?.servingTeams ?? {}).map(([queue, team]) => [
        queue.includes('/') ? queue.toLowerCase() : queue,
        team,
      ]),
    ),
    categories: (tickets?.categories ?? []).map((category) => ({
      name: category.name,
      labels: lower(category.labels),
      components: lower(category.components),
      issueTypes: lower(category.issueTypes),
      requestTypes: lower(category.requestTypes),
    })),
    defaultCategory: tickets?.defaultCategory ?? 'other',
    waitingStatusCategories: tickets?.waitingStatusCategories ?? ['new'],
    waitingStatuses: lower(tickets?.waitingStatuses),
  };
}

/**
 * With a ticket collector configured, `tickets.servingTeams` must map queues it reads (a project of
 * `sources.jira`, a repository of `sources.githubIssues`) to declared teams: a typo would otherwise leave
 * every ticket of the queue without a serving team, or invent a team, silently.
 */
function servingTeamProblems(file: ConfigFile): ConfigProblem[] {
  const jira = file.sources?.jira?.projects;
  const repositories = file.sources?.githubIssues?.repositories;
  if (!jira && !repositories) return [];
  const queues = new Set([...(jira ?? []), ...(repositories ?? []).map((name) => name.toLowerCase())]);
  const slugs = new Set(file.teams.map((team) => team.slug));
  return Object.entries(file.tickets?.servingTeams ?? {}).flatMap(([queue, slug]) => {
    const path = `tickets.servingTeams.${queue}`;
    const problems: ConfigProblem[] = [];
    if (!queues.has(queue.includes('/') ? queue.toLowerCase() : queue)) {
      problems.push({
        path,
        message: `"${queue}" is not a queue of sources.jira.projects or sources.githubIssues.repositories`,
      });
    }
    if (!slugs.has(slug)) problems.push({ path, message: `"${slug}" is not the slug of a team in teams` });
    return problems;
  });
}

/** What the schema cannot say about `sources.github`: a cron expression node-cron accepts, a workflow file. */
function githubSourceProblems(file: ConfigFile): ConfigProblem[] {
  const github = file.sources?.github;
  const problems: ConfigProblem[] = [];
  if (github?.schedule !== undefined && !isCronExpression(github.schedule)) {
    problems.push({
      path: 'sources.github.schedule',
      message: `"${github.schedule}" is not a cron expression`,
    });
  }
  (github?.deployments ?? []).forEach((entry, i) => {
    if (entry.from === 'workflow' && entry.workflow === undefined) {
      problems.push({
        path: `sources.github.deployments[${i}].workflow`,
        message: 'is required with from: workflow (the workflow file, e.g. deploy.yml)',
      });
    }
  });
  return problems;
}
