/**
 * The periods the dashboard offers, as the labels the API takes (`last-30d`, `2026-Q4`, `2026-11`,
 * `2026`). The label itself goes in the URL, so a shared link names a fixed quarter or month rather than
 * "this quarter" of whoever opens it. The server resolves every label; this module only names and lists
 * them.
 */

export const DEFAULT_PERIOD = 'last-30d';

export interface PeriodOption {
  value: string;
  label: string;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (month: number) => String(month).padStart(2, '0');

/** The quarter (`2026-Q4`) an instant falls in, UTC, `offset` quarters later (negative: earlier). */
export function quarterOf(at: Date, offset = 0): string {
  const index = at.getUTCFullYear() * 4 + Math.floor(at.getUTCMonth() / 3) + offset;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/** The month (`2026-11`) an instant falls in, UTC, `offset` months later. */
export function monthOf(at: Date, offset = 0): string {
  const index = at.getUTCFullYear() * 12 + at.getUTCMonth() + offset;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** A person's name for a period label; labels this module does not know are shown as they are. */
export function describePeriod(label: string): string {
  let match = /^last-(\d{1,4})d$/.exec(label);
  if (match) return `Last ${Number(match[1])} days`;
  match = /^(\d{4})-Q([1-4])$/.exec(label);
  if (match) {
    const first = (Number(match[2]) - 1) * 3;
    return `${match[1]} Q${match[2]} (${MONTHS[first]?.slice(0, 3)}–${MONTHS[first + 2]?.slice(0, 3)})`;
  }
  match = /^(\d{4})-(\d{2})$/.exec(label);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (match && month) return `${month} ${match[1]}`;
  if (/^\d{4}$/.test(label)) return `Year ${label}`;
  return label;
}

/** A period inside a sentence: "in the last 30 days", "in November 2026". */
export function periodPhrase(label: string): string {
  const match = /^last-(\d{1,4})d$/.exec(label);
  return match ? `the last ${Number(match[1])} days` : describePeriod(label);
}

/**
 * The picker's choices around `now`: the last 30 and 90 days, this and last quarter, and the last twelve
 * months. A `current` label not among them (a link to an older month, say) is kept as the first choice,
 * so the picker always shows what the page is showing.
 */
export function periodOptions(now: Date, current?: string): PeriodOption[] {
  const thisQuarter = quarterOf(now);
  const lastQuarter = quarterOf(now, -1);
  const options: PeriodOption[] = [
    { value: 'last-30d', label: 'Last 30 days' },
    { value: 'last-90d', label: 'Last 90 days' },
    { value: thisQuarter, label: `This quarter: ${describePeriod(thisQuarter)}` },
    { value: lastQuarter, label: `Last quarter: ${describePeriod(lastQuarter)}` },
    ...Array.from({ length: 12 }, (_, index) => {
      const month = monthOf(now, -index);
      return { value: month, label: describePeriod(month) };
    }),
  ];
  if (current && !options.some((option) => option.value === current)) {
    options.unshift({ value: current, label: describePeriod(current) });
  }
  return options;
}

/** The period a URL's query string asks for; the default when it names none. */
export function periodFromSearch(search: URLSearchParams): string {
  const period = search.get('period')?.trim();
  return period ? period : DEFAULT_PERIOD;
}
