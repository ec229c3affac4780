// The environment variables Groundwork reads (server, database, secrets, GitHub, Jira), each checked and
// named in the error when wrong. Only loadConfig calls this: nothing else reads process.env.
import path from 'node:path';
import type { AppConfig } from './config.ts';
import { ConfigError } from './schema-errors.ts';
import type { ConfigProblem } from './schema-errors.ts';

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

export function parseEnvironment(
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
