import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CiConfig } from './ci.schema.ts';
import type { ConfigFile, SourcesConfig } from './config.schema.ts';
import { resolveAlertChannels } from './alerts-config.ts';
import type { AlertChannel, AlertsConfig } from './alerts-config.ts';
import { ConfigError } from './schema-errors.ts';
import type { ConfigProblem } from './schema-errors.ts';
import { parseEnvironment } from './environment.ts';
import { normalizeOrganization, readConfigDocument } from './organization.ts';
import type { FrictionConfig } from './friction.schema.ts';
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
  surveys: { minGroupSize: number; dir: string | null; publishComments: boolean };
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

// Where callers have always found them.
export { ConfigError } from './schema-errors.ts';
export { canonicalEnvironment, normalizeOrganization, parseOrganization } from './organization.ts';

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

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
