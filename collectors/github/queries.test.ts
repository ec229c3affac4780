import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validate } from '@octokit/graphql-schema';
import { parse } from 'graphql';
import { queryCost } from '../../test/github-graphql-server.ts';
import {
  ALL_QUERIES,
  INCIDENT_ISSUES_QUERY,
  PULL_REQUESTS_QUERY,
  RELEASES_QUERY,
  REPOSITORY_QUERY,
} from './queries.ts';

describe("the GitHub collector's GraphQL queries", () => {
  for (const [name, query] of Object.entries(ALL_QUERIES)) {
    test(`${name} is valid against GitHub's published schema`, () => {
      assert.deepEqual(
        validate(query).map((error) => error.message),
        [],
      );
    });
  }

  test('a typo is caught (the check can fail)', () => {
    const errors = validate(PULL_REQUESTS_QUERY.replace('mergedAt', 'mergedAtt'));
    assert.match(errors[0]?.message ?? '', /Cannot query field "mergedAtt" on type "PullRequest"/);
  });

  test("costs with GitHub's formula: the combined first page is 1 point, a page of 100 PRs or issues 2", () => {
    // history 1 + pullRequests 1 + 25×commits + 25×reviews + deployments 1 + 25×statuses + releases 1
    // + issues 1 + 25×labels + 25×timelineItems = 130 → round(1.3) → 1
    assert.equal(queryCost(parse(REPOSITORY_QUERY), {}), 1);
    // pullRequests 1 + 100×commits + 100×reviews = 201 → 2
    assert.equal(queryCost(parse(PULL_REQUESTS_QUERY), {}), 2);
    // issues 1 + 100×labels + 100×timelineItems = 201 → 2
    assert.equal(queryCost(parse(INCIDENT_ISSUES_QUERY), {}), 2);
    // releases 1, no nested connection → 1
    assert.equal(queryCost(parse(RELEASES_QUERY), {}), 1);
  });
});
