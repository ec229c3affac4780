// GitHub Actions' REST API over fixture runs, for the local GitHub server: the repository's run listing
// (newest created first, numbered pages and GitHub's Link header), a run's earlier attempts and its jobs.
// A re-run keeps the run's id and created_at and adds an attempt; the listing shows the latest attempt.

export interface FixtureActionsJob {
  id: number;
  name: string;
  status: 'completed' | 'in_progress' | 'queued';
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

export interface FixtureActionsAttempt {
  status: 'completed' | 'in_progress' | 'queued';
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | null;
  /** `run_started_at` of this attempt. */
  startedAt: string;
  /** Its last update: the completion, once completed. */
  updatedAt: string;
  jobs?: FixtureActionsJob[];
}

export interface FixtureActionsRun {
  id: number;
  /** The workflow's name, e.g. CI. */
  name: string;
  /** The workflow file, e.g. ci.yml. */
  workflow: string;
  event: string;
  headBranch: string;
  headSha: string;
  createdAt: string;
  /** Oldest first; the last is the run as listed. */
  attempts: FixtureActionsAttempt[];
}

export type ActionsAnswer = { status: number; body: unknown; headers?: Record<string, string> };

function runJson(owner: string, repo: string, run: FixtureActionsRun, attemptNumber: number) {
  const attempt = run.attempts[attemptNumber - 1] as FixtureActionsAttempt;
  return {
    id: run.id,
    name: run.name,
    path: `.github/workflows/${run.workflow}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    event: run.event,
    status: attempt.status,
    conclusion: attempt.conclusion,
    run_attempt: attemptNumber,
    created_at: run.createdAt,
    updated_at: attempt.updatedAt,
    run_started_at: attempt.startedAt,
    html_url: `https://github.com/${owner}/${repo}/actions/runs/${run.id}/attempts/${attemptNumber}`,
  };
}

/** A page of `items` with GitHub's Link header (`rel="next"`, `rel="last"`) when there are more. */
function paged<T>(url: URL, items: T[], wrap: (page: T[]) => unknown): ActionsAnswer {
  const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
  const page = Number(url.searchParams.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number) => {
    const target = new URL(url);
    target.searchParams.set('page', String(n));
    return `<${target.toString()}>`;
  };
  const links = page < last ? [`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`] : [];
  return {
    status: 200,
    body: wrap(items.slice((page - 1) * perPage, page * perPage)),
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
  };
}

/**
 * Answers `GET /repos/{owner}/{repo}/actions/runs[/{id}/attempts/{n}|/{id}/jobs]`; null for other paths.
 * `url` is the request's full URL (its origin is used in Link headers).
 */
export function answerActions(
  url: URL,
  owner: string,
  repo: string,
  runs: readonly FixtureActionsRun[],
): ActionsAnswer | null {
  const rest = url.pathname.slice(`/repos/${owner}/${repo}/actions/runs`.length);
  if (rest === '') {
    const created = /^>=(.+)$/.exec(url.searchParams.get('created') ?? '')?.[1];
    const event = url.searchParams.get('event');
    const listed = runs
      .filter((run) => !created || Date.parse(run.createdAt) >= Date.parse(created))
      .filter((run) => !event || run.event === event)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
    return paged(url, listed, (page) => ({
      total_count: listed.length,
      workflow_runs: page.map((run) => runJson(owner, repo, run, run.attempts.length)),
    }));
  }
  const match = /^\/(\d+)(?:\/attempts\/(\d+)|\/(jobs))$/.exec(rest);
  const run = match && runs.find((r) => r.id === Number(match[1]));
  if (!match || !run) return { status: 404, body: { message: 'Not Found' } };
  if (match[2]) {
    const attempt = Number(match[2]);
    if (attempt < 1 || attempt > run.attempts.length) return { status: 404, body: { message: 'Not Found' } };
    return { status: 200, body: runJson(owner, repo, run, attempt) };
  }
  // `filter=latest` (GitHub's default) lists the latest attempt's jobs; `filter=all` every attempt's.
  const all = url.searchParams.get('filter') === 'all';
  const jobs = run.attempts.flatMap((attempt, index) =>
    all || index === run.attempts.length - 1
      ? (attempt.jobs ?? []).map((job) => ({
          id: job.id,
          run_id: run.id,
          run_attempt: index + 1,
          name: job.name,
          status: job.status,
          conclusion: job.conclusion,
          created_at: job.createdAt,
          started_at: job.startedAt,
          completed_at: job.completedAt,
        }))
      : [],
  );
  return paged(url, jobs, (page) => ({ total_count: jobs.length, jobs: page }));
}
