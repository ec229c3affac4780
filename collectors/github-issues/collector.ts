import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { Database } from '../../server/db/tables.ts';
import { createGithubClient } from '../shared/github-client.ts';
import type { GithubClient } from '../shared/github-client.ts';
import { message, startLeasedRun } from '../shared/leased-run.ts';
import type { LeasedRunStart } from '../shared/leased-run.ts';
import { DEFAULT_IN_PROGRESS_LABELS, DEFAULT_WAITING_LABELS } from './map.ts';
import type { IssueWorkflow } from './map.ts';
import { COLLECTOR_ID, syncIssueQueue } from './sync.ts';

export interface IssueQueueRunContext {
  db: Kysely<Database>;
  config: AppConfig;
  clock: Clock;
  /** Built from the configuration when not given; tests pass one with a fake sleep. */
  client?: GithubClient;
  signal?: AbortSignal;
  /** Only this repository (`--repo owner/name`). */
  repository?: string | null;
  since?: Date | null;
  onProgress?: (progress: { repository: string; counts: Readonly<Record<string, number>> }) => void;
}

export function issueWorkflow(config: AppConfig): IssueWorkflow {
  const source = config.org.sources.githubIssues;
  const lower = (labels: readonly string[]) => labels.map((label) => label.toLowerCase());
  return {
    inProgressLabels: lower(source?.inProgressLabels ?? DEFAULT_IN_PROGRESS_LABELS),
    waitingLabels: lower(source?.waitingLabels ?? DEFAULT_WAITING_LABELS),
  };
}

/**
 * One GitHub Issues collector run under the job lease: each configured queue repository in turn; one that
 * fails is recorded and the others go on.
 */
export async function startIssueQueueCollector(ctx: IssueQueueRunContext): Promise<LeasedRunStart> {
  const repositories = ctx.repository
    ? [ctx.repository.toLowerCase()]
    : (ctx.config.org.sources.githubIssues?.repositories ?? []).map((name) => name.toLowerCase());
  return startLeasedRun({
    db: ctx.db,
    clock: ctx.clock,
    collector: COLLECTOR_ID,
    scope: ctx.repository?.toLowerCase() ?? '*',
    work: async (run) => {
      if (repositories.length === 0) {
        return {
          errors: ['sources.githubIssues.repositories names no repository'],
          progressed: false,
          costPoints: 0,
        };
      }
      const client =
        ctx.client ??
        createGithubClient({
          baseUrl: ctx.config.github.apiUrl,
          token: ctx.config.github.token,
          clock: ctx.clock,
        });
      const errors: string[] = [];
      let synced = 0;
      for (const repository of repositories) {
        try {
          await syncIssueQueue(
            {
              db: ctx.db,
              client,
              clock: ctx.clock,
              tickets: ctx.config.org.tickets,
              workflow: issueWorkflow(ctx.config),
              since: ctx.since ?? null,
              signal: ctx.signal,
              counts: run.counts,
              afterPage: () => run.renew(),
            },
            repository,
          );
          synced++;
        } catch (error) {
          if (ctx.signal?.aborted) throw error;
          errors.push(`${repository}: ${message(error)}`);
        }
        run.counts['repositories'] = synced;
        ctx.onProgress?.({ repository, counts: run.counts });
      }
      return { errors, progressed: synced > 0, costPoints: client.usage.pointsSpent };
    },
  });
}
