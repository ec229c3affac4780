import { formatDateTime, formatHours } from '../../lib/format.ts';
import { formatMinutes } from '../metrics/ci-figures.ts';
import type { SampleMetric } from '../metrics/metrics.types.ts';

/**
 * How the drill-down table shows the rows behind each figure (the row shapes of
 * server/metrics/samples.service.ts and its sample queries). Columns the server adds later and this list
 * does not name still appear, after these, as plain values.
 */
export type CellKind =
  'datetime' | 'hours' | 'minutes' | 'text' | 'sha' | 'yesno' | 'pr' | 'start' | 'branchKind' | 'excluded';

export interface SampleColumn {
  key: string;
  label: string;
  kind: CellKind;
  /** The row field holding this cell's link out to its source (the server checks and derives them). */
  href?: string;
}

const c = (key: string, label: string, kind: CellKind = 'text', href?: string): SampleColumn => ({
  key,
  label,
  kind,
  ...(href ? { href } : {}),
});

const deploymentColumns = (first: SampleColumn[]): SampleColumn[] => [
  c('finishedAt', 'Finished (UTC)', 'datetime'),
  ...first,
  c('service', 'Service'),
  c('repository', 'Repository'),
  c('sha', 'Commit', 'sha', 'commitUrl'),
  c('kind', 'Kind'),
  c('causedIncident', 'Caused an incident', 'yesno'),
  c('onlyInferredLinks', 'Only inferred incident links', 'yesno'),
  c('hasCommits', 'Came with commits', 'yesno'),
  c('environment', 'Environment'),
  c('externalId', 'Sender’s id', 'text', 'deploymentUrl'),
];

export const SAMPLE_COLUMNS: Record<SampleMetric, SampleColumn[]> = {
  deploymentFrequency: deploymentColumns([]),
  changeFailureRate: deploymentColumns([c('causedIncident', 'Caused an incident', 'yesno')]),
  reworkRate: deploymentColumns([c('kind', 'Kind')]),
  leadTime: [
    c('deployedAt', 'Deployed (UTC)', 'datetime'),
    c('leadTimeHours', 'Lead time', 'hours'),
    c('repository', 'Repository'),
    c('sha', 'Commit', 'sha', 'commitUrl'),
    c('pullRequestNumber', 'Pull request', 'pr', 'pullRequestUrl'),
    c('startKind', 'Start used', 'start'),
    c('changeStartedAt', 'Change started (UTC)', 'datetime'),
    c('excludedReason', 'Counted', 'excluded'),
    c('codingHours', 'Coding', 'hours'),
    c('pickupHours', 'Pickup', 'hours'),
    c('reviewHours', 'Review', 'hours'),
    c('deployWaitHours', 'Deploy wait', 'hours'),
    c('deploymentExternalId', 'Deployment', 'text', 'deploymentUrl'),
  ],
  recoveryTime: [
    c('startedAt', 'Started (UTC)', 'datetime'),
    c('recoveryHours', 'Recovery time', 'hours'),
    c('resolvedAt', 'Resolved (UTC)', 'datetime'),
    c('title', 'Incident'),
    c('severity', 'Severity'),
    c('service', 'Service'),
    c('causedByDeployment', 'Caused by a deployment', 'yesno'),
    c('deploymentLink', 'Link to deployment'),
    c('deploymentExternalId', 'Deployment', 'text', 'deploymentUrl'),
  ],
  pullRequests: [
    c('mergedAt', 'Merged (UTC)', 'datetime'),
    c('repository', 'Repository'),
    c('number', 'Pull request', 'pr', 'pullRequestUrl'),
    c('title', 'Title'),
    c('sizeLines', 'Size (lines)'),
    c('pickupHours', 'Pickup', 'hours'),
    c('createdAt', 'Opened (UTC)', 'datetime'),
    c('firstReviewAt', 'First review (UTC)', 'datetime'),
  ],
  ci: [
    c('runCreatedAt', 'Created (UTC)', 'datetime'),
    c('repository', 'Repository'),
    c('pipeline', 'Pipeline'),
    c('run', 'Run', 'text', 'url'),
    c('attempt', 'Attempt'),
    c('branchKind', 'Kind', 'branchKind'),
    c('conclusion', 'Conclusion'),
    c('durationMinutes', 'Duration', 'minutes'),
    c('queueMinutes', 'Queued', 'minutes'),
    c('flakyRun', 'Flaky run', 'yesno'),
    c('branch', 'Branch'),
    c('sha', 'Commit', 'sha', 'commitUrl'),
    c('event', 'Event'),
  ],
  ciTimeToGreen: [
    c('redAt', 'Turned red (UTC)', 'datetime'),
    c('timeToGreenHours', 'Time to green', 'hours'),
    c('greenAt', 'Green again (UTC)', 'datetime'),
    c('repository', 'Repository'),
    c('pipeline', 'Pipeline'),
    c('run', 'Red run'),
    c('sha', 'Commit', 'sha', 'commitUrl'),
  ],
};

