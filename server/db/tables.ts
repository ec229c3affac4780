import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CiJobsTable, CiRunsTable } from './ci-tables.ts';

/**
 * The typed shape of the database, camelCase here and snake_case in SQL (Kysely's CamelCasePlugin).
 * `migrations/` is the source of truth; this mirrors it.
 */
export interface Database {
  teams: TeamsTable;
  teamOwnerships: TeamOwnershipsTable;
  teamMemberships: TeamMembershipsTable;
  repositories: RepositoriesTable;
  pullRequests: PullRequestsTable;
  commits: CommitsTable;
  pullRequestCommits: PullRequestCommitsTable;
  deployments: DeploymentsTable;
  deploymentCommits: DeploymentCommitsTable;
  incidents: IncidentsTable;
  releases: ReleasesTable;
  collectorRuns: CollectorRunsTable;
  syncState: SyncStateTable;
  collectorJobs: CollectorJobsTable;
  apiTokens: ApiTokensTable;
  eventPayloads: EventPayloadsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  scorecardMonths: ScorecardMonthsTable;
  surveyResponses: SurveyResponsesTable;
  surveyAnswers: SurveyAnswersTable;
  surveyLinkTokens: SurveyLinkTokensTable;
  tickets: TicketsTable;
  ticketStatusIntervals: TicketStatusIntervalsTable;
  sessions: SessionsTable;
  auditLog: AuditLogTable;
  ciRuns: CiRunsTable;
  ciJobs: CiJobsTable;
  alerts: AlertsTable;
  alertEvents: AlertEventsTable;
  alertNotifications: AlertNotificationsTable;
}

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** `explicit`: the sender named the team; `ownership`: resolved from who owned the code at the time. */
export type TeamAttribution = 'explicit' | 'ownership';

export interface TeamsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  retiredAt: Timestamp | null;
  /** Created by `groundwork demo` (migration 2026-12-07-70). */
  demo: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface TeamOwnershipsTable {
  id: Generated<number>;
  teamId: number;
  resourceKind: 'repository' | 'service';
  pattern: string;
  likePattern: string;
  specificity: number;
  validFrom: Timestamp | null;
  validTo: Timestamp | null;
}

export interface TeamMembershipsTable {
  id: Generated<number>;
  teamId: number;
  memberKey: string;
  githubLogin: string | null;
  jiraAccountId: string | null;
  email: string | null;
  validFrom: Timestamp | null;
  validTo: Timestamp | null;
}

export interface RepositoriesTable {
  id: Generated<number>;
  fullName: string;
  defaultBranch: string | null;
  externalId: string | null;
  /** Created by `groundwork demo`: its pull requests and commits are demo data (migration 2026-12-07-70). */
  demo: Generated<boolean>;
  createdAt: CreatedAt;
}

export interface PullRequestsTable {
  id: Generated<number>;
  repositoryId: number;
  number: number;
  externalId: string | null;
  title: string | null;
  state: 'open' | 'closed' | 'merged';
  authorLogin: string | null;
  authorIsBot: boolean;
  baseBranch: string | null;
  createdAt: Timestamp;
  firstCommitAuthoredAt: Timestamp | null;
  firstReviewAt: Timestamp | null;
  mergedAt: Timestamp | null;
  closedAt: Timestamp | null;
  mergeCommitSha: string | null;
  additions: number | null;
  deletions: number | null;
  changedFiles: number | null;
  commitCount: number | null;
  teamId: number | null;
  sourceUpdatedAt: Timestamp | null;
}

export interface CommitsTable {
  repositoryId: number;
  sha: string;
  authoredAt: Timestamp | null;
  committedAt: Timestamp;
}

/** A pull request's own commits (GitHub's PullRequest.commits), for linking shipped commits to it. */
export interface PullRequestCommitsTable {
  pullRequestId: number;
  repositoryId: number;
  sha: string;
  authoredAt: Timestamp | null;
  committedAt: Timestamp | null;
}

export type DeploymentStatus = 'success' | 'failure' | 'in_progress';
export type DeploymentKind = 'planned' | 'hotfix' | 'rollback';

