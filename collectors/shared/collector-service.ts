import { createTask, validate } from 'node-cron';
import type { ScheduledTask } from 'node-cron';
import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import { collectorStatuses } from '../../server/db/collector-state.repository.ts';
import type { CollectorStatusRow } from '../../server/db/collector-state.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import type { LeasedRunStart } from './leased-run.ts';
import { databaseRunCoordinator } from '../../server/jobs/run-coordinator.ts';

export interface RunRequest {
  since?: Date | null;
  repository?: string | null;
}

/** A collector inside the server: runs on demand (the API) and on its configured cron schedule (UTC). */
export interface CollectorService {
  readonly id: string;
  /** Starts a run unless one holds the job; the sync continues in the background. */
  trigger(request?: RunRequest): Promise<LeasedRunStart>;
  status(): Promise<CollectorServiceStatus>;
  /** Stops the schedule and waits for a run this process started. */
  stop(): Promise<void>;
}

export interface CollectorServiceStatus extends CollectorStatusRow {
  configured: boolean;
  schedule: string | null;
  nextRunAt: Date | null;
}

export interface CollectorServiceOptions {
  id: string;
  db: Kysely<Database>;
  clock: Clock;
  /** `sources.<name>.schedule`; the key path names it in errors. */
  schedule: { expression: string | undefined; keyPath: string };
  /** Start the cron task (the server does; tests and the CLI do not). */
  scheduled: boolean;
  configured: boolean;
  start: (request: RunRequest) => Promise<LeasedRunStart>;
  log?: (message: string, details: Record<string, unknown>) => void;
}

export function createCollectorService(options: CollectorServiceOptions): CollectorService {
  const running = new Set<Promise<unknown>>();
  const log = options.log ?? (() => undefined);
  const trigger = async (request: RunRequest = {}) => {
    const start = await options.start(request);
    if (start.started) {
      const done = start.finished.then(
        (result) => log(`${options.id} collector run finished`, { ...result }),
        (error: unknown) =>
          log(`${options.id} collector run failed`, { runId: start.runId, error: String(error) }),
      );
      running.add(done);
      void done.finally(() => running.delete(done));
    }
    return start;
  };
  const { expression, keyPath } = options.schedule;
  let task: ScheduledTask | null = null;
  if (options.scheduled && expression && options.configured) {
    if (!validate(expression)) throw new Error(`${keyPath}: "${expression}" is not a cron expression`);
    task = createTask(
      expression,
      async () => {
        const start = await trigger();
        if (!start.started) log(`scheduled ${options.id} collector run skipped`, { reason: start.reason });
      },
      {
        name: `${options.id}-collector`,
        timezone: 'UTC',
        noOverlap: true,
        // Several servers or workers on one database: each tick runs in one of them.
        distributed: true,
        runCoordinator: databaseRunCoordinator(options.db),
      },
    );
    void task.start();
  }
  return {
    id: options.id,
    trigger,
    async status() {
      const row = (await collectorStatuses(options.db, options.clock.now())).find(
        (status) => status.collector === options.id,
      );
      return {
        collector: options.id,
        running: false,
        lastRun: null,
        lastSuccessAt: null,
        lastError: null,
        ...row,
        configured: options.configured,
        schedule: task ? (expression ?? null) : null,
        nextRunAt: task?.getNextRun() ?? null,
      };
    },
    async stop() {
      if (task) await task.stop();
      await Promise.all(running);
    },
  };
}
