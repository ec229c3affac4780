import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate as isCronExpression } from 'node-cron';
import { parseDocument } from 'yaml';
import { normalizeCi } from './ci.schema.ts';
import type { CiConfig } from './ci.schema.ts';
import { ConfigFileSchema } from './config.schema.ts';
import type { ConfigFile, SourcesConfig } from './config.schema.ts';
import { normalizeAlerts, resolveAlertChannels } from './alerts-config.ts';
import type { AlertChannel, AlertsConfig } from './alerts-config.ts';
import { schemaProblems } from './schema-errors.ts';
import type { ConfigProblem } from './schema-errors.ts';
import { ownershipProblems } from './ownership-claims.ts';
import { normalizeFriction } from './friction.schema.ts';
import type { FrictionConfig } from './friction.schema.ts';
import { parseUtcDate } from '../time.ts';
import { normalizeAuth } from './auth.schema.ts';
import type { AuthConfig } from './auth.schema.ts';
import { normalizeIngest } from './ingest.schema.ts';
import type { IngestConfig } from './ingest.schema.ts';
import { normalizeLimits } from './limits.schema.ts';
import type { LimitsConfig } from './limits.schema.ts';

/** A repository or service a team claims: an exact name or a `*` glob, lower-cased. */
export interface OwnedPattern {
  pattern: string;
  /** When this claim starts to hold; null: when the configuration is loaded (or always, if first). */
  effectiveFrom: Date | null;
  keyPath: string;
}

export interface MemberConfig {
  /** The identity this membership is tracked by: `github:login`, else `jira:id`, else `email:address`. */
  key: string;
  github: string | null;
  jira: string | null;
  email: string | null;
  effectiveFrom: Date | null;
}

export interface TeamConfig {
  slug: string;
  name: string;
  repositories: OwnedPattern[];
  services: OwnedPattern[];
  members: MemberConfig[];
}

export interface MetricsConfig {
  /** The tier table used by default (`scorecards/benchmarks/<id>.yaml`). */
  benchmark: string;
  /** Below this many samples a metric gets no tier. */
  minSampleForTier: number;
  /** When set, an incident with no explicit cause is tied to the latest successful production deployment
   * of its service that finished within this many hours before it started. */
  incidentCauseWindowHours: number | null;
}

/** How tickets are read for wait times (`tickets` in groundwork.yaml, with defaults). */
export interface TicketsConfig {
  /** Queue (Jira project key, or owner/name lower-cased) → the team that works it. */
  servingTeams: Readonly<Record<string, string>>;
  /** Tried in order; the first whose label, component or issue type matches (case-insensitive) wins. */
  categories: {
    name: string;
    labels: string[];
    components: string[];
    issueTypes: string[];
    /** Jira Service Management request types (`sources.jira.requestTypeField`). */
    requestTypes: string[];
  }[];
  defaultCategory: string;
  /** Statuses of these categories count as waiting (default: new, i.e. To Do). */
  waitingStatusCategories: ('new' | 'indeterminate')[];
  /** Statuses with these names (lower-cased) count as waiting too, whatever their category. */
  waitingStatuses: string[];
}

export interface OrganizationConfig {
  organization: string;
  productionEnvironments: string[];
  /** Lower-cased environment name or alias → the environment's configured name (`environmentAliases`). */
  environmentNames: Readonly<Record<string, string>>;
  metrics: MetricsConfig;
  teams: TeamConfig[];
  sources: SourcesConfig;
  /** Alert rules and notification channels (`alerts:`; server/config/alerts.schema.ts). */
  alerts: AlertsConfig;
  /** Survey results for a group with fewer responses than `minGroupSize` (default 5, at least 3) are suppressed. */
  surveys: { minGroupSize: number; dir: string | null };
  tickets: TicketsConfig;
  /** Defaults of the friction ranking, recommendations and readiness verdict, and shipped capabilities. */
  friction: FrictionConfig;
  /** Which CI runs are collected (`ci` in groundwork.yaml, with defaults). */
  ci: CiConfig;
}

