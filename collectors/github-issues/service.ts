import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { Database } from '../../server/db/tables.ts';
import { createCollectorService } from '../shared/collector-service.ts';
import type { CollectorService } from '../shared/collector-service.ts';
import type { GithubClient } from '../shared/github-client.ts';
import { startIssueQueueCollector } from './collector.ts';
import { COLLECTOR_ID } from './sync.ts';

/** The GitHub Issues collector inside the server: on demand and on `sources.githubIssues.schedule`. */
export function createIssueQueueCollectorService(options: {
  db: Kysely<Database>;
  config: AppConfig;
  clock: Clock;
  scheduled: boolean;
  client?: () => GithubClient;
  log?: (message: string, details: Record<string, unknown>) => void;
}): CollectorService {
  const source = options.config.org.sources.githubIssues;
  return createCollectorService({
    id: COLLECTOR_ID,
    db: options.db,
    clock: options.clock,
    schedule: { expression: source?.schedule, keyPath: 'sources.githubIssues.schedule' },
    scheduled: options.scheduled,
    configured: Boolean(source?.repositories.length),
    ...(options.log ? { log: options.log } : {}),
    start: (request) =>
      startIssueQueueCollector({
        db: options.db,
        config: options.config,
        clock: options.clock,
        since: request.since ?? null,
        repository: request.repository ?? null,
        ...(options.client ? { client: options.client() } : {}),
      }),
  });
}
