import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { Database } from '../../server/db/tables.ts';
import { createCollectorService } from '../shared/collector-service.ts';
import type { CollectorService } from '../shared/collector-service.ts';
import type { JiraClient } from './client.ts';
import { jiraConfigurationProblem, startJiraCollector } from './collector.ts';
import { COLLECTOR_ID } from './sync.ts';

/** The Jira collector inside the server: on demand and on `sources.jira.schedule`. */
export function createJiraCollectorService(options: {
  db: Kysely<Database>;
  config: AppConfig;
  clock: Clock;
  scheduled: boolean;
  client?: () => JiraClient;
  log?: (message: string, details: Record<string, unknown>) => void;
}): CollectorService {
  return createCollectorService({
    id: COLLECTOR_ID,
    db: options.db,
    clock: options.clock,
    schedule: { expression: options.config.org.sources.jira?.schedule, keyPath: 'sources.jira.schedule' },
    scheduled: options.scheduled,
    configured: jiraConfigurationProblem(options.config) === null,
    ...(options.log ? { log: options.log } : {}),
    start: (request) =>
      startJiraCollector({
        db: options.db,
        config: options.config,
        clock: options.clock,
        since: request.since ?? null,
        onWarning: (message) => options.log?.('Jira collector warning', { message }),
        ...(options.client ? { client: options.client() } : {}),
      }),
  });
}
