import type { AppConfig } from '../../server/config/config.ts';

export type CollectorId = 'github' | 'jira' | 'github-issues';

/**
 * Whether a collector can run with this configuration: what `sources.<key>` names, and which environment
 * variables it still needs. The CLI refuses to start on a problem, the server warns once at start-up, and
 * the Data sources page shows the same words — one source of truth, so they never disagree.
 */
export interface CollectorReadiness {
  collector: CollectorId;
  /** The configuration key that says what to collect (`sources.githubIssues`, not the collector's id). */
  configKey: string;
  /** `sources.<key>` names something to collect. */
  configured: boolean;
  /** Environment variables the collector needs and does not have. */
  missingCredentials: string[];
  /** How to supply the credentials, when some are missing. */
  credentialsHint: string | null;
}

const GITHUB_HINT =
  'set GITHUB_TOKEN, or GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID';

function githubCredentials(config: AppConfig): string[] {
  return config.github.token || config.github.app ? [] : ['GITHUB_TOKEN'];
}

export function collectorReadiness(config: AppConfig): CollectorReadiness[] {
  const sources = config.org.sources;
  const jiraMissing = (
    [
      ['JIRA_BASE_URL', config.jira.baseUrl],
      ['JIRA_EMAIL', config.jira.email],
      ['JIRA_API_TOKEN', config.jira.apiToken],
    ] as const
  )
    .filter(([, value]) => !value)
    .map(([name]) => name);
  const github = githubCredentials(config);
  return [
    {
      collector: 'github',
      configKey: 'sources.github',
      configured: Boolean(sources.github?.repositories?.length || sources.github?.organization),
      missingCredentials: github,
      credentialsHint: github.length ? GITHUB_HINT : null,
    },
    {
      collector: 'jira',
      configKey: 'sources.jira',
      configured: Boolean(sources.jira?.projects.length),
      missingCredentials: jiraMissing,
      credentialsHint: jiraMissing.length ? `set ${jiraMissing.join(', ')}` : null,
    },
    {
      collector: 'github-issues',
      configKey: 'sources.githubIssues',
      configured: Boolean(sources.githubIssues?.repositories.length),
      missingCredentials: github,
      credentialsHint: github.length ? GITHUB_HINT : null,
    },
  ];
}

const WHAT = {
  github: 'names no repositories or organization',
  jira: 'names no projects',
  'github-issues': 'names no repositories',
} as const;

/** One line naming everything that keeps the collector from running, or null when it can run. */
export function readinessProblem(readiness: CollectorReadiness, configSource: string): string | null {
  const problems = [
    ...(readiness.configured
      ? []
      : [`${readiness.configKey} in ${configSource} ${WHAT[readiness.collector]}`]),
    ...(readiness.credentialsHint ? [`missing credentials: ${readiness.credentialsHint}`] : []),
  ];
  return problems.length ? problems.join('; ') : null;
}

/** Where the organisation came from, as the problems name it. */
export function configSourceName(config: AppConfig): string {
  return config.configPath ?? 'the bundled demo configuration (no groundwork.yaml)';
}
