import { ConfigError } from './config/config.ts';
import type { AppConfig } from './config/config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { DatabaseUnavailableError, openDatabase } from './db/database.ts';
import type { DatabaseHandle } from './db/database.ts';
import { migrationStatus } from './db/migrate.ts';

/** One finding: ok, a warning (works, but look at it) or a failure (fix it), with what to do. */
export interface Finding {
  level: 'ok' | 'warn' | 'fail';
  topic: string;
  message: string;
  fix?: string;
}

export interface DoctorOptions {
  /** Reachability probes; tests point the sources at local servers. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * `groundwork doctor`: the configuration (loaded by the caller; a ConfigError is reported here), the
 * database, its migrations, the auth mode, and each source's credentials and reachability — each with what to
 * fix. Read-only: it applies no migration and changes no data.
 */
export async function runDoctor(
  loadConfig: () => AppConfig,
  options: DoctorOptions = {},
): Promise<Finding[]> {
  const findings: Finding[] = [];
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [
      { level: 'fail', topic: 'configuration', message: error.message, fix: 'correct the keys named above' },
    ];
  }
  findings.push({
    level: 'ok',
    topic: 'configuration',
    message: `${config.configPath ?? 'the bundled demo organisation'}: ${config.org.teams.length} teams`,
  });
  findings.push(...(await databaseFindings(config)));
  findings.push(...authFindings(config));
  findings.push(...(await sourceFindings(config, options)));
  return findings;
}

async function databaseFindings(config: AppConfig): Promise<Finding[]> {
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({
      url: config.database.url,
      dataDir: config.database.dataDir,
      role: 'groundwork doctor',
      connectionTimeoutMs: 5000,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      return [
        {
          level: 'warn',
          topic: 'database',
          message: error.message,
          fix: 'ask the running server: GET /readyz',
        },
      ];
    }
    if (error instanceof DatabaseUnavailableError) {
      return [
        {
          level: 'fail',
          topic: 'database',
          message: error.message,
          fix: 'start PostgreSQL or correct DATABASE_URL',
        },
      ];
    }
    throw error;
  }
  try {
    const status = await migrationStatus(handle.db);
    return [
      { level: 'ok', topic: 'database', message: handle.location },
      status.pending.length === 0
        ? { level: 'ok', topic: 'migrations', message: `all ${status.applied} applied` }
        : {
            level: 'fail',
            topic: 'migrations',
            message: `${status.pending.length} pending: ${status.pending.join(', ')}`,
            fix: 'run "npx groundwork migrate" (the server also applies them on start)',
          },
    ];
  } finally {
    await handle.close();
  }
}

function authFindings(config: AppConfig): Finding[] {
  const { auth } = config;
  const findings: Finding[] = [];
  const exposed = !['127.0.0.1', '::1', 'localhost'].includes(config.server.host);
  findings.push(
    auth.mode === 'open' && exposed
      ? {
          level: 'warn',
          topic: 'auth',
          message: `mode open on HOST=${config.server.host} (${auth.modeSource}): anyone who reaches the port reads every figure`,
          fix: 'set auth.mode to token, proxy or oidc',
        }
      : { level: 'ok', topic: 'auth', message: `mode ${auth.mode} (${auth.modeSource})` },
  );
  if (auth.mode === 'oidc' && auth.oidc && !auth.oidc.clientSecret) {
    findings.push({
      level: 'warn',
      topic: 'auth',
      message: 'no client secret for OIDC (public client with PKCE only)',
      fix: 'set GROUNDWORK_OIDC_CLIENT_SECRET if your provider issued one',
    });
  }
  if (!config.secrets.ingestSecret) {
    findings.push({
      level: 'ok',
      topic: 'ingest',
      message: 'no GROUNDWORK_INGEST_SECRET: pushes need tokens',
    });
  } else if (config.secrets.ingestSecret.length < 32) {
    findings.push({
      level: 'warn',
      topic: 'ingest',
      message: 'GROUNDWORK_INGEST_SECRET is shorter than 32 characters',
      fix: 'use a long random value, e.g. "openssl rand -hex 32"',
    });
  }
  if (config.secrets.ingestSecret && !config.ingest.requireTimestamp) {
    findings.push({
      level: 'warn',
      topic: 'ingest',
      message: 'signatures over the body alone are accepted: a captured push can be replayed',
      fix: 'once senders send X-Groundwork-Timestamp, set ingest.requireTimestamp: true',
    });
  }
  return findings;
}

async function probe(
  options: DoctorOptions,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number } | { error: string }> {
  try {
    const response = await (options.fetch ?? fetch)(url, {
      headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { error: cause ?? (error as Error).message };
  }
}

async function sourceFindings(config: AppConfig, options: DoctorOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const usesGithub = config.org.sources.github !== undefined || config.org.sources.githubIssues !== undefined;
  if (usesGithub) {
    if (config.github.app) {
      findings.push({
        level: 'ok',
        topic: 'github',
        message: `GitHub App ${config.github.app.appId} configured`,
      });
    } else if (!config.github.token) {
      findings.push({
        level: 'fail',
        topic: 'github',
        message: 'sources.github is configured but there are no credentials',
        fix: 'set GITHUB_TOKEN (read-only) or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID',
      });
    } else {
      const result = await probe(options, `${config.github.apiUrl.replace(/\/+$/, '')}/rate_limit`, {
        authorization: `Bearer ${config.github.token}`,
        accept: 'application/vnd.github+json',
      });
      findings.push(reachability('github', config.github.apiUrl, result, 'GITHUB_TOKEN'));
    }
  }
  if (config.org.sources.jira !== undefined) {
    const { baseUrl, email, apiToken } = config.jira;
    if (!baseUrl || !email || !apiToken) {
      findings.push({
        level: 'fail',
        topic: 'jira',
        message: 'sources.jira is configured but JIRA_BASE_URL, JIRA_EMAIL or JIRA_API_TOKEN is missing',
        fix: 'set all three',
      });
    } else {
      const result = await probe(options, `${baseUrl}/rest/api/3/myself`, {
        authorization: `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`,
        accept: 'application/json',
      });
      findings.push(reachability('jira', baseUrl, result, 'JIRA_EMAIL and JIRA_API_TOKEN'));
    }
  }
  if (!usesGithub && config.org.sources.jira === undefined) {
    findings.push({
      level: 'ok',
      topic: 'sources',
      message: 'no collectors configured (pushes and the demo only)',
    });
  }
  return findings;
}

function reachability(
  topic: string,
  url: string,
  result: { status: number } | { error: string },
  credentials: string,
): Finding {
  if ('error' in result) {
    return {
      level: 'fail',
      topic,
      message: `${url} cannot be reached: ${result.error}`,
      fix: 'check the URL and the network',
    };
  }
  if (result.status === 401 || result.status === 403) {
    return {
      level: 'fail',
      topic,
      message: `${url} refused the credentials (${result.status})`,
      fix: `renew ${credentials}`,
    };
  }
  if (result.status >= 400) {
    return { level: 'fail', topic, message: `${url} answered ${result.status}`, fix: 'check the URL' };
  }
  return { level: 'ok', topic, message: `${url} reachable, credentials accepted` };
}

/** `ok   topic: message` lines, with `     fix: …` under each problem. */
export function describeFindings(findings: readonly Finding[]): string[] {
  return findings.flatMap((finding) => [
    `${finding.level.padEnd(4)} ${finding.topic}: ${finding.message}`,
    ...(finding.fix && finding.level !== 'ok' ? [`     fix: ${finding.fix}`] : []),
  ]);
}
