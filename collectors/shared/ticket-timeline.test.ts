import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTicketTimeline } from './ticket-timeline.ts';
import type { TicketStatus } from './ticket-timeline.ts';

const TO_DO_STATUS: TicketStatus = { name: 'To Do', category: 'new' };
const DOING: TicketStatus = { name: 'Doing', category: 'indeterminate' };
const DONE: TicketStatus = { name: 'Done', category: 'done' };
const at = (iso: string) => new Date(iso);

describe('a ticket timeline', () => {
  test('intervals follow the changes in time order; work starts at the first In Progress', () => {
    const timeline = buildTicketTimeline({
      createdAt: at('2026-03-01T00:00:00Z'),
      initial: TO_DO_STATUS,
      changes: [
        { at: at('2026-03-02T00:00:00Z'), to: DONE, actor: 'ops' },
        { at: at('2026-03-01T06:00:00Z'), to: DOING, actor: 'ops' },
        { at: at('2026-03-01T07:00:00Z'), to: DOING, actor: 'ops' }, // already there: no new interval
      ],
      reporter: 'dev',
      responses: [],
      resolvedAt: at('2026-03-02T00:00:01Z'),
    });
    assert.deepEqual(
      timeline.intervals.map((i) => [
        i.seq,
        i.status,
        i.startedAt.toISOString(),
        i.endedAt?.toISOString() ?? null,
      ]),
      [
        [0, 'To Do', '2026-03-01T00:00:00.000Z', '2026-03-01T06:00:00.000Z'],
        [1, 'Doing', '2026-03-01T06:00:00.000Z', '2026-03-02T00:00:00.000Z'],
        [2, 'Done', '2026-03-02T00:00:00.000Z', null],
      ],
    );
    assert.equal(timeline.workStartedAt?.toISOString(), '2026-03-01T06:00:00.000Z');
    assert.equal(timeline.resolvedAt?.toISOString(), '2026-03-02T00:00:01.000Z');
    assert.equal(timeline.firstResponseAt?.toISOString(), '2026-03-01T06:00:00.000Z');
  });

  test('a reopened ticket is not resolved, whatever its stale resolution date says', () => {
    const timeline = buildTicketTimeline({
      createdAt: at('2026-03-01T00:00:00Z'),
      initial: TO_DO_STATUS,
      changes: [
        { at: at('2026-03-01T02:00:00Z'), to: DONE, actor: 'ops' },
        { at: at('2026-03-01T03:00:00Z'), to: TO_DO_STATUS, actor: 'dev' },
      ],
      reporter: 'dev',
      responses: [{ at: at('2026-03-01T01:00:00Z'), actor: 'dev' }],
      resolvedAt: at('2026-03-01T02:00:00Z'),
    });
    assert.equal(timeline.resolvedAt, null);
    assert.equal(timeline.workStartedAt, null); // straight to Done: work never "started"
    assert.equal(timeline.firstResponseAt?.toISOString(), '2026-03-01T02:00:00.000Z'); // the reporter's comment is none
  });

  test('a change stamped before creation (clock skew) counts from creation', () => {
    const timeline = buildTicketTimeline({
      createdAt: at('2026-03-01T00:00:10Z'),
      initial: TO_DO_STATUS,
      changes: [{ at: at('2026-03-01T00:00:00Z'), to: DOING, actor: null }],
      reporter: null,
      responses: [],
      resolvedAt: null,
    });
    assert.equal(timeline.workStartedAt?.toISOString(), '2026-03-01T00:00:10.000Z');
    assert.equal(timeline.firstResponseAt, null); // nobody known responded
  });
});
