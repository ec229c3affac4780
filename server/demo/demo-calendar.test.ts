import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HOUR_MS,
  TUESDAY_AND_THURSDAY,
  WEEKDAYS,
  isWeekend,
  nextWindowSlot,
  weekdayOf,
} from './demo-calendar.ts';
import { SeededRandom } from './seeded-random.ts';

const at = (iso: string) => new Date(iso).getTime();

test('weekdayOf agrees with Date#getUTCDay', () => {
  for (const iso of [
    '2026-11-01T00:00:00Z',
    '2026-11-03T23:59:59Z',
    '2026-11-07T12:00:00Z',
    '1999-12-31T06:00:00Z',
  ]) {
    assert.equal(weekdayOf(at(iso)), new Date(iso).getUTCDay(), iso);
  }
  assert.equal(isWeekend(at('2026-11-01T10:00:00Z')), true); // a Sunday
  assert.equal(isWeekend(at('2026-11-02T10:00:00Z')), false); // a Monday
});

test('a moment inside the deploy window is its own slot', () => {
  const random = new SeededRandom(1, 'calendar');
  const window = { weekdays: WEEKDAYS, fromHour: 9, toHour: 17 };
  assert.equal(nextWindowSlot(at('2026-11-04T10:30:00Z'), window, random), at('2026-11-04T10:30:00Z'));
});

test('after hours on a Friday, the next slot is Monday morning within 45 minutes of opening', () => {
  const random = new SeededRandom(1, 'calendar');
  const window = { weekdays: WEEKDAYS, fromHour: 9, toHour: 17 };
  const slot = nextWindowSlot(at('2026-11-06T18:00:00Z'), window, random);
  assert.ok(
    slot >= at('2026-11-09T09:00:00Z') && slot < at('2026-11-09T09:45:00Z'),
    new Date(slot).toISOString(),
  );
});

test('the ops window on Tuesday and Thursday afternoons: Wednesday morning waits for Thursday 14:00', () => {
  const random = new SeededRandom(1, 'calendar');
  const window = { weekdays: TUESDAY_AND_THURSDAY, fromHour: 14, toHour: 16 };
  const slot = nextWindowSlot(at('2026-11-04T09:00:00Z'), window, random);
  // The jitter is at most min(0.75 h, half the 2-hour window) = 45 minutes.
  assert.ok(
    slot >= at('2026-11-05T14:00:00Z') && slot < at('2026-11-05T14:45:00Z'),
    new Date(slot).toISOString(),
  );
  assert.ok(slot - at('2026-11-04T09:00:00Z') >= 29 * HOUR_MS);
});
