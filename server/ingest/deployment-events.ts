import Type from 'typebox';
import type { Static } from 'typebox';
import type { DeploymentKind, DeploymentStatus, TeamAttribution } from '../db/tables.ts';
import {
  API_SOURCE,
  assertOrdered,
  batchOf,
  explicitTeam,
  ExternalId,
  GitSha,
  invalidEvent,
  RepositoryName,
  ServiceName,
  SourceUrl,
  TeamSlug,
  Timestamp,
} from './event-fields.ts';

const ShippedCommit = Type.Object(
  {
    sha: GitSha,
    timestamp: Type.String({
      format: 'date-time',
      description: 'the commit time: where its lead time starts',
    }),
    repository: Type.Optional(RepositoryName),
  },
  { additionalProperties: false, description: "a shipped commit; repository defaults to the deployment's" },
);

export const DeploymentEventSchema = Type.Object(
  {
    id: ExternalId,
    service: Type.Optional(ServiceName),
    repository: Type.Optional(RepositoryName),
    environment: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. production' }),
    sha: GitSha,
    status: Type.Enum(['success', 'failure', 'in_progress']),
    startedAt: Timestamp,
    finishedAt: Type.Optional(
      Type.Union([Timestamp, Type.Null()], { description: 'required once status is success or failure' }),
    ),
    team: Type.Optional(TeamSlug),
    kind: Type.Optional(Type.Enum(['planned', 'hotfix', 'rollback'], { description: 'default planned' })),
    url: Type.Optional(SourceUrl),
    commits: Type.Optional(
      Type.Array(ShippedCommit, { maxItems: 10_000, description: 'the changes this deployment shipped' }),
    ),
  },
  { additionalProperties: false, description: 'a deployment; give service and/or repository' },
);

export const DeploymentBatchSchema = batchOf(DeploymentEventSchema);
export type DeploymentEvent = Static<typeof DeploymentEventSchema>;

/** A deployment row before repository names become ids. */
export interface DeploymentRow {
  source: string;
  externalId: string;
  repository: string | null;
  service: string | null;
  environment: string;
  sha: string;
  status: DeploymentStatus;
  originalStatus: string;
  kind: DeploymentKind;
  startedAt: Date;
  finishedAt: Date | null;
  teamId: number | null;
  teamAttribution: TeamAttribution | null;
  url: string | null;
}

export interface MappedDeployments {
  deployments: DeploymentRow[];
  /** Shipped commits, keyed by repository name; a commit shipped twice appears once per deployment. */
  commits: { repository: string; sha: string; committedAt: Date }[];
  links: { externalId: string; repository: string; sha: string }[];
}

/**
 * Pushed deployment events → rows (pure). Checks what the schema cannot: service and/or repository, a finish
 * time once finished and not before the start, a repository for every commit, and that a named team exists.
 * Names are lower-cased because ownership patterns are. Throws a 400 naming the first bad item's field.
 */
export function mapDeploymentEvents(
  events: readonly DeploymentEvent[],
  teamIds: ReadonlyMap<string, number>,
): MappedDeployments {
  const mapped: MappedDeployments = { deployments: [], commits: [], links: [] };
  events.forEach((event, index) => {
    const repository = event.repository?.toLowerCase() ?? null;
    const service = event.service?.toLowerCase() ?? null;
    if (!repository && !service) throw invalidEvent(index, 'service', 'or repository is required');
    const startedAt = new Date(event.startedAt);
    const finishedAt = event.finishedAt ? new Date(event.finishedAt) : null;
    if (event.status !== 'in_progress' && !finishedAt) {
      throw invalidEvent(index, 'finishedAt', `is required when status is ${event.status}`);
    }
    assertOrdered(startedAt, finishedAt, index, 'finishedAt', 'startedAt');
    mapped.deployments.push({
      source: API_SOURCE,
      externalId: event.id,
      repository,
      service,
      environment: event.environment,
      sha: event.sha.toLowerCase(),
      status: event.status,
      originalStatus: event.status,
      kind: event.kind ?? 'planned',
      startedAt,
      // An unfinished deployment has no finish, whatever the sender put there.
      finishedAt: event.status === 'in_progress' ? null : finishedAt,
      url: event.url ?? null,
      ...explicitTeam(event.team, teamIds, index),
    });
    (event.commits ?? []).forEach((commit, c) => {
      const commitRepository = commit.repository?.toLowerCase() ?? repository;
      if (!commitRepository) {
        throw invalidEvent(
          index,
          `commits[${c}].repository`,
          'is required: the deployment names no repository',
        );
      }
      const sha = commit.sha.toLowerCase();
      mapped.commits.push({ repository: commitRepository, sha, committedAt: new Date(commit.timestamp) });
      mapped.links.push({ externalId: event.id, repository: commitRepository, sha });
    });
  });
  return mapped;
}
