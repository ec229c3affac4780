import { createTask } from 'node-cron';
import type { ScheduledTask } from 'node-cron';
import { databaseRunCoordinator } from '../../server/jobs/run-coordinator.ts';
import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import { collectorStatuses } from '../../server/db/collector-state.repository.ts';
import type { CollectorStatusRow } from '../../server/db/collector-state.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import type { GithubClient } from '../shared/github-client.ts';
import { startGithubCollector } from './collector.ts';
import { COLLECTOR_ID } from './sync.ts';
import type { GithubRunStart } from './collector.ts';

export interface GithubCollectorService {
  /** Starts a run unless one holds the job; the sync continues in the background. */
  trigger(options?: { repository?: string | null; since?: Date | null }): Promise<GithubRunStart>;
  /** When the schedule fires next; null without a schedule. */
  nextRunAt(): Date | null;
  /** Status for `GET /api/v1/collectors`: running, last run, last success, last error, next scheduled run. */
  status(): Promise<CollectorStatus>;
  /** Stops the schedule and waits for a run this process started. */
  stop(): Promise<void>;
}

export interface CollectorStatus extends CollectorStatusRow {
  configured: boolean;
  schedule: string | null;
  nextRunAt: Date | null;
}

export interface GithubCollectorServiceOptions {
  db: Kysely<Database>;
  config: AppConfig;
  clock: Clock;
  /** Start the `sources.github.schedule` cron task (the server does; tests and the CLI do not). */
  schedule: boolean;
  /** Tests inject a client with a fake sleep. */
  client?: () => GithubClient;
  log?: (message: string, details: Record<string, unknown>) => void;
}

/** The GitHub collector inside the server: on demand (the API) and on the configured cron schedule (UTC). */
export function createGithubCollectorService(options: GithubCollectorServiceOptions): GithubCollectorService {
  const running = new Set<Promise<unknown>>();
  const log = options.log ?? (() => undefined);
  const trigger: GithubCollectorService['trigger'] = async (request = {}) => {
    const start = await startGithubCollector({
      db: options.db,
      config: options.config,
      clock: options.clock,
      repository: request.repository ?? null,
      since: request.since ?? null,
      ...(options.client ? { client: options.client() } : {}),
    });
    if (start.started) {
      const done = start.finished.then(
        (result) => log('GitHub collector run finished', { ...result }),
        (error: unknown) => log('GitHub collector run failed', { runId: start.runId, error: String(error) }),
      );
      running.add(done);
      void done.finally(() => running.delete(done));
    }
    return start;
  };
  const expression = options.config.org.sources.github?.schedule;
  let task: ScheduledTask | null = null;
  // The expression was validated with the configuration.
  if (options.schedule && expression) {
    task = createTask(
      expression,
      async () => {
        const start = await trigger();
        if (!start.started) log('scheduled GitHub collector run skipped', { reason: start.reason });
      },
      {
        name: 'github-collector',
        timezone: 'UTC',
        noOverlap: true,
        // Several servers or workers on one database: each tick runs in one of them.
        distributed: true,
        runCoordinator: databaseRunCoordinator(options.db),
      },
    );
    void task.start();
  }
  const nextRunAt = () => task?.getNextRun() ?? null;
  return {
    trigger,
    nextRunAt,
    async status() {
      const row = (await collectorStatuses(options.db, options.clock.now())).find(
        (status) => status.collector === COLLECTOR_ID,
      );
      const github = options.config.org.sources.github;
      return {
        collector: COLLECTOR_ID,
        running: false,
        lastRun: null,
        lastSuccessAt: null,
        lastError: null,
        ...row,
        configured: Boolean(github?.repositories?.length || github?.organization),
        schedule: task ? (expression ?? null) : null,
        nextRunAt: nextRunAt(),
      };
    },
    async stop() {
      if (task) await task.stop();
      await Promise.all(running);
    },
  };
}
