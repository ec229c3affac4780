// Every GraphQL document the GitHub collector sends. queries.test.ts validates each against GitHub's
// published schema (@octokit/graphql-schema), so a renamed or mistyped field fails CI, not a sync.
// Each selects `rateLimit { cost remaining resetAt }`: the client budgets with it.

const RATE_LIMIT = 'rateLimit { cost remaining resetAt }';
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';
/** Page sizes: small on the combined first page so it costs 1 point; 100 on continuation pages. */
export const FIRST_PAGE_SIZE = 25;
export const PAGE_SIZE = 100;
/** A pull request's commits per page (GitHub's maximum). */
export const PULL_REQUEST_COMMITS_PAGE = 100;

/**
 * The PR's own commits, oldest first (more than 100: paged with PULL_REQUEST_COMMITS_QUERY): lead time links a
 * shipped commit to its PR through them and starts at the earliest authored date, which survives rebases. A
 * nested connection costs the same whatever its `first`, so the whole list costs no more points than one
 * commit. Reviews are filtered client-side (the author's own replies create COMMENTED reviews; PENDING ones
 * have no `submittedAt`).
 */
const PULL_REQUEST_FIELDS = `
fragment PullRequestFields on PullRequest {
  id number title state createdAt updatedAt mergedAt closedAt baseRefName additions deletions changedFiles
  author { login __typename }
  mergeCommit { oid }
  commits(first: ${PULL_REQUEST_COMMITS_PAGE}) {
    totalCount ${PAGE_INFO} nodes { commit { oid authoredDate committedDate } }
  }
  reviews(first: 20, states: [APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED]) {
    nodes { submittedAt author { login __typename } }
  }
}`;

const COMMIT_FIELDS = `
fragment CommitFields on Commit { oid authoredDate committedDate }`;

/**
 * Statuses come in no guaranteed order: the mapper sorts them by `createdAt`. A nested connection costs the
 * same whatever its `first`: a page of 100 statuses costs what 20 did; beyond it, DEPLOYMENT_STATUSES_QUERY.
 */
const DEPLOYMENT_FIELDS = `
fragment DeploymentFields on Deployment {
  id databaseId environment createdAt commitOid
  statuses(first: ${PAGE_SIZE}) { ${PAGE_INFO} nodes { state createdAt } }
}`;

/** Releases carry no nested connection: a page costs 1 point. */
const RELEASE_FIELDS = `
fragment ReleaseFields on Release {
  databaseId tagName name createdAt publishedAt isDraft isPrerelease tagCommit { oid }
}`;

/**
 * Incident issues. The label's first LabeledEvent says when an issue became an incident (an issue opened
 * with the label gets one at creation); labels and the body may name the deployment that caused it.
 */
const INCIDENT_ISSUE_FIELDS = `
fragment IncidentIssueFields on Issue {
  number title body createdAt updatedAt closedAt state stateReason
  labels(first: 20) { nodes { name } }
  timelineItems(first: 10, itemTypes: [LABELED_EVENT]) {
    nodes { ... on LabeledEvent { createdAt label { name } } }
  }
}`;

/**
 * The first page of every stream of one repository in one query (≈1 point): a sync with nothing new costs
 * one query per repository. Pull requests have no "updated since" filter, so they come newest-updated first.
 */
export const REPOSITORY_QUERY = `
query RepositoryFirstPages(
  $owner: String!
  $name: String!
  $incidentLabel: String!
  $incidentsSince: DateTime
) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    nameWithOwner
    defaultBranchRef { name }
    pullRequests(first: ${FIRST_PAGE_SIZE}, orderBy: { field: UPDATED_AT, direction: DESC }) {
      ${PAGE_INFO} nodes { ...PullRequestFields }
    }
    deployments(first: ${FIRST_PAGE_SIZE}, orderBy: { field: CREATED_AT, direction: DESC }) {
      ${PAGE_INFO} nodes { ...DeploymentFields }
    }
    releases(first: ${FIRST_PAGE_SIZE}, orderBy: { field: CREATED_AT, direction: DESC }) {
      ${PAGE_INFO} nodes { ...ReleaseFields }
    }
    issues(
      first: ${FIRST_PAGE_SIZE}
      labels: [$incidentLabel]
      filterBy: { since: $incidentsSince }
      orderBy: { field: UPDATED_AT, direction: ASC }
    ) {
      ${PAGE_INFO} nodes { ...IncidentIssueFields }
    }
  }
}
${PULL_REQUEST_FIELDS}
${DEPLOYMENT_FIELDS}
${RELEASE_FIELDS}
${INCIDENT_ISSUE_FIELDS}`;

