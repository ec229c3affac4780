import Type from 'typebox';
import type { Static } from 'typebox';
import type { CiBranchKind, CiConclusion, CiStatus, NewCiJob } from '../db/ci-tables.ts';
import type { TeamAttribution } from '../db/tables.ts';
import {
  API_SOURCE,
  assertOrdered,
  batchOf,
  explicitTeam,
  ExternalId,
  GitSha,
  invalidEvent,
  RepositoryName,
  SourceUrl,
  TeamSlug,
  Timestamp,
} from './event-fields.ts';

/** What a pushed run (or job) reports: running states, or how it ended. */
const RUN_STATUSES = ['queued', 'running', 'success', 'failure', 'cancelled', 'skipped'] as const;
type PushedStatus = (typeof RUN_STATUSES)[number];

const CiJobEvent = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200, description: "the job's id in your CI" }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    status: Type.Enum([...RUN_STATUSES]),
    queuedAt: Type.Optional(Timestamp),
    startedAt: Type.Optional(Timestamp),
    finishedAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false, description: 'a job of this attempt' },
);

export const CiRunEventSchema = Type.Object(
  {
    pipelineId: ExternalId,
    attempt: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'the re-run number: 1 (default), 2, …' }),
    ),
    repository: RepositoryName,
    pipeline: Type.String({ minLength: 1, maxLength: 200, description: 'the pipeline or workflow name' }),
    event: Type.Enum(['push', 'pull_request', 'schedule', 'manual', 'other'], {
      description: 'what triggered it; merge-request pipelines are pull_request',
    }),
    branch: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    defaultBranch: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 300,
        description:
          "the repository's default branch (main); runs on it are default-branch runs. Default: the one " +
          'the GitHub collector read, else main or master',
      }),
    ),
    sha: Type.Optional(GitSha),
    status: Type.Enum([...RUN_STATUSES]),
    createdAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          "when the run's first attempt was created; default: the earliest queuedAt/startedAt sent",
      }),
    ),
    queuedAt: Type.Optional(Timestamp),
    startedAt: Type.Optional(Timestamp),
    finishedAt: Type.Optional(
      Type.Union([Timestamp, Type.Null()], { description: 'required once the attempt has ended' }),
    ),
    url: Type.Optional(SourceUrl),
    team: Type.Optional(TeamSlug),
    jobs: Type.Optional(Type.Array(CiJobEvent, { maxItems: 500 })),
  },
  { additionalProperties: false, description: 'one attempt of a CI pipeline run' },
);

export const CiRunBatchSchema = batchOf(CiRunEventSchema);
export type CiRunEvent = Static<typeof CiRunEventSchema>;

/** A pushed attempt before its repository name becomes an id. */
export interface CiRunRow {
  source: string;
  externalId: string;
  attempt: number;
  repository: string;
  pipeline: string;
  event: string;
  branch: string | null;
  branchKind: CiBranchKind;
  sha: string | null;
  status: CiStatus;
  conclusion: CiConclusion | null;
  originalConclusion: string | null;
  runCreatedAt: Date;
  queuedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  url: string | null;
  teamId: number | null;
  teamAttribution: TeamAttribution | null;
  jobs: NewCiJob[];
}

const ENDED = new Set<PushedStatus>(['success', 'failure', 'cancelled', 'skipped']);

function statusOf(status: PushedStatus): { status: CiStatus; conclusion: CiConclusion | null } {
  if (status === 'queued') return { status: 'queued', conclusion: null };
  if (status === 'running') return { status: 'in_progress', conclusion: null };
  return { status: 'completed', conclusion: status };
}

/** Without a default branch given or known, the usual names are. */
const USUAL_DEFAULT_BRANCHES = new Set(['main', 'master']);

/**
 * Pushed CI run attempts → rows (pure). Checks what the schema cannot: a queue or start time, a finish once
 * ended and not before the start, and that a named team exists. Throws a 400 naming the first bad field.
 * `knownDefaultBranch` answers a repository's default branch where the GitHub collector recorded it.
 */
export function mapCiRunEvents(
  events: readonly CiRunEvent[],
  teamIds: ReadonlyMap<string, number>,
  knownDefaultBranch: (repository: string) => string | undefined,
): CiRunRow[] {
  return events.map((event, index) => {
    const repository = event.repository.toLowerCase();
    const queuedAt = event.queuedAt ? new Date(event.queuedAt) : null;
    const startedAt = event.startedAt ? new Date(event.startedAt) : null;
    const finishedAt = event.finishedAt ? new Date(event.finishedAt) : null;
    const first = queuedAt ?? startedAt;
    if (!first) throw invalidEvent(index, 'queuedAt', 'or startedAt is required');
    if (ENDED.has(event.status) && event.status !== 'skipped' && !finishedAt) {
      throw invalidEvent(index, 'finishedAt', `is required when status is ${event.status}`);
    }
    assertOrdered(queuedAt, startedAt, index, 'startedAt', 'queuedAt');
    assertOrdered(
      startedAt ?? queuedAt,
      finishedAt,
      index,
      'finishedAt',
      startedAt ? 'startedAt' : 'queuedAt',
    );
    const runCreatedAt = event.createdAt ? new Date(event.createdAt) : first;
    assertOrdered(runCreatedAt, first, index, queuedAt ? 'queuedAt' : 'startedAt', 'createdAt');
    const branch = event.branch ?? null;
    const defaultBranch = event.defaultBranch ?? knownDefaultBranch(repository);
    const onDefault =
      branch !== null && (defaultBranch ? branch === defaultBranch : USUAL_DEFAULT_BRANCHES.has(branch));
    const { status, conclusion } = statusOf(event.status);
    return {
      source: API_SOURCE,
      externalId: event.pipelineId,
      attempt: event.attempt ?? 1,
      repository,
      pipeline: event.pipeline,
      event: event.event,
      branch,
      branchKind: event.event === 'pull_request' ? 'pull_request' : onDefault ? 'default_branch' : 'other',
      sha: event.sha?.toLowerCase() ?? null,
      status,
      conclusion,
      originalConclusion: conclusion,
      runCreatedAt,
      queuedAt,
      startedAt,
      // An attempt still running has no finish, whatever the sender put there.
      finishedAt: status === 'completed' ? finishedAt : null,
      url: event.url ?? null,
      ...explicitTeam(event.team, teamIds, index),
      jobs: (event.jobs ?? []).map((job, j) => {
        const jobStatus = statusOf(job.status);
        const jobStarted = job.startedAt ? new Date(job.startedAt) : null;
        const jobFinished = job.finishedAt ? new Date(job.finishedAt) : null;
        assertOrdered(jobStarted, jobFinished, index, `jobs[${j}].finishedAt`, `jobs[${j}].startedAt`);
        return {
          externalId: job.id,
          name: job.name,
          ...jobStatus,
          queuedAt: job.queuedAt ? new Date(job.queuedAt) : null,
          startedAt: jobStarted,
          finishedAt: jobStatus.status === 'completed' ? jobFinished : null,
        };
      }),
    };
  });
}
