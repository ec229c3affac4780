import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../db/tables.ts';
import { aggregate, hoursBetween, inPeriod, notDemo, teamFilter } from './scope.ts';
import type { Grouped, MetricScope } from './scope.ts';

/**
 * CI pipeline telemetry: the feedback loop of a team's builds and tests. A run belongs to the period, the
 * week and the team by its creation (every attempt of a run shares it, so a re-run never moves the run).
 *
 * - Duration: an attempt that ended in success or failure, from its start (or, when a sender gave none, its
 *   queueing) to its finish; cancelled and skipped attempts say nothing about build time. Pull-request runs
 *   and default-branch runs apart, and all CI runs together.
 * - Queue time: an attempt's queueing to its start (GitHub does not say when a re-run was queued).
 * - Failure rate: failed attempts ÷ attempts that ended in success or failure.
 * - Flaky rate: runs where an attempt failed and a later attempt of the same run passed ÷ runs with an
 *   attempt that ended in success or failure.
 */
export function ciAttemptSamples(scope: MetricScope): RawBuilder<unknown> {
  const verdict = sql`c.conclusion in ('success', 'failure')`;
  return sql`
    select c.id as ci_run_id, c.team_id, c.run_created_at as at, r.full_name as repository, c.pipeline,
      c.source, c.external_id as run, c.attempt, c.event, c.branch, c.branch_kind, c.sha, c.status,
      c.conclusion, c.run_created_at, c.queued_at, c.started_at, c.finished_at,
      case when ${verdict} and c.finished_at is not null
        then ${hoursBetween(sql`coalesce(c.started_at, c.queued_at)`, sql`c.finished_at`)} * 60 end
        as duration_minutes,
      case when c.started_at is not null and c.queued_at is not null
        then ${hoursBetween(sql`c.queued_at`, sql`c.started_at`)} * 60 end as queue_minutes,
      coalesce(min(c.attempt) filter (where c.conclusion = 'failure') over run
        < max(c.attempt) filter (where c.conclusion = 'success') over run, false) as flaky_run,
      bool_or(${verdict}) over run as run_has_verdict,
      c.url
    from ci_runs c join repositories r on r.id = c.repository_id
    where ${inPeriod('c.run_created_at', scope)} ${teamFilter('c.team_id', scope)} ${notDemo('c', scope)}
    window run as (partition by c.source, c.external_id)`;
}

/**
 * Time to green: how long a default branch stays red. A red stretch of one pipeline of one repository starts
 * when a default-branch attempt fails after a passing one (or as its first verdict), and ends when an
 * attempt of that pipeline on the default branch next passes — a re-run or a fix. Attributed by when it
 * turned red; a stretch still red is counted as unresolved, never timed. Stretches are looked for from 30
 * days before the period, so a red that started earlier is not taken for a new one.
 */
export function ciTimeToGreenSamples(scope: MetricScope): RawBuilder<unknown> {
  const lookbackFrom = new Date(scope.period.from.getTime() - 30 * 24 * 3_600_000);
  const verdicts = sql`c.branch_kind = 'default_branch' and c.conclusion in ('success', 'failure')
    and c.finished_at is not null and c.finished_at >= ${lookbackFrom} ${notDemo('c', scope)}`;
  // A team's query only needs the repositories its runs came from: each looked up on its own (a fenced
  // lateral), as `in (…)` they were estimated at hundreds and every team's verdicts were scanned (65 ms at
  // 200 teams, growing with the organisation).
  const runs =
    scope.teamId === undefined
      ? sql`ci_runs c where ${verdicts}`
      : sql`(select distinct repository_id from ci_runs where team_id = ${scope.teamId}) t
        cross join lateral (select * from ci_runs c where c.repository_id = t.repository_id and ${verdicts}
          offset 0) c`;
  return sql`
    select v.ci_run_id, v.team_id, v.finished_at as at, r.full_name as repository, v.pipeline, v.run,
      v.attempt, v.sha, v.finished_at as red_at, v.green_at,
      case when v.green_at is null then null else ${hoursBetween(sql`v.finished_at`, sql`v.green_at`)} end
        as time_to_green_hours
    from (
      select c.id as ci_run_id, c.team_id, c.repository_id, c.pipeline, c.external_id as run, c.attempt, c.sha,
        c.conclusion, c.finished_at,
        lag(c.conclusion) over verdicts as previous,
        min(c.finished_at) filter (where c.conclusion = 'success')
          over (verdicts rows between 1 following and unbounded following) as green_at
      from ${runs}
      window verdicts as (partition by c.repository_id, c.pipeline order by c.finished_at, c.id)
    ) v join repositories r on r.id = v.repository_id
    where v.conclusion = 'failure' and v.previous is distinct from 'failure'
      and ${inPeriod('v.finished_at', scope)} ${teamFilter('v.team_id', scope)}`;
}

export interface CiRow extends Grouped {
  runs: number;
  attempts: number;
  verdictAttempts: number;
  failedAttempts: number;
  flakyRuns: number;
  durationSampleSize: number;
  durationMedianMinutes: number | null;
  durationP90Minutes: number | null;
  pullRequestSampleSize: number;
  pullRequestMedianMinutes: number | null;
  pullRequestP90Minutes: number | null;
  defaultBranchSampleSize: number;
  defaultBranchMedianMinutes: number | null;
  defaultBranchP90Minutes: number | null;
  queueSampleSize: number;
  queueMedianMinutes: number | null;
  queueP90Minutes: number | null;
}

export interface TimeToGreenRow extends Grouped {
  sampleSize: number;
  medianHours: number | null;
  p90Hours: number | null;
  unresolved: number;
}

