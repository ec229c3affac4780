import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { Database } from '../../server/db/tables.ts';
import { parseUtcDate } from '../../server/time.ts';
import { startIssueQueueCollector } from '../github-issues/collector.ts';
import { startJiraCollector } from '../jira/collector.ts';

export interface TicketCollectCommand {
  source: 'jira' | 'github-issues';
  repository: string | null;
  since: Date | null;
}

/**
 * `collect jira [--since YYYY-MM-DD]` and `collect github-issues [--repo owner/name] [--since YYYY-MM-DD]`;
 * null for another source (the GitHub collector's command), a string for a usage problem.
 */
export function parseTicketCollectCommand(args: string[]): TicketCollectCommand | string | null {
  const source = args[0];
  if (source !== 'jira' && source !== 'github-issues') return null;
  let parsed;
  try {
    parsed = parseArgs({
      args: args.slice(1),
      options: {
        since: { type: 'string' },
        ...(source === 'github-issues' ? { repo: { type: 'string' } } : {}),
      },
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const values = parsed.values as { since?: string; repo?: string };
  if (values.repo !== undefined && !/^[^\s/]+\/[^\s/]+$/.test(values.repo)) {
    return `--repo expects owner/name, got "${values.repo}"`;
  }
  const since = values.since === undefined ? null : parseUtcDate(values.since);
  if (values.since !== undefined && !since)
    return `--since expects a date like 2026-11-01, got "${values.since}"`;
  return { source, repository: values.repo ?? null, since };
}

const NAMES = { jira: 'Jira', 'github-issues': 'GitHub Issues' } as const;

/**
 * Runs a ticket collector once in this process, a line of progress per page on stderr. Ctrl-C stops it
 * between pages: what was written stays, with its cursor, and the next run resumes. Returns the exit code.
 */
export async function runTicketCollectCommand(
  context: { db: Kysely<Database>; config: AppConfig; clock: Clock },
  command: TicketCollectCommand,
  output: { out: (line: string) => void; progress: (line: string) => void } = {
    out: (line) => console.log(line),
    progress: (line) => process.stderr.write(`${line}\n`),
  },
): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  const name = NAMES[command.source];
  try {
    const run = { ...context, since: command.since, signal: controller.signal };
    const start =
      command.source === 'jira'
        ? await startJiraCollector({
            ...run,
            onProgress: (counts) =>
              output.progress(`${counts['pages'] ?? 0} pages · ${counts['tickets'] ?? 0} tickets`),
            onWarning: (message) => output.progress(`warning: ${message}`),
          })
        : await startIssueQueueCollector({
            ...run,
            repository: command.repository,
            onProgress: ({ repository, counts }) =>
              output.progress(`${repository} done · ${counts['tickets'] ?? 0} tickets so far`),
          });
    if (!start.started) {
      output.out(`${name} collector not started: ${start.reason}`);
      return 1;
    }
    let result;
    try {
      result = await start.finished;
    } catch (error) {
      output.out(
        `${name} collector run ${start.runId}: failed; ${error instanceof Error ? error.message : String(error)}`,
      );
      // Bad credentials or an unreachable host: running again changes nothing until the configuration does.
      if ((error as { resumable?: boolean }).resumable === false) {
        output.out('  nothing more was collected: fix the configuration above, then run again');
      } else {
        output.out('  what was written is kept; the next run resumes from there');
      }
      return 1;
    }
    if (!result.started) return 1;
    output.out(
      `${name} collector run ${result.runId}: ${result.status}; ${JSON.stringify(result.itemCounts)}`,
    );
    for (const error of result.errors) output.out(`  failed: ${error}`);
    return result.status === 'success' ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
  }
}