export interface AppConfig {
  /** The file the organisation came from; null when the bundled demo organisation is used. */
  configPath: string | null;
  org: OrganizationConfig;
  /** Who may read, and how they sign in (`auth`, `GROUNDWORK_AUTH_MODE`). */
  auth: AuthConfig;
  /** How signed pushes are checked (`ingest`). */
  ingest: IngestConfig;
  /** Request rates (`limits`). */
  limits: LimitsConfig;
  server: {
    host: string;
    port: number;
    /** `GROUNDWORK_PUBLIC_URL`: where people reach the dashboard, for links made outside a request. */
    publicUrl: string | null;
    /** `GROUNDWORK_MAX_ACTIVE_REQUESTS`: API requests served at once; null: 8 on PostgreSQL, 4 on PGlite. */
    maxActiveRequests: number | null;
    /** `GROUNDWORK_MAX_QUEUED_REQUESTS`: API requests waiting beyond those (default 100); more get a 429. */
    maxQueuedRequests: number;
  };
  database: {
    /** A PostgreSQL connection string (holds a password: never log it), or null for embedded PGlite. */
    url: string | null;
    /** `DATABASE_READ_URL`: a streaming replica of `url` for dashboard reads (docs/scaling.md), or null. */
    readUrl: string | null;
    /** Where embedded data lives: PGlite under `pglite/`, and its lock file. */
    dataDir: string;
  };
  logLevel: string;
  /** The alert channels with their URLs and secrets from the environment (`urlEnv`, `secretEnv`). */
  alertChannels: AlertChannel[];
  /** Where survey rounds live: `GROUNDWORK_SURVEYS_DIR`, else `surveys.dir` (relative to the configuration
   * file), resolved; null: the install's scorecards/surveys. */
  surveysDir: string | null;
  /** `GROUNDWORK_NOW`: pins the clock for tests and reproducible demos. */
  fixedNow: Date | null;
  /** `CHROMIUM_PATH`: the Chromium that prints PDF reports (default /usr/bin/chromium, Debian's). */
  chromiumPath: string;
  /** Shared secrets for signed pushes; null when unset. Never log them. */
  secrets: {
    /** `GROUNDWORK_INGEST_SECRET`: HMAC key for `X-Groundwork-Signature` on the ingestion routes. */
    ingestSecret: string | null;
    /** `GITHUB_WEBHOOK_SECRET`: HMAC key GitHub signs webhook deliveries with (`X-Hub-Signature-256`). */
    githubWebhookSecret: string | null;
    /** `GROUNDWORK_SURVEY_HASH_KEY`: HMAC key for survey respondent identifiers; unset: identifiers are refused. */
    surveyHashKey: string | null;
  };
  /** The GitHub collector's API access. */
  github: {
    /** `GITHUB_API_URL`: the REST base; GitHub Enterprise Server `https://HOST/api/v3`; a local server in tests. */
    apiUrl: string;
    /** `GITHUB_TOKEN`: a personal access token (read-only scopes). Never log it. */
    token: string | null;
    /** A GitHub App installation (`GITHUB_APP_ID`, `GITHUB_APP_PRIVATE_KEY`, `GITHUB_APP_INSTALLATION_ID`);
     * used instead of the token when set. The private key is a secret: never log it. */
    app: { appId: string; privateKey: string; installationId: number } | null;
  };
  /** The Jira collector's API access: Cloud (REST v3, basic auth with an API token) or Data Center / Server
   * (REST v2, a personal access token). */
  jira: {
    /** `JIRA_BASE_URL`: https://your-site.atlassian.net; a local server in tests; null when unset. */
    baseUrl: string | null;
    /** `JIRA_EMAIL`: the account the API token belongs to. */
    email: string | null;
    /** `JIRA_API_TOKEN`: Cloud, an API token; Data Center / Server, a personal access token. Never log it. */
    apiToken: string | null;
    /** `JIRA_DEPLOYMENT`: `cloud` or `datacenter` (`server` too); null: detected from the site. */
    deployment: 'cloud' | 'datacenter' | null;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `Invalid configuration in ${source}:\n` + problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The organisation to use when no configuration file is found (the bundled demo). */
  fallbackOrganization: () => ConfigFile;
}

/**
 * Reads the environment and `groundwork.yaml` once, reports every problem with its key path, and returns a
 * frozen, typed configuration. Nothing else in Groundwork reads `process.env`.
 */
export function loadConfig(options: LoadConfigOptions): AppConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configPath = findConfigFile(env, cwd);
  const source = configPath ?? 'the bundled demo configuration';
  const raw = configPath
    ? readConfigDocument(readFileSync(configPath, 'utf8'), configPath)
    : options.fallbackOrganization();
  const org = normalizeOrganization(raw, source);
  const file = raw as ConfigFile;
  const environment = parseEnvironment(env, cwd);
  const problems: ConfigProblem[] = [];
  const auth = normalizeAuth(
    file.auth,
    env,
    { host: environment.server.host, databaseUrl: environment.database.url },
    problems,
  );
  if (problems.length > 0) throw new ConfigError(source, problems);
  const alertChannels = resolveAlertChannels(org.alerts.channels, env);
  return deepFreeze({
    configPath,
    org,
    alertChannels,
    auth,
    ingest: normalizeIngest(file.ingest),
    limits: normalizeLimits(file.limits),
    surveysDir: surveysDir(env, cwd, configPath, org),
    ...environment,
  });
}

