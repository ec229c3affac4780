import { DAY_MS, HOUR_MS } from '#server/time.ts';
import type { SeededRandom } from './seeded-random.ts';

// The generator works in epoch milliseconds (UTC) and makes Date objects only for the rows it returns:
// hundreds of thousands of intermediate Dates would dominate its run time.
export { DAY_MS, HOUR_MS };
export const MINUTE_MS = 60_000;

/** 0 = Sunday … 6 = Saturday, like `Date#getUTCDay` (1970-01-01 was a Thursday). */
export function weekdayOf(ms: number): number {
  return (Math.floor(ms / DAY_MS) + 4) % 7;
}

export function isWeekend(ms: number): boolean {
  const weekday = weekdayOf(ms);
  return weekday === 0 || weekday === 6;
}

const startOfDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/** The share of out-of-hours human activity that is moved into working hours; the rest stays (on-call, keen). */
const WORKING_HOURS_DISCIPLINE = 0.9;

/**
 * Moves a human action (opening, reviewing, merging a pull request) that a duration placed at night or on a
 * weekend to the next working morning, most of the time: people work 08:00–19:00 UTC on weekdays.
 */
export function toWorkingHours(ms: number, random: SeededRandom): number {
  let at = ms;
  for (;;) {
    const day = startOfDay(at);
    const hour = (at - day) / HOUR_MS;
    if (isWeekend(at)) {
      if (!random.chance(WORKING_HOURS_DISCIPLINE)) return at;
      const daysToMonday = weekdayOf(at) === 6 ? 2 : 1;
      return day + daysToMonday * DAY_MS + random.between(9, 11) * HOUR_MS;
    }
    if (hour < 8) return random.chance(WORKING_HOURS_DISCIPLINE) ? day + random.between(8, 10) * HOUR_MS : at;
    if (hour < 19 || !random.chance(WORKING_HOURS_DISCIPLINE)) return at;
    at = day + DAY_MS + random.between(9, 10.5) * HOUR_MS; // may be a Saturday: check again
  }
}

/** When production deployments may start: on these weekdays, from `fromHour` to `toHour` UTC. */
export interface DeployWindow {
  weekdays: readonly number[];
  fromHour: number;
  toHour: number;
}

export const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6] as const;
export const WEEKDAYS = [1, 2, 3, 4, 5] as const;
export const TUESDAY_AND_THURSDAY = [2, 4] as const;

/**
 * The first moment at or after `ms` inside the deploy window. A change that waits for the window starts a
 * little after it opens (not on the hour exactly), as a deploy train or ops queue would.
 */
export function nextWindowSlot(ms: number, window: DeployWindow, random: SeededRandom): number {
  let at = ms;
  for (let dayCount = 0; dayCount < 8; dayCount++) {
    const day = startOfDay(at);
    const hour = (at - day) / HOUR_MS;
    if (window.weekdays.includes(weekdayOf(at))) {
      if (hour >= window.fromHour && hour < window.toHour) return at;
      if (hour < window.fromHour) {
        const jitterHours = random.between(0, Math.min(0.75, (window.toHour - window.fromHour) / 2));
        return day + (window.fromHour + jitterHours) * HOUR_MS;
      }
    }
    at = day + DAY_MS;
  }
  throw new RangeError('a deploy window must allow at least one weekday');
}
