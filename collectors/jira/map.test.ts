import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { issuesJql, jqlDate, parseJiraTime, statusIndex } from './map.ts';

describe('Jira mapping', () => {
  test('timestamps with +0100 offsets and epoch milliseconds', () => {
    assert.equal(parseJiraTime('2026-03-28T10:00:00.000+0100').toISOString(), '2026-03-28T09:00:00.000Z');
    assert.equal(parseJiraTime('2026-03-30T10:00:00.000+0200').toISOString(), '2026-03-30T08:00:00.000Z');
    assert.equal(parseJiraTime(1774857600000).toISOString(), '2026-03-30T08:00:00.000Z');
    assert.throws(() => parseJiraTime('yesterday'), /not a Jira timestamp/);
  });

  test("JQL dates are the Jira user's wall clock, to the minute, on both sides of a DST change", () => {
    assert.equal(jqlDate(new Date('2026-03-28T09:00:59Z'), 'Europe/Berlin'), '2026-03-28 10:00');
    assert.equal(jqlDate(new Date('2026-03-30T08:00:00Z'), 'Europe/Berlin'), '2026-03-30 10:00');
    assert.equal(jqlDate(new Date('2026-03-30T08:00:00Z'), 'UTC'), '2026-03-30 08:00');
    assert.equal(
      issuesJql(['OPS'], new Date('2026-11-05T13:07:00Z'), 'America/New_York'),
      'project in ("OPS") AND updated >= "2026-11-05 08:07" ORDER BY updated ASC, key ASC',
    );
  });

  test('statuses map to their categories whatever they are called', () => {
    const index = statusIndex([
      { id: '10101', name: 'In Arbeit', statusCategory: { id: 4, key: 'indeterminate', name: 'In Arbeit' } },
      { id: '9', name: 'Mystery', statusCategory: { id: 1, key: 'something-new', name: 'No Category' } },
    ]);
    assert.deepEqual(index.get('10101'), { name: 'In Arbeit', category: 'indeterminate' });
    assert.deepEqual(index.get('9'), { name: 'Mystery', category: 'undefined' });
  });
});