function surveysDir(
  env: NodeJS.ProcessEnv,
  cwd: string,
  configPath: string | null,
  org: OrganizationConfig,
): string | null {
  const fromEnv = env['GROUNDWORK_SURVEYS_DIR'];
  const [key, dir] = fromEnv
    ? ['GROUNDWORK_SURVEYS_DIR', path.resolve(cwd, fromEnv)]
    : org.surveys.dir
      ? ['surveys.dir', path.resolve(configPath ? path.dirname(configPath) : cwd, org.surveys.dir)]
      : [null, null];
  if (key && dir && !existsSync(dir)) {
    throw new ConfigError(fromEnv ? 'the environment' : (configPath ?? 'the configuration'), [
      { path: key, message: `folder ${dir} does not exist` },
    ]);
  }
  return dir;
}

function findConfigFile(env: NodeJS.ProcessEnv, cwd: string): string | null {
  const explicit = env['GROUNDWORK_CONFIG'];
  if (explicit) {
    const resolved = path.resolve(cwd, explicit);
    if (!existsSync(resolved)) {
      throw new ConfigError('the environment', [
        { path: 'GROUNDWORK_CONFIG', message: `file ${resolved} does not exist` },
      ]);
    }
    return resolved;
  }
  const conventional = path.join(cwd, 'groundwork.yaml');
  return existsSync(conventional) ? conventional : null;
}

/** Parses and validates the text of a `groundwork.yaml`; `source` names it in errors. */
export function parseOrganization(text: string, source: string): OrganizationConfig {
  return normalizeOrganization(readConfigDocument(text, source), source);
}

/** Aliases a real configuration needs; far more is a "billion laughs" document expanding without bound. */
const MAX_ALIASES = 100;

/** The YAML text as data, or a ConfigError: syntax errors by line, an alias bomb as one clear line. */
function readConfigDocument(text: string, source: string): unknown {
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
    surveys: { minGroupSize: file.surveys?.minGroupSize ?? 5, dir: file.surveys?.dir ?? null },
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

/** `GITHUB_APP_*`: all three or none; the key may come with literal `\n`s (one-line environment files). */
function parseGithubApp(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): AppConfig['github']['app'] {
  const appId = env['GITHUB_APP_ID'] || null;
  const privateKey = env['GITHUB_APP_PRIVATE_KEY']?.replace(/\\n/g, '\n') || null;
  const installation = env['GITHUB_APP_INSTALLATION_ID'] || null;
  if (!appId && !privateKey && !installation) return null;
  const missing = [
    ['GITHUB_APP_ID', appId],
    ['GITHUB_APP_PRIVATE_KEY', privateKey],
    ['GITHUB_APP_INSTALLATION_ID', installation],
  ].filter(([, value]) => !value);
  for (const [name] of missing) {
    problems.push({ path: name ?? '', message: 'is required with the other GITHUB_APP_* variables' });
  }
  if (appId && !/^(\d+|Iv[0-9A-Za-z.]+)$/.test(appId)) {
    problems.push({ path: 'GITHUB_APP_ID', message: 'expected the numeric app id or the client id (Iv…)' });
  }
  if (privateKey && !/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey)) {
    // Never echo the value: it is a secret.
    problems.push({ path: 'GITHUB_APP_PRIVATE_KEY', message: 'expected a PEM private key (-----BEGIN …)' });
  }
  if (installation && !/^\d+$/.test(installation)) {
    problems.push({
      path: 'GITHUB_APP_INSTALLATION_ID',
      message: `expected an integer, got "${installation}"`,
    });
  }
  if (missing.length > 0 || !appId || !privateKey || !installation) return null;
  return { appId, privateKey, installationId: Number(installation) };
}

