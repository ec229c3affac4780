import type { DateFormat } from '../../scorecards/survey.schema.ts';
import { parseUtcDate } from '../time.ts';

/**
 * Submission dates as form tools export them. Only the day is kept; a time without a zone is read as UTC.
 * - ISO and year-first: `2026-11-03 10:15:22` (Typeform), `2026/11/03 10:15:22 AM GMT+1` (Google Forms).
 * - Day first with dots: `03.11.2026 10:15:22` (Excel and Microsoft Forms with German regional settings).
 * - Slashes: `11/3/2026 10:15:22` (US English) or `3/11/2026 10:15` (UK, France): which one is the
 *   survey's `csv.dateFormat`, else detected over the whole column by detectDateFormat.
 */
export function parseTimestamp(text: string, format: DateFormat = 'auto'): Date | null {
  const trimmed = text.trim();
  const iso =
    /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*(AM|PM))?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}|GMT[+-]\d{1,2})?)?$/i.exec(
      trimmed,
    );
  if (iso) {
    if (format !== 'auto' && format !== 'yyyy-mm-dd') return null;
    if (iso[8] && /^[+-]\d{2}:?\d{2}$/.test(iso[8])) {
      const zone = iso[8].length === 5 ? `${iso[8].slice(0, 3)}:${iso[8].slice(3)}` : iso[8];
      const date = new Date(
        `${iso[1]}-${iso[2]}-${iso[3]}T${(iso[4] ?? '0').padStart(2, '0')}:${iso[5]}:${iso[6] ?? '00'}${zone}`,
      );
      return Number.isNaN(date.getTime()) ? null : date;
    }
    return realDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  }
  const time = String.raw`(?:[ ,]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM))?)?`;
  const dotted = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})${time}$`, 'i').exec(trimmed);
  if (dotted) {
    if (format !== 'auto' && format !== 'dd.mm.yyyy') return null;
    return realDay(year(dotted[3]!), Number(dotted[2]), Number(dotted[1]));
  }
  const slashed = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})${time}$`, 'i').exec(trimmed);
  if (slashed) {
    const [first, second] = [Number(slashed[1]), Number(slashed[2])];
    if (format === 'dd/mm/yyyy') return realDay(year(slashed[3]!), second, first);
    if (format === 'auto' || format === 'mm/dd/yyyy') return realDay(year(slashed[3]!), first, second);
  }
  return null;
}

/**
 * The date order of a column of dates: year first, day first with dots, or slashed — day first when a first
 * part is above 12, month first when a second part is, `ambiguous` when every slashed date would read either
 * way (then month first, as US English exports write, unless the survey names a `csv.dateFormat`). A column
 * mixing orders is left to `auto`, date by date.
 */
export function detectDateFormat(cells: readonly string[]): { format: DateFormat; ambiguous: boolean } {
  let dayFirst = false;
  let monthFirst = false;
  const kinds = new Set<'iso' | 'dotted' | 'slashed'>();
  for (const cell of cells) {
    if (/^\s*\d{4}[-/]\d{2}[-/]\d{2}/.test(cell)) kinds.add('iso');
    else if (/^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b/.test(cell)) kinds.add('dotted');
    const match = /^\s*(\d{1,2})\/(\d{1,2})\/\d{2,4}\b/.exec(cell);
    if (!match) continue;
    kinds.add('slashed');
    if (Number(match[1]) > 12) dayFirst = true;
    if (Number(match[2]) > 12) monthFirst = true;
  }
  if (kinds.size !== 1) return { format: 'auto', ambiguous: false };
  if (kinds.has('iso')) return { format: 'yyyy-mm-dd', ambiguous: false };
  if (kinds.has('dotted')) return { format: 'dd.mm.yyyy', ambiguous: false };
  if (dayFirst && !monthFirst) return { format: 'dd/mm/yyyy', ambiguous: false };
  if (monthFirst && !dayFirst) return { format: 'mm/dd/yyyy', ambiguous: false };
  return { format: 'mm/dd/yyyy', ambiguous: !dayFirst };
}

const year = (text: string) => (text.length === 2 ? 2000 + Number(text) : Number(text));

function realDay(year: number, month: number, day: number): Date | null {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return parseUtcDate(text);
}
