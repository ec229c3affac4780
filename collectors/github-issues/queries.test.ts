import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validate } from '@octokit/graphql-schema';
import { parse } from 'graphql';
import { queryCost } from '../../test/github-graphql-server.ts';
import { ALL_QUERIES, ISSUES_QUERY } from './queries.ts';

describe("the GitHub Issues collector's GraphQL queries", () => {
  for (const [name, query] of Object.entries(ALL_QUERIES)) {
    test(`${name} is valid against GitHub's published schema`, () => {
      assert.deepEqual(
        validate(query).map((error) => error.message),
        [],
      );
    });
  }

  test('a typo is caught (the check can fail)', () => {
    const errors = validate(ISSUES_QUERY.replace('stateReason', 'stateReasons'));
    assert.match(errors[0]?.message ?? '', /Cannot query field "stateReasons" on type "ClosedEvent"/);
  });

  test("a page of 50 issues costs 1 point by GitHub's formula", () => {
    // issues 1 + 50 × labels + 50 × timelineItems = 101 → round(1.01) → 1
    assert.equal(queryCost(parse(ISSUES_QUERY), {}), 1);
  });
});
