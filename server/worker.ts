import type { AppConfig } from './config/config.ts';
import { clockFor } from './clock.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { organizationToServe } from './demo/bundled-organization.ts';
import { syncOrganization } from './org/organization-sync.ts';
import { createGithubCollectorService } from '../collectors/github/service.ts';
import { createIssueQueueCollectorService } from '../collectors/github-issues/service.ts';
import { createJiraCollectorService } from '../collectors/jira/service.ts';

/**
 * `groundwork worker`: runs only the scheduled jobs (the collectors on their cron schedules), no HTTP — for
 * running the API as `serve --no-jobs` replicas and the jobs apart. Any number of workers and servers
 * share one PostgreSQL: each tick is claimed by one process and each job holds its lease while it runs, so
 * nothing runs twice. SIGTERM/SIGINT stop the schedules and wait for the runs in progress.
 */
export async function runWorker(config: AppConfig): Promise<void> {
  const clock = clockFor(config.fixedNow);
  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.database.dataDir,
    role: 'worker',
  });
  const log = (message: string, details: Record<string, unknown> = {}) =>
    console.log(JSON.stringify({ time: new Date().toISOString(), message, ...details }));
  await migrateToLatest(database.db);
  const served = { ...config, org: await organizationToServe(database.db, config) };
  await syncOrganization(database.db, served.org, clock.now());
  const options = { db: database.db, config: served, clock, log };
  const jobs = [
    createGithubCollectorService({ ...options, schedule: true }),
    createJiraCollectorService({ ...options, scheduled: true }),
    createIssueQueueCollectorService({ ...options, scheduled: true }),
  ];
  const statuses = await Promise.all(jobs.map((job) => job.status()));
  const scheduled = statuses.filter((status) => status.schedule !== null);
  log(`Groundwork worker running: ${scheduled.length} scheduled job(s)`, {
    jobs: scheduled.map((status) => `${status.collector} (${status.schedule ?? ''})`),
  });
  if (scheduled.length === 0) {
    log('no collector has a schedule (sources.<name>.schedule): nothing to run');
    await Promise.all(jobs.map((job) => job.stop()));
    await database.close();
    return;
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('worker stopping: waiting for runs in progress', { signal });
    await Promise.all(jobs.map((job) => job.stop()));
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
