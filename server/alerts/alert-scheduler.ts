import { createTask } from 'node-cron';
import type { ScheduledTask } from 'node-cron';
import { evaluateAlerts } from './evaluator.ts';
import type { AlertsContext } from './evaluator.ts';
import { drainOutbox } from './outbox.ts';

/** The outbox is drained this often (cron, UTC), so retries back off on time and a receiver back up hears soon. */
export const OUTBOX_SCHEDULE = '* * * * *';

export interface AlertScheduler {
  /** Evaluates now, then sends what that queued (what a scheduled run does). */
  runEvaluation(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Alerting inside the server: the evaluator on `alerts.schedule` (daily by default) and the outbox drain
 * every minute, each as a job under the job lease, so several servers on one database evaluate and notify
 * once. A run another server holds is skipped, not queued.
 */
export function createAlertScheduler(
  ctx: AlertsContext,
  options: { scheduled: boolean; log: (message: string, details: Record<string, unknown>) => void },
): AlertScheduler {
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const done = work.catch((error: unknown) => options.log('alert job failed', { error: String(error) }));
    running.add(done);
    void done.finally(() => running.delete(done));
    return done;
  };
  const drain = async () => {
    const drained = await drainOutbox({ db: ctx.db, clock: ctx.clock, channels: ctx.config.alertChannels });
    if (drained.ran && (drained.result.delivered > 0 || drained.result.failed.length > 0)) {
      options.log('alert notifications sent', {
        delivered: drained.result.delivered,
        // The delivery id and why, never the URL: it is a secret.
        failed: drained.result.failed,
      });
    }
  };
  const runEvaluation = async () => {
    const evaluated = await evaluateAlerts(ctx);
    if (!evaluated.ran) {
      options.log('scheduled alert evaluation skipped', { reason: evaluated.reason });
      return;
    }
    const actions = evaluated.report.rules.flatMap((rule) =>
      rule.actions.map((a) => `${rule.rule} ${a.team} ${a.kind}`),
    );
    options.log('alerts evaluated', { asOf: evaluated.report.asOf, actions });
    await drain();
  };
  const tasks: ScheduledTask[] = [];
  if (options.scheduled) {
    tasks.push(
      createTask(ctx.config.org.alerts.schedule, () => track(runEvaluation()), {
        name: 'alerts-evaluate',
        timezone: 'UTC',
        noOverlap: true,
      }),
      createTask(OUTBOX_SCHEDULE, () => track(drain()), {
        name: 'alerts-outbox',
        timezone: 'UTC',
        noOverlap: true,
      }),
    );
    for (const task of tasks) void task.start();
  }
  return {
    runEvaluation: async () => {
      await track(runEvaluation());
    },
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.all(running);
    },
  };
}
