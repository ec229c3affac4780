// GraphQL documents for GitHub repositories used as request queues, validated against GitHub's published
// schema in queries.test.ts. Every query selects rateLimit so the shared client can budget points.

/** The timeline events that move a request between waiting, in progress and done, and its comments. */
const TIMELINE_ITEM_TYPES =
  '[LABELED_EVENT, UNLABELED_EVENT, ASSIGNED_EVENT, UNASSIGNED_EVENT, CLOSED_EVENT, REOPENED_EVENT, ISSUE_COMMENT]';

const TIMELINE_FIELDS = `
  pageInfo { hasNextPage endCursor }
  nodes {
    __typename
    ... on LabeledEvent { createdAt actor { login } label { name } }
    ... on UnlabeledEvent { createdAt actor { login } label { name } }
    ... on AssignedEvent { createdAt actor { login } assignee { ... on User { login } ... on Bot { login } } }
    ... on UnassignedEvent { createdAt actor { login } assignee { ... on User { login } ... on Bot { login } } }
    ... on ClosedEvent { createdAt actor { login } stateReason }
    ... on ReopenedEvent { createdAt actor { login } }
    ... on IssueComment { createdAt author { login } }
  }`;

/**
 * A page of a repository's issues updated at or after `since`, oldest update first (so a cursor saved after
 * each page resumes where it stopped), each with its labels and first 100 timeline events. Cost: issues 1 +
 * 50 × labels + 50 × timeline = 101 requests → 1 point.
 */
export const ISSUES_QUERY = `
query IssueQueue($owner: String!, $name: String!, $since: DateTime, $cursor: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    issues(first: 50, after: $cursor, filterBy: { since: $since }, orderBy: { field: UPDATED_AT, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id number title url createdAt updatedAt closedAt state
        author { login }
        labels(first: 20) { nodes { name } }
        timelineItems(first: 100, itemTypes: ${TIMELINE_ITEM_TYPES}) { ${TIMELINE_FIELDS} }
      }
    }
  }
}`;

/** The rest of a long timeline (more than 100 events), by the issue's node id. */
export const ISSUE_TIMELINE_QUERY = `
query IssueTimeline($id: ID!, $cursor: String) {
  rateLimit { cost remaining resetAt }
  node(id: $id) {
    ... on Issue {
      timelineItems(first: 100, after: $cursor, itemTypes: ${TIMELINE_ITEM_TYPES}) { ${TIMELINE_FIELDS} }
    }
  }
}`;

export const ALL_QUERIES = { ISSUES_QUERY, ISSUE_TIMELINE_QUERY };
