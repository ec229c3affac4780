/**
 * The one source of "now". Periods such as `last-30d`, the demo generator and schedules read it,
 * so tests and demos can pin time with `GROUNDWORK_NOW`.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date): Clock {
  const frozen = at.getTime();
  return { now: () => new Date(frozen) };
}

export function clockFor(fixedNow: Date | null): Clock {
  return fixedNow ? fixedClock(fixedNow) : systemClock;
}