export const PULL_REQUESTS_QUERY = `
query PullRequestsPage($owner: String!, $name: String!, $cursor: String) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    pullRequests(first: ${PAGE_SIZE}, after: $cursor, orderBy: { field: UPDATED_AT, direction: DESC }) {
      ${PAGE_INFO} nodes { ...PullRequestFields }
    }
  }
}
${PULL_REQUEST_FIELDS}`;

/** Deployments order only by CREATED_AT (ascending by default): DESC is asked for explicitly. */
export const DEPLOYMENTS_QUERY = `
query DeploymentsPage($owner: String!, $name: String!, $cursor: String) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    deployments(first: ${PAGE_SIZE}, after: $cursor, orderBy: { field: CREATED_AT, direction: DESC }) {
      ${PAGE_INFO} nodes { ...DeploymentFields }
    }
  }
}
${DEPLOYMENT_FIELDS}`;

export const RELEASES_QUERY = `
query ReleasesPage($owner: String!, $name: String!, $cursor: String) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    releases(first: ${PAGE_SIZE}, after: $cursor, orderBy: { field: CREATED_AT, direction: DESC }) {
      ${PAGE_INFO} nodes { ...ReleaseFields }
    }
  }
}
${RELEASE_FIELDS}`;

/** Issues do filter by "updated since", so incidents page oldest-updated first from the watermark. */
export const INCIDENT_ISSUES_QUERY = `
query IncidentIssuesPage(
  $owner: String!
  $name: String!
  $incidentLabel: String!
  $incidentsSince: DateTime
  $cursor: String
) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    issues(
      first: ${PAGE_SIZE}
      after: $cursor
      labels: [$incidentLabel]
      filterBy: { since: $incidentsSince }
      orderBy: { field: UPDATED_AT, direction: ASC }
    ) {
      ${PAGE_INFO} nodes { ...IncidentIssueFields }
    }
  }
}
${INCIDENT_ISSUE_FIELDS}`;

/**
 * The history behind a deployed commit, newest committed first, with each commit's parents: linking follows
 * ancestry back to what earlier deployments shipped. Octopus merges beyond 10 parents are not followed.
 */
export const COMMIT_HISTORY_QUERY = `
query DeployedCommitHistory($owner: String!, $name: String!, $oid: GitObjectID!, $cursor: String) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    object(oid: $oid) {
      ... on Commit {
        history(first: ${PAGE_SIZE}, after: $cursor) {
          ${PAGE_INFO} nodes { ...CommitFields parents(first: 10) { nodes { oid } } }
        }
      }
    }
  }
}
${COMMIT_FIELDS}`;

/** The commits of a pull request with more than a page of them, from `after` on. */
export const PULL_REQUEST_COMMITS_QUERY = `
query PullRequestCommitsPage($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      commits(first: ${PULL_REQUEST_COMMITS_PAGE}, after: $cursor) {
        ${PAGE_INFO} nodes { commit { oid authoredDate committedDate } }
      }
    }
  }
}`;

/** A deployment's statuses past the first page (a deployment redeployed or re-approved many times). The
 * repository is selected only so the owner and name every repository query gets are used. */
export const DEPLOYMENT_STATUSES_QUERY = `
query DeploymentStatusesPage($owner: String!, $name: String!, $id: ID!, $cursor: String) {
  ${RATE_LIMIT}
  repository(owner: $owner, name: $name) { id }
  node(id: $id) {
    ... on Deployment {
      statuses(first: ${PAGE_SIZE}, after: $cursor) { ${PAGE_INFO} nodes { state createdAt } }
    }
  }
}`;

/** An owner's repositories (organisation or user), to resolve `owner/*` globs from the configuration. */
export const OWNER_REPOSITORIES_QUERY = `
query OwnerRepositories($owner: String!, $cursor: String) {
  ${RATE_LIMIT}
  repositoryOwner(login: $owner) {
    repositories(first: ${PAGE_SIZE}, after: $cursor, orderBy: { field: NAME, direction: ASC }) {
      ${PAGE_INFO} nodes { nameWithOwner isArchived }
    }
  }
}`;

export const ALL_QUERIES = {
  OWNER_REPOSITORIES_QUERY,
  REPOSITORY_QUERY,
  PULL_REQUESTS_QUERY,
  DEPLOYMENTS_QUERY,
  RELEASES_QUERY,
  INCIDENT_ISSUES_QUERY,
  COMMIT_HISTORY_QUERY,
  PULL_REQUEST_COMMITS_QUERY,
  DEPLOYMENT_STATUSES_QUERY,
} as const;
