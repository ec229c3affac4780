import { AppError } from '../errors.ts';
import { DAY_MS } from '../time.ts';

/** A half-open interval [from, to) of time, with the label it was asked for by. */
export interface Period {
  from: Date;
  to: Date;
  label: string;
}

export interface PeriodQuery {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export const DEFAULT_PERIOD = 'last-30d';

/**
 * The longest period one request may ask for: about three years. Figures and weekly series over it stay
 * well under a second; a 1,000-year series once held the event loop for seconds and everyone else with it.
 */
export const MAX_PERIOD_DAYS = 1100;

/**
 * Resolves `period=2026-Q4 | 2026-11 | 2026 | last-30d` or explicit `from`/`to` ISO timestamps into a
 * half-open UTC interval. `last-Nd` is the N×24 hours before now (the injectable clock), so a pinned clock
 * gives a reproducible window. Without either, the last 30 days.
 */
export function resolvePeriod(query: PeriodQuery, now: Date): Period {
  if (query.from !== undefined || query.to !== undefined) {
    if (query.period !== undefined) throw bad('period', 'give either period or from/to, not both');
    const from = timestamp(query.from, 'from');
    const to = timestamp(query.to, 'to');
    if (from >= to) throw bad('to', '"to" must be after "from"');
    return bounded({ from, to, label: `${from.toISOString()}/${to.toISOString()}` }, 'from');
  }
  return bounded(namedPeriod(query.period ?? DEFAULT_PERIOD, now), 'period');
}

function bounded(period: Period, field: string): Period {
  if (periodDays(period) > MAX_PERIOD_DAYS) {
    throw bad(
      field,
      `a period may span at most ${MAX_PERIOD_DAYS} days; this one spans ${Math.ceil(periodDays(period))}`,
    );
  }
  return period;
}

export function namedPeriod(label: string, now: Date): Period {
  let match = /^last-(\d{1,4})d$/.exec(label);
  if (match) {
    const days = Number(match[1]);
    if (days < 1) throw bad('period', 'last-Nd needs at least one day');
    return { from: new Date(now.getTime() - days * DAY_MS), to: now, label };
  }
  match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (match) {
    const year = Number(match[1]);
    const quarter = Number(match[2]);
    return { from: utc(year, (quarter - 1) * 3), to: utc(year, quarter * 3), label };
  }
  match = /^(\d{4})-(\d{2})$/.exec(label);
  if (match && Number(match[2]) >= 1 && Number(match[2]) <= 12) {
    const year = Number(match[1]);
    const month = Number(match[2]) - 1;
    return { from: utc(year, month), to: utc(year, month + 1), label };
  }
  match = /^(\d{4})$/.exec(label);
  if (match) return { from: utc(Number(match[1]), 0), to: utc(Number(match[1]) + 1, 0), label };
  throw bad('period', `"${label}" is not a period: use 2026-Q4, 2026-11, 2026, last-30d, or from/to`);
}

/** A period that moves with the clock (`last-30d`), as opposed to a calendar period or explicit bounds. */
export function isRolling(period: Period): boolean {
  return /^last-\d+d$/.test(period.label);
}

/** The calendar month label (`2026-11`) an instant falls in, UTC. */
export function monthLabel(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export function periodDays(period: Period): number {
  return (period.to.getTime() - period.from.getTime()) / DAY_MS;
}

function utc(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 1));
}

function timestamp(value: string | undefined, field: string): Date {
  if (value === undefined)
    throw bad(field, `"${field}" is required with ${field === 'from' ? 'to' : 'from'}`);
  const parsed = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed.getTime())) {
    throw bad(field, `"${value}" is not an ISO timestamp`);
  }
  return parsed;
}

function bad(field: string, message: string): AppError {
  return new AppError(400, 'INVALID_PERIOD', message, field);
}
