import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { Database } from '../../server/db/tables.ts';
import { startLeasedRun } from '../shared/leased-run.ts';
import type { LeasedRunStart } from '../shared/leased-run.ts';
import { createJiraClient, detectJiraDeployment } from './client.ts';
import type { JiraClient } from './client.ts';
import { COLLECTOR_ID, syncJira } from './sync.ts';

export interface JiraRunContext {
  db: Kysely<Database>;
  config: AppConfig;
  clock: Clock;
  /** Built from the configuration when not given; tests pass one with a fake sleep. */
  client?: JiraClient;
  signal?: AbortSignal;
  since?: Date | null;
  onProgress?: (counts: Readonly<Record<string, number>>) => void;
  /** Problems that do not stop the run, each reported once (the CLI prints them, the server logs them). */
  onWarning?: (message: string) => void;
}

/** What is missing before the Jira collector can run; null when it is configured. */
export function jiraConfigurationProblem(config: AppConfig): string | null {
  if (!config.org.sources.jira?.projects.length) return 'sources.jira.projects names no project';
  const missing = (
    [
      ['JIRA_BASE_URL', config.jira.baseUrl],
      // Cloud authenticates as an account; Data Center and Server take a personal access token alone.
      ...(config.jira.deployment === 'cloud' ? ([['JIRA_EMAIL', config.jira.email]] as const) : []),
      ['JIRA_API_TOKEN', config.jira.apiToken],
    ] as const
  )
    .filter(([, value]) => !value)
    .map(([name]) => name);
  return missing.length > 0 ? `${missing.join(', ')} not set` : null;
}

/**
 * One Jira collector run under the job lease: the configured projects' issues updated since the last run,
 * with their status history, into `tickets`. A run that cannot start for want of configuration is recorded
 * as failed with the reason.
 */
export async function startJiraCollector(ctx: JiraRunContext): Promise<LeasedRunStart> {
  return startLeasedRun({
    db: ctx.db,
    clock: ctx.clock,
    collector: COLLECTOR_ID,
    scope: '*',
    work: async (run) => {
      const problem = jiraConfigurationProblem(ctx.config);
      if (problem) return { errors: [problem], progressed: false, costPoints: 0 };
      const jira = ctx.config.jira;
      const deployment =
        jira.deployment ??
        (ctx.client ? null : await detectJiraDeployment(jira.baseUrl as string, ctx.signal)) ??
        (jira.email ? 'cloud' : 'datacenter');
      if (!ctx.client && deployment === 'cloud' && !jira.email) {
        return { errors: ['JIRA_EMAIL not set (Jira Cloud)'], progressed: false, costPoints: 0 };
      }
      const client =
        ctx.client ??
        createJiraClient({
          baseUrl: jira.baseUrl as string,
          email: jira.email,
          apiToken: jira.apiToken as string,
          deployment,
          signal: ctx.signal,
        });
      await syncJira({
        db: ctx.db,
        client,
        clock: ctx.clock,
        baseUrl: jira.baseUrl as string,
        projects: ctx.config.org.sources.jira?.projects ?? [],
        tickets: ctx.config.org.tickets,
        requestingTeamField: ctx.config.org.sources.jira?.requestingTeamField ?? null,
        requestTypeField: ctx.config.org.sources.jira?.requestTypeField ?? null,
        statusCategories: ctx.config.org.sources.jira?.statusCategories ?? {},
        onWarning: ctx.onWarning,
        since: ctx.since ?? null,
        signal: ctx.signal,
        counts: run.counts,
        afterPage: async () => {
          run.counts['requests'] = client.usage.requests;
          run.counts['retries'] = client.usage.retries;
          await run.renew();
          ctx.onProgress?.(run.counts);
        },
      });
      run.counts['requests'] = client.usage.requests;
      run.counts['retries'] = client.usage.retries;
      return { errors: [], progressed: true, costPoints: 0 };
    },
  });
}
