import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Clock } from '../../server/clock.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { Database } from '../../server/db/tables.ts';
import type { GithubClient } from '../shared/github-client.ts';
import { parseUtcDate } from '../../server/time.ts';
import { runGithubCollector } from './collector.ts';
import type { GithubProgress } from './collector.ts';

export interface CollectCommand {
  source: 'github';
  repository: string | null;
  since: Date | null;
}

/** `collect github [--repo owner/name] [--since YYYY-MM-DD]`; a string is the usage problem. */
export function parseCollectCommand(args: string[]): CollectCommand | string {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { repo: { type: 'string' }, since: { type: 'string' } },
      allowPositionals: true,
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { values, positionals } = parsed;
  if (positionals.join(' ') !== 'github') return 'expected "collect github"';
  if (values.repo !== undefined && !/^[^\s/]+\/[^\s/]+$/.test(values.repo)) {
    return `--repo expects owner/name, got "${values.repo}"`;
  }
  const since = values.since === undefined ? null : parseUtcDate(values.since);
  if (values.since !== undefined && !since)
    return `--since expects a date like 2026-11-01, got "${values.since}"`;
  return { source: 'github', repository: values.repo ?? null, since };
}

/** `[#####---------------] 2/5 repositories · 1,234 items · 4,870 points left · acme/web` */
export function progressLine(progress: GithubProgress): string {
  const width = 20;
  const done = Math.round((progress.repositoriesDone / Math.max(progress.repositoriesTotal, 1)) * width);
  const points =
    progress.rateLimitRemaining === null
      ? ''
      : ` · ${progress.rateLimitRemaining.toLocaleString('en')} points left`;
  const failed = progress.error ? ` · FAILED: ${progress.error}` : '';
  return (
    `[${'#'.repeat(done)}${'-'.repeat(width - done)}] ${progress.repositoriesDone}/${progress.repositoriesTotal} ` +
    `repositories · ${progress.items.toLocaleString('en')} items${points} · ${progress.repository}${failed}`
  );
}

export interface CollectOutput {
  out: (line: string) => void;
  progress: (progress: GithubProgress) => void;
}

/** On a terminal the bar is redrawn after every page; in a log, one line per repository. */
const terminalOutput: CollectOutput = {
  out: (line) => console.log(line),
  progress: (progress) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${progressLine(progress)}`);
    else if (progress.repositoryFinished) process.stderr.write(`${progressLine(progress)}\n`);
  },
};

/**
 * Runs the GitHub collector once in this process, with a progress bar on stderr. Ctrl-C stops it between
 * pages: what was written stays, with its cursor, and the next run resumes. Returns the exit code.
 */
export async function runCollectCommand(
  context: { db: Kysely<Database>; config: AppConfig; clock: Clock; client?: GithubClient },
  command: CollectCommand,
  output: CollectOutput = terminalOutput,
): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  try {
    let result;
    try {
      result = await runGithubCollector({
        ...context,
        repository: command.repository,
        since: command.since,
        signal: controller.signal,
        onProgress: (progress) => output.progress(progress),
      });
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      output.out(
        'GitHub collector interrupted: what was collected is kept, and the next run resumes from it',
      );
      return 130; // as shells report SIGINT
    } finally {
      if (output === terminalOutput && process.stderr.isTTY) process.stderr.write('\n');
    }
    if (!result.started) {
      output.out(`GitHub collector not started: ${result.reason}`);
      return 1;
    }
    output.out(
      `GitHub collector run ${result.runId}: ${result.status}; ${JSON.stringify(result.itemCounts)}; ` +
        `${result.costPoints} rate-limit points`,
    );
    for (const error of result.errors) output.out(`  failed: ${error}`);
    return result.status === 'success' ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
  }
}
