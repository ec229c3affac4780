/**
 * How every number on the dashboard is written: one place, so a duration or a rate reads the same on
 * every page. These only format what the API computed; none of them derives a metric.
 */

const NONE = '—';

/** `value` with `digits` decimals, without a trailing ".0" ("2", not "2.0"). */
function trimmed(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.0+$/, '');
}

/**
 * A duration given in hours, in the unit a person reads best: minutes under an hour, hours under two
 * days, days beyond (46.7 h reads better than 1.9 d, 101 h worse than 4.2 d).
 */
export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return NONE;
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

/** An axis tick for a duration in hours: the same units as `formatHours`, without decimals past 10. */
export function formatHoursTick(hours: number): string {
  if (hours === 0) return '0';
  if (hours < 48) return `${trimmed(hours, hours < 10 ? 1 : 0)} h`;
  const days = hours / 24;
  return `${trimmed(days, days < 10 ? 1 : 0)} d`;
}

/** A share (0–1) as a percentage: whole percents, with one decimal below 10 % where it matters. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return NONE;
  const percent = rate * 100;
  if (percent > 0 && percent < 10) return `${trimmed(percent, 1)} %`;
  return `${Math.round(percent)} %`;
}

/** A frequency per week: two decimals below one a week (0.23), one above. */
export function formatPerWeek(perWeek: number | null | undefined): string {
  if (perWeek === null || perWeek === undefined || !Number.isFinite(perWeek)) return NONE;
  return `${perWeek.toFixed(perWeek < 1 && perWeek > 0 ? 2 : 1)} / week`;
}

/** A count with its noun, singular or plural: "1 deployment", "46 deployments". */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? singular : plural}`;
}

/** The sample size a figure was computed from, as shown under every number. */
export function formatSample(count: number, singular: string, plural?: string): string {
  return `n = ${formatCount(count, singular, plural)}`;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const dayMonthFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

function parsed(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "26 Oct 2026" — periods are UTC on the server, so dates are shown in UTC too. */
export function formatDate(iso: string | null | undefined): string {
  const date = parsed(iso);
  return date ? dateFormat.format(date) : NONE;
}

/** "26 Oct 2026, 15:17 UTC". */
export function formatDateTime(iso: string | null | undefined): string {
  const date = parsed(iso);
  return date ? `${dateTimeFormat.format(date)} UTC` : NONE;
}

/** A week's Monday (`2026-08-24`) as an axis label: "24 Aug". */
export function formatWeek(monday: string): string {
  const date = parsed(`${monday}T00:00:00Z`);
  return date ? dayMonthFormat.format(date) : monday;
}

/** A half-open period [from, to) as the days it covers: "26 Oct 2026 – 25 Nov 2026". */
export function formatRange(fromIso: string, toIso: string): string {
  const to = parsed(toIso);
  // `to` is exclusive: a period ending at midnight ends on the day before.
  const lastInstant = to ? new Date(to.getTime() - 1).toISOString() : toIso;
  return `${formatDate(fromIso)} – ${formatDate(lastInstant)}`;
}

/**
 * A scorecard rule's value or threshold in the unit the metric registry gives it (`hours`,
 * `deployments per week`, `share of …`, `lines`).
 */
export function formatInUnit(value: number | null, unit: string): string {
  if (value === null) return NONE;
  if (unit === 'hours') return formatHours(value);
  if (unit.startsWith('share') || unit === 'rate') return formatRate(value);
  if (unit === 'deployments per week') return formatPerWeek(value);
  const digits = Number.isInteger(value) ? 0 : Math.abs(value) < 1 ? 2 : 1;
  return `${value.toFixed(digits)} ${unit}`;
}

const HOUR_STEPS = [1, 2, 3, 6, 12, 24];
const DAY_STEPS = [1, 2, 3, 7, 14, 28, 56];

/**
 * Axis ticks for durations up to `maxHours`, at round steps in the unit `formatHoursTick` shows them in
 * (every 6 h, every 2 d, …) rather than at arbitrary hours that read as "2.5 d, 3.8 d". About `count` ticks.
 */
export function durationTicks(maxHours: number, count = 5): number[] {
  if (!Number.isFinite(maxHours) || maxHours <= 0) return [0, 1];
  const wanted = maxHours / (count - 1);
  const step =
    maxHours <= 48
      ? (HOUR_STEPS.find((hours) => hours >= wanted) ?? 24)
      : (DAY_STEPS.find((days) => days * 24 >= wanted) ?? Math.ceil(wanted / 24 / 28) * 28) * 24;
  const ticks = [0];
  while ((ticks.at(-1) ?? 0) < maxHours) ticks.push((ticks.at(-1) ?? 0) + step);
  return ticks;
}