/** Internal ids a person has no use for. */
const HIDDEN = new Set([
  'deploymentId',
  'incidentId',
  'pullRequestId',
  'source',
  'deploymentSource',
  'ciRunId',
  'runHasVerdict',
  // Links out: shown as the link on their cell, not as columns of their own.
  'url',
  'pullRequestUrl',
  'commitUrl',
  'deploymentUrl',
]);

/**
 * The columns for a page of rows: the organisation's name each row's team first, then the known ones, each
 * once, then any others the rows carry.
 */
export function columnsFor(metric: SampleMetric, rows: Record<string, unknown>[]): SampleColumn[] {
  const seen = new Set<string>();
  const team = rows.some((row) => 'team' in row) ? [c('team', 'Team')] : [];
  const known = [...team, ...SAMPLE_COLUMNS[metric]].filter(
    (column) => !seen.has(column.key) && seen.add(column.key),
  );
  const extra = [...new Set(rows.flatMap((row) => Object.keys(row)))]
    .filter((key) => !seen.has(key) && !HIDDEN.has(key))
    .map((key) => c(key, key));
  return [...known, ...extra];
}

/** Why lead time leaves a change out (server/metrics/lead-time.metric.ts, leadTimeExclusion). */
const EXCLUSIONS: Record<string, string> = {
  started_after_deployment: 'no: dated after its deployment',
  start_out_of_range: 'no: started before 2000',
  deployment_out_of_range: 'no: deployment dated before 2000 or ahead of the clock',
};

/** One cell's text. Missing values are "—"; an unresolved incident's end says so. */
export function formatCell(column: SampleColumn, value: unknown): string {
  if (column.kind === 'excluded')
    return value === null ? 'yes' : (EXCLUSIONS[String(value)] ?? String(value));
  if (value === null || value === undefined || value === '') {
    return column.key === 'resolvedAt' ? 'unresolved' : column.key === 'greenAt' ? 'still red' : '—';
  }
  switch (column.kind) {
    case 'datetime':
      return typeof value === 'string' ? formatDateTime(value) : String(value);
    case 'hours':
      return typeof value === 'number' ? formatHours(value) : String(value);
    case 'minutes':
      return typeof value === 'number' ? formatMinutes(value) : String(value);
    case 'sha':
      return String(value).slice(0, 7);
    case 'yesno':
      return value === true ? 'yes' : value === false ? 'no' : String(value);
    case 'start':
      return value === 'pull_request_first_commit'
        ? 'PR’s first commit'
        : value === 'commit'
          ? 'commit'
          : String(value);
    case 'pr':
      return `#${String(value)}`;
    case 'branchKind':
      return value === 'pull_request'
        ? 'pull request'
        : value === 'default_branch'
          ? 'default branch'
          : String(value);
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