export interface DeploymentsTable {
  id: Generated<number>;
  source: string;
  externalId: string;
  repositoryId: number | null;
  service: string | null;
  environment: string;
  sha: string | null;
  status: DeploymentStatus;
  originalStatus: string | null;
  kind: Generated<DeploymentKind>;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  teamId: number | null;
  teamAttribution: TeamAttribution | null;
  commitsTruncated: Generated<boolean>;
  /** The deployment at its source (CI/CD run, deploy log), http(s) only (migration 2026-12-08-50). */
  url: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface DeploymentCommitsTable {
  deploymentId: number;
  repositoryId: number;
  sha: string;
}

export interface IncidentsTable {
  id: Generated<number>;
  source: string;
  externalId: string;
  title: string | null;
  severity: string | null;
  service: string | null;
  teamId: number | null;
  teamAttribution: TeamAttribution | null;
  startedAt: Timestamp;
  resolvedAt: Timestamp | null;
  deploymentId: number | null;
  deploymentLink: 'explicit' | 'inferred' | null;
  causeDeploymentExternalId: string | null;
  /** The issue's repository, for incidents from GitHub issues (migration 2026-12-06-20). */
  repositoryId: number | null;
  /** `owner/name@<deployment id or sha>` an incident names as its cause; resolved to `deploymentId`. */
  causeReference: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** GitHub releases (migration 2026-12-06-20). */
export interface ReleasesTable {
  id: Generated<number>;
  repositoryId: number;
  externalId: string;
  tagName: string;
  name: string | null;
  sha: string | null;
  isDraft: boolean;
  isPrerelease: boolean;
  releasedCreatedAt: Timestamp;
  publishedAt: Timestamp | null;
}

export interface CollectorRunsTable {
  id: Generated<number>;
  collector: string;
  scope: string;
  status: 'running' | 'success' | 'partial' | 'failed';
  startedAt: Timestamp;
  finishedAt: Timestamp | null;
  itemCounts: ColumnType<Record<string, number>, string | undefined, string>;
  costPoints: Generated<number>;
  error: string | null;
}

export interface SyncStateTable {
  collector: string;
  scope: string;
  cursor: string | null;
  watermark: Timestamp | null;
  updatedAt: UpdatedAt;
}

/** One row per collector: the lease a run holds so runs never overlap (migration 05). */
export interface CollectorJobsTable {
  collector: string;
  leaseOwner: string | null;
  leaseExpiresAt: Timestamp | null;
  runId: number | null;
  updatedAt: UpdatedAt;
}

export type TokenScope = 'read' | 'ingest' | 'admin';

export interface ApiTokensTable {
  id: Generated<number>;
  name: string;
  scope: TokenScope;
  /** Hex SHA-256 of the token; the token itself is never stored. */
  tokenHash: string;
  /** The team the link is for; null for links issued before links named a team (refused). */
  teamId: number | null;
  createdAt: Timestamp;
  lastUsedAt: Timestamp | null;
  revokedAt: Timestamp | null;
  /** A read token with a team signs in as that team's lead. */
  team: ColumnType<string | null, string | null | undefined, string | null>;
  expiresAt: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type Role = 'viewer' | 'team-lead' | 'admin';

export interface SessionsTable {
  idHash: string;
  subject: string;
  role: Role;
  teams: string[];
  method: 'token' | 'oidc';
  createdAt: Timestamp;
  expiresAt: Timestamp;
  revokedAt: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  action: string;
  target: string | null;
  address: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export type PayloadAuthMethod = 'token' | 'signature' | 'github-signature';

export interface EventPayloadsTable {
  id: Generated<number>;
  kind: string;
  source: string;
  receivedAt: Timestamp;
  authMethod: PayloadAuthMethod;
  tokenName: string | null;
  itemCount: number;
  /** The raw JSON text as received (stored as jsonb). */
  payload: ColumnType<unknown, string, never>;
}

export interface WebhookDeliveriesTable {
  deliveryId: string;
  event: string;
  receivedAt: Timestamp;
  /** Hex SHA-256 of the signed body (null for deliveries recorded before it was kept). */
  bodySha256: ColumnType<string | null, string | null | undefined, never>;
}

/** A team's evaluation of a scorecard for a closed calendar month, kept while its inputs are unchanged. */
export interface ScorecardMonthsTable {
  teamId: number;
  scorecardId: string;
  /** `YYYY-MM`, UTC. */
  month: string;
  level: string | null;
  /** The evaluation as JSON (written as text, read back parsed). */
  result: ColumnType<unknown, string, string>;
  inputsFingerprint: string;
  cardFingerprint: string;
  evaluatedAt: Timestamp;
}

export type Team = Selectable<TeamsTable>;
export type NewPullRequest = Insertable<PullRequestsTable>;
export type NewCommit = Insertable<CommitsTable>;
export type NewPullRequestCommit = Insertable<PullRequestCommitsTable>;
export type NewDeployment = Insertable<DeploymentsTable>;
export type NewIncident = Insertable<IncidentsTable>;
export type NewRelease = Insertable<ReleasesTable>;

export type SurveyResponseSource = 'form' | 'api' | 'csv' | 'demo';

export interface SurveyResponsesTable {
  id: Generated<number>;
  surveyId: string;
  teamId: number;
  /** Keyed hash for de-duplication; never a name or e-mail. */
  dedupeHash: string | null;
  source: SurveyResponseSource;
  /** `YYYY-MM-DD`, UTC. */
  submittedOn: string;
  /** The channel fixed the team (one-time link, import, authenticated sender, demo): counted in results. */
  teamFixed: boolean;
}

export interface SurveyAnswersTable {
  responseId: number;
  questionKey: string;
  questionVersion: number;
  numberValue: number | null;
  choiceKeys: string[] | null;
  textValue: string | null;
}

export interface SurveyLinkTokensTable {
  id: Generated<number>;
  surveyId: string;
  tokenHash: string;
  /** The team the link is for; null for links issued before links named a team (refused). */
  teamId: number | null;
  createdAt: Timestamp;
  usedAt: Timestamp | null;
}

/** Jira's status category keys; GitHub issue states are mapped onto them. */
export type StatusCategory = 'new' | 'indeterminate' | 'done' | 'undefined';

/** A request filed in a queue another team serves (migration 2026-12-06-30). */
export interface TicketsTable {
  id: Generated<number>;
  source: string;
  key: string;
  externalId: string | null;
  queue: string;
  title: string | null;
  url: string | null;
  issueType: string | null;
  labels: ColumnType<string[], string[] | undefined, string[]>;
  components: ColumnType<string[], string[] | undefined, string[]>;
  category: string;
  requesterJiraAccountId: string | null;
  requesterGithubLogin: string | null;
  requesterEmail: string | null;
  requestingTeamHint: string | null;
  requestingTeamId: number | null;
  servingTeam: string | null;
  status: string;
  statusCategory: StatusCategory;
  createdAt: Timestamp;
  firstResponseAt: Timestamp | null;
  workStartedAt: Timestamp | null;
  resolvedAt: Timestamp | null;
  sourceUpdatedAt: Timestamp | null;
  updatedAt: UpdatedAt;
}

export interface TicketStatusIntervalsTable {
  ticketId: number;
  seq: number;
  status: string;
  statusCategory: StatusCategory;
  startedAt: Timestamp;
  endedAt: Timestamp | null;
}

type Json<T> = ColumnType<T, string, string>;

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type AlertSeverity = 'warning' | 'critical';

/** An alert on a regressed metric for one team (migration 2026-12-07-50); the shapes of its JSON columns are
 * in server/alerts/alert-types.ts. */
export interface AlertsTable {
  id: Generated<number>;
  rule: string;
  metric: string;
  teamId: number;
  status: AlertStatus;
  severity: AlertSeverity;
  openedAt: Timestamp;
  acknowledgedAt: Timestamp | null;
  acknowledgedBy: string | null;
  resolvedAt: Timestamp | null;
  firedWindowFrom: Timestamp;
  firedWindowTo: Timestamp;
  fired: Json<unknown>;
  latest: Json<unknown>;
  drivers: Json<unknown>;
  lateDataNote: string | null;
  lastEvaluatedAt: Timestamp;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface AlertEventsTable {
  id: Generated<number>;
  alertId: number;
  at: Timestamp;
  kind: string;
  message: string;
}

/** The notification outbox. */
export interface AlertNotificationsTable {
  id: Generated<number>;
  deliveryId: string;
  alertId: number | null;
  channel: string;
  kind: string;
  payload: Json<unknown>;
  status: 'pending' | 'delivered';
  attempts: ColumnType<number, number | undefined, number>;
  nextAttemptAt: Timestamp;
  claimedAt: Timestamp | null;
  lastError: string | null;
  deliveredAt: Timestamp | null;
  createdAt: Timestamp;
}