const durations = (name: string, where: RawBuilder<unknown>) => sql`
    (count(s.duration_minutes) filter (where ${where}))::integer as ${sql.ref(`${name}_sample_size`)},
    percentile_cont(0.5) within group (order by s.duration_minutes) filter (where ${where})
      as ${sql.ref(`${name}_median_minutes`)},
    percentile_cont(0.9) within group (order by s.duration_minutes) filter (where ${where})
      as ${sql.ref(`${name}_p90_minutes`)}`;

export async function ciMeasures(db: Kysely<Database>, scope: MetricScope): Promise<CiRow[]> {
  const run = sql`s.source || ':' || s.run`;
  const measures = sql`
    (count(distinct ${run}) filter (where s.run_has_verdict))::integer as runs,
    count(*)::integer as attempts,
    (count(*) filter (where s.conclusion in ('success', 'failure')))::integer as verdict_attempts,
    (count(*) filter (where s.conclusion = 'failure'))::integer as failed_attempts,
    (count(distinct ${run}) filter (where s.flaky_run))::integer as flaky_runs,
    ${durations('duration', sql`true`)},
    ${durations('pull_request', sql`s.branch_kind = 'pull_request'`)},
    ${durations('default_branch', sql`s.branch_kind = 'default_branch'`)},
    count(s.queue_minutes)::integer as queue_sample_size,
    percentile_cont(0.5) within group (order by s.queue_minutes) as queue_median_minutes,
    percentile_cont(0.9) within group (order by s.queue_minutes) as queue_p90_minutes`;
  const result = await aggregate<Omit<CiRow, keyof Grouped>>(
    ciAttemptSamples(scope),
    scope,
    measures,
  ).execute(db);
  return result.rows;
}

export async function ciTimeToGreen(db: Kysely<Database>, scope: MetricScope): Promise<TimeToGreenRow[]> {
  const measures = sql`
    count(s.time_to_green_hours)::integer as sample_size,
    percentile_cont(0.5) within group (order by s.time_to_green_hours) as median_hours,
    percentile_cont(0.9) within group (order by s.time_to_green_hours) as p90_hours,
    (count(*) filter (where s.time_to_green_hours is null))::integer as unresolved`;
  const result = await aggregate<Omit<TimeToGreenRow, keyof Grouped>>(
    ciTimeToGreenSamples(scope),
    scope,
    measures,
  ).execute(db);
  return result.rows;
}

/** Durations of one kind of run, in minutes. */
export interface CiDurationFigure {
  medianMinutes: number | null;
  p90Minutes: number | null;
  sampleSize: number;
}

/** The `ci` object of a team's (or the organisation's) metrics. */
export interface CiMetrics {
  /** Every CI attempt that ended in success or failure: the duration and failure-rate sample. */
  sampleSize: number;
  durationMedianMinutes: number | null;
  durationP90Minutes: number | null;
  pullRequest: CiDurationFigure;
  defaultBranch: CiDurationFigure;
  queueMedianMinutes: number | null;
  queueP90Minutes: number | null;
  queueSampleSize: number;
  failureRate: number | null;
  failedAttempts: number;
  /** Runs with an attempt that ended in success or failure: the flaky-rate sample. */
  runs: number;
  /** Every attempt created in the period, whatever its state. */
  attempts: number;
  flakyRate: number | null;
  flakyRuns: number;
  timeToGreen: {
    medianHours: number | null;
    p90Hours: number | null;
    sampleSize: number;
    unresolved: number;
  };
  reason?: string;
}

const rounded = (value: number | null | undefined, digits = 2): number | null =>
  value === null || value === undefined ? null : Math.round(value * 10 ** digits) / 10 ** digits;

export function ciFigures(c: CiRow | undefined, g: TimeToGreenRow | undefined): CiMetrics {
  const sampleSize = c?.verdictAttempts ?? 0;
  const runs = c?.runs ?? 0;
  const figure = (
    median: number | null | undefined,
    p90: number | null | undefined,
    n: number | undefined,
  ) => ({
    medianMinutes: rounded(median),
    p90Minutes: rounded(p90),
    sampleSize: n ?? 0,
  });
  return {
    sampleSize,
    durationMedianMinutes: rounded(c?.durationMedianMinutes),
    durationP90Minutes: rounded(c?.durationP90Minutes),
    pullRequest: figure(c?.pullRequestMedianMinutes, c?.pullRequestP90Minutes, c?.pullRequestSampleSize),
    defaultBranch: figure(
      c?.defaultBranchMedianMinutes,
      c?.defaultBranchP90Minutes,
      c?.defaultBranchSampleSize,
    ),
    queueMedianMinutes: rounded(c?.queueMedianMinutes),
    queueP90Minutes: rounded(c?.queueP90Minutes),
    queueSampleSize: c?.queueSampleSize ?? 0,
    failureRate: sampleSize === 0 ? null : rounded((c?.failedAttempts ?? 0) / sampleSize, 4),
    failedAttempts: c?.failedAttempts ?? 0,
    runs,
    attempts: c?.attempts ?? 0,
    flakyRate: runs === 0 ? null : rounded((c?.flakyRuns ?? 0) / runs, 4),
    flakyRuns: c?.flakyRuns ?? 0,
    timeToGreen: {
      medianHours: rounded(g?.medianHours),
      p90Hours: rounded(g?.p90Hours),
      sampleSize: g?.sampleSize ?? 0,
      unresolved: g?.unresolved ?? 0,
    },
    ...(sampleSize === 0 ? { reason: 'no CI run that passed or failed in the period' } : {}),
  };
}