function parseEnvironment(
  env: NodeJS.ProcessEnv,
  cwd: string,
): Omit<AppConfig, 'configPath' | 'org' | 'alertChannels' | 'auth' | 'ingest' | 'limits' | 'surveysDir'> {
  const problems: ConfigProblem[] = [];
  const port = env['PORT'] ?? '3000';
  if (!/^\d+$/.test(port) || Number(port) > 65535) {
    problems.push({ path: 'PORT', message: `expected an integer from 0 to 65535, got "${port}"` });
  }
  const url = env['DATABASE_URL'] || null;
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    problems.push({
      path: 'DATABASE_URL',
      message: 'expected a postgres:// or postgresql:// connection string',
    });
  }
  const readUrl = env['DATABASE_READ_URL'] || null;
  if (readUrl && !/^postgres(ql)?:\/\//.test(readUrl)) {
    problems.push({
      path: 'DATABASE_READ_URL',
      message: 'expected a postgres:// or postgresql:// connection string',
    });
  } else if (readUrl && !url) {
    problems.push({
      path: 'DATABASE_READ_URL',
      message: 'a read replica needs its primary: set DATABASE_URL too (embedded PGlite has no replicas)',
    });
  }
  const positive = (name: string): number | null => {
    const text = env[name];
    if (!text) return null;
    if (/^\d+$/.test(text) && Number(text) >= 1) return Number(text);
    problems.push({ path: name, message: `expected a positive integer, got "${text}"` });
    return null;
  };
  const maxActiveRequests = positive('GROUNDWORK_MAX_ACTIVE_REQUESTS');
  const maxQueuedRequests = positive('GROUNDWORK_MAX_QUEUED_REQUESTS') ?? 100;
  const nowText = env['GROUNDWORK_NOW'];
  const fixedNow = nowText ? new Date(nowText) : null;
  if (fixedNow && Number.isNaN(fixedNow.getTime())) {
    problems.push({ path: 'GROUNDWORK_NOW', message: `expected an ISO timestamp, got "${nowText}"` });
  }
  const logLevel = env['LOG_LEVEL'] ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push({
      path: 'LOG_LEVEL',
      message: `expected fatal, error, warn, info, debug, trace or silent`,
    });
  }
  const surveyHashKey = env['GROUNDWORK_SURVEY_HASH_KEY'] || null;
  if (surveyHashKey !== null && surveyHashKey.length < 16) {
    problems.push({ path: 'GROUNDWORK_SURVEY_HASH_KEY', message: 'expected at least 16 characters' });
  }
  const githubApiUrl = env['GITHUB_API_URL'] || 'https://api.github.com';
  if (!/^https?:\/\/\S+$/.test(githubApiUrl)) {
    problems.push({ path: 'GITHUB_API_URL', message: `expected an http(s) URL, got "${githubApiUrl}"` });
  }
  const githubApp = parseGithubApp(env, problems);
  const jiraBaseUrl = env['JIRA_BASE_URL'] || null;
  if (jiraBaseUrl !== null && !/^https?:\/\/\S+$/.test(jiraBaseUrl)) {
    problems.push({ path: 'JIRA_BASE_URL', message: `expected an http(s) URL, got "${jiraBaseUrl}"` });
  }
  const publicUrl = env['GROUNDWORK_PUBLIC_URL'] || null;
  if (publicUrl !== null && !/^https?:\/\/\S+$/.test(publicUrl)) {
    problems.push({ path: 'GROUNDWORK_PUBLIC_URL', message: `expected an http(s) URL, got "${publicUrl}"` });
  }
  const jiraDeployment = env['JIRA_DEPLOYMENT']?.toLowerCase() || null;
  if (jiraDeployment !== null && !['cloud', 'datacenter', 'server'].includes(jiraDeployment)) {
    problems.push({ path: 'JIRA_DEPLOYMENT', message: 'expected cloud, datacenter or server' });
  }
  if (problems.length > 0) throw new ConfigError('the environment', problems);
  return {
    server: {
      host: env['HOST'] || '127.0.0.1',
      port: Number(port),
      publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
      maxActiveRequests,
      maxQueuedRequests,
    },
    database: { url, readUrl, dataDir: path.resolve(cwd, env['GROUNDWORK_DATA_DIR'] || 'data') },
    logLevel,
    fixedNow,
    chromiumPath: env['CHROMIUM_PATH'] || '/usr/bin/chromium',
    secrets: {
      ingestSecret: env['GROUNDWORK_INGEST_SECRET'] || null,
      githubWebhookSecret: env['GITHUB_WEBHOOK_SECRET'] || null,
      surveyHashKey,
    },
    github: { apiUrl: githubApiUrl, token: env['GITHUB_TOKEN'] || null, app: githubApp },
    jira: {
      baseUrl: jiraBaseUrl?.replace(/\/+$/, '') ?? null,
      email: env['JIRA_EMAIL'] || null,
      apiToken: env['JIRA_API_TOKEN'] || null,
      deployment: jiraDeployment === null ? null : jiraDeployment === 'cloud' ? 'cloud' : 'datacenter',
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
