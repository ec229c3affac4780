// GitHub Actions workflow runs as CI telemetry: every run of the repository (REST only: GraphQL cannot list
// them), newest created first, with the earlier attempts of re-runs and optionally their jobs.
import type { Kysely } from 'kysely';
import {
  ciRunKey,
  recordDefaultBranch,
  storedCiAttempts,
  upsertCiJobs,
  upsertCiRuns,
} from '../../server/db/ci-runs.repository.ts';
import type { Database } from '../../server/db/tables.ts';
import { ACTIONS_CI_SOURCE, mapActionsJob, mapActionsRun } from './ci-map.ts';
import type { CiCollectionSettings, GithubActionsJob, GithubActionsRun } from './ci-map.ts';
import type { RepositoryScope } from './streams.ts';
import type { Stream } from './walk.ts';

/**
 * A re-run keeps its run's `created_at`, so a run created before the watermark can change: each sync
 * re-reads the runs created in the 3 days before it.
 */
export const CI_REREAD_MS = 3 * 24 * 3_600_000;

/** A listed run, the earlier attempts and jobs fetched for it, and whether it counts as CI at all. */
export interface CiRunNode {
  run: GithubActionsRun;
  ci: boolean;
  earlierAttempts: GithubActionsRun[];
  jobs: GithubActionsJob[];
}

const PER_PAGE = 100;

/**
 * The stream of a repository's workflow runs. Its watermark follows `created_at`; a first sync reads
 * `backfillDays` back. The listing is read unfiltered and the walk stops at the first run older than its
 * floor: a `created` filter would cap the listing at GitHub's 1,000 search results. Attempts and jobs already
 * stored complete are not asked for again, so a sync with nothing new makes one request and writes nothing.
 */
export function ciRunStream(
  scope: RepositoryScope,
  db: Kysely<Database>,
  settings: CiCollectionSettings,
): Stream<CiRunNode> {
  const { repository, counts } = scope;
  const path = { owner: repository.owner, repo: repository.name };

  const allJobs = async (runId: number): Promise<GithubActionsJob[]> => {
    const jobs: GithubActionsJob[] = [];
    for (let page: number | null = 1; page !== null;) {
      const answer: { data: { jobs: GithubActionsJob[] }; nextPage: number | null } = await scope.restPage(
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
        { ...path, run_id: runId, filter: 'all', per_page: PER_PAGE, page },
      );
      jobs.push(...answer.data.jobs);
      page = answer.nextPage;
    }
    return jobs;
  };

  /** What a listed CI run still needs: its earlier attempts not stored complete, and its jobs if changed. */
  const complete = async (runs: GithubActionsRun[]): Promise<Map<number, Omit<CiRunNode, 'run' | 'ci'>>> => {
    const stored = await storedCiAttempts(
      db,
      ACTIONS_CI_SOURCE,
      runs.map((run) => String(run.id)),
    );
    const extras = new Map<number, Omit<CiRunNode, 'run' | 'ci'>>();
    for (const run of runs) {
      const known = stored.get(String(run.id));
      const attempt = run.run_attempt ?? 1;
      const earlierAttempts: GithubActionsRun[] = [];
      for (let n = 1; n < attempt; n++) {
        if (known?.get(n) === 'completed') continue;
        earlierAttempts.push(
          await scope.rest<GithubActionsRun>(
            'GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}',
            { ...path, run_id: run.id, attempt_number: n, exclude_pull_requests: true },
          ),
        );
      }
      const changed = earlierAttempts.length > 0 || known?.get(attempt) !== 'completed';
      extras.set(run.id, { earlierAttempts, jobs: settings.jobs && changed ? await allJobs(run.id) : [] });
    }
    return extras;
  };

  return {
    scope: `${repository.fullName}:ci-runs`,
    floor(watermark) {
      if (scope.options.since) return scope.options.since;
      const backfill = new Date(scope.now().getTime() - settings.backfillMs);
      const reread = watermark ? new Date(watermark.getTime() - CI_REREAD_MS) : null;
      return reread && reread > backfill ? reread : backfill;
    },
    time: (node) => new Date(node.run.created_at),
    async page(after, floor) {
      const page = after === null ? 1 : Number(after);
      const answer = await scope.restPage<{ workflow_runs: GithubActionsRun[] }>(
        'GET /repos/{owner}/{repo}/actions/runs',
        { ...path, per_page: PER_PAGE, page, exclude_pull_requests: true },
      );
      const runs = answer.data.workflow_runs;
      const wanted = runs.filter(
        (run) => settings.isCi(run) && (floor === null || new Date(run.created_at) >= floor),
      );
      const extras = await complete(wanted);
      return {
        pageInfo: { hasNextPage: answer.nextPage !== null, endCursor: answer.nextPage?.toString() ?? null },
        nodes: runs.map((run) => ({
          run,
          ci: extras.has(run.id),
          ...(extras.get(run.id) ?? { earlierAttempts: [], jobs: [] }),
        })),
      };
    },
    async write(trx, nodes) {
      const ciNodes = nodes.filter((node) => node.ci);
      if (scope.defaultBranch) await recordDefaultBranch(trx, repository.id, scope.defaultBranch);
      if (ciNodes.length === 0) return;
      const rows = ciNodes.flatMap((node) =>
        [...node.earlierAttempts, node.run].map((run) =>
          mapActionsRun(repository.id, run, scope.defaultBranch),
        ),
      );
      const ids = await upsertCiRuns(trx, rows, scope.now());
      const jobs = ciNodes.flatMap((node) =>
        node.jobs.flatMap((job) => {
          const ciRunId = ids.get(
            ciRunKey(ACTIONS_CI_SOURCE, String(node.run.id), job.run_attempt ?? node.run.run_attempt ?? 1),
          );
          return ciRunId === undefined ? [] : [{ ...mapActionsJob(job), ciRunId }];
        }),
      );
      await upsertCiJobs(trx, jobs);
      counts.ciRuns += rows.length;
      counts.ciJobs += jobs.length;
    },
  };
}
