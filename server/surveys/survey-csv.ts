import { parse } from 'csv-parse/sync';
import type { DateFormat, Survey } from '../../scorecards/survey.schema.ts';
import { detectDateFormat } from './survey-dates.ts';
import type { SurveyResponseInput } from './survey-intake.ts';

/** Column mapping overrides from the command line or the upload: `team`, `submittedAt`, `respondent` or a question key → header. */
export type ColumnOverrides = Readonly<Record<string, string>>;

export interface CsvRow {
  /** The line the row starts on in the file (the header is line 1), for error reports. */
  line: number;
  input: SurveyResponseInput;
  /** Every cell blank (a line of separators only). */
  blank: boolean;
  /** Why the form tool marks the row unfinished (Typeform's Response Type, a blank submit date); else null. */
  partial: string | null;
}

export class CsvFormatError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'CsvFormatError';
  }
}

export interface ParsedCsv {
  rows: CsvRow[];
  /** How each field was mapped: `team` → "Which team are you on?". */
  mapping: Record<string, string>;
  /** Headers not used (names, e-mails, form-tool metadata): never read, never stored. */
  ignoredColumns: string[];
  /** How the file was decoded: UTF-8, or Windows-1252 (Excel's "CSV" with Western European settings). */
  encoding: 'utf-8' | 'windows-1252';
  /** The date order used: the survey's `csv.dateFormat`, or detected from the date column. */
  dateFormat: DateFormat;
  /** Every slashed date reads either way (3/4/2026); month first was assumed. */
  dateFormatAmbiguous: boolean;
}

/** The largest export one import reads, from the API or the command line. */
export const MAX_CSV_BYTES = 10 * 1024 * 1024;

/** Typeform: `completed`, or `partial` for a respondent who left before submitting. */
const RESPONSE_TYPE_HEADER = 'response type';

const normalizeHeader = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** The delimiter of the header line: `;` when it has more semicolons than commas outside quotes (Excel in Europe). */
export function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ',') commas += 1;
    else if (!quoted && char === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Reads a form tool's CSV export (Google Forms, Microsoft Forms, Typeform): UTF-8 with or without BOM,
 * comma or semicolon, quoted fields with newlines. Columns are found by the survey's `csv` mapping, then
 * `overrides`, else by a header equal to the question key or its text; the team column defaults to a header
 * "team" (or containing "team"), the date to "Timestamp", "Completion time" or "Submit Date (UTC)".
 */
export function parseSurveyCsv(
  bytes: Buffer | string,
  survey: Survey,
  overrides: ColumnOverrides = {},
): ParsedCsv {
  let text: string;
  let encoding: ParsedCsv['encoding'] = 'utf-8';
  try {
    text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel's plain "CSV" (not "CSV UTF-8") writes the Windows code page: Windows-1252 in Western Europe.
    text = new TextDecoder('windows-1252').decode(bytes as Buffer);
    encoding = 'windows-1252';
    if (text.includes('\u0000'))
      throw new CsvFormatError('the file is not text (export it as CSV UTF-8)', 'file');
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new CsvFormatError('the file is empty', 'file');
  // csv-parse counts a CRLF inside a quoted field as two lines, so lines are counted here from byte offsets.
  const lineAt = lineCounter(Buffer.from(text, 'utf8'));
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text.replace(/^\uFEFF/, '')),
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // A quote inside an unquoted cell (`27" screen`) is text, as spreadsheets write it.
      relax_quotes: true,
    }) as unknown as typeof records;
  } catch (error) {
    const offset = (error as { bytes?: unknown }).bytes;
    const line = typeof offset === 'number' ? lineAt(offset) : null;
    const reason =
      (error as { code?: unknown }).code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field that starts on this line is never closed'
        : (error as Error).message.replace(/,? (?:at|on) line \d+/g, '');
    throw new CsvFormatError(`${line ? `line ${line}: ` : ''}${reason}`, line ? `line ${line}` : 'file');
  }
  const [header, ...body] = records;
  if (!header) throw new CsvFormatError('the file has no header line', 'file');
  const headers = header.record.map((cell) => cell.trim());
  const { mapping, columns } = columnMapping(headers, survey, overrides);
  const used = new Set(Object.values(columns));
  const ignoredColumns = headers.filter((h, i) => h !== '' && !used.has(i));
  const cellOf = (record: string[], field: string) => {
    const column = columns[field];
    return column === undefined ? undefined : record[column];
  };
  let dateFormat = survey.csv.dateFormat;
  let dateFormatAmbiguous = false;
  if (dateFormat === 'auto') {
    const detected = detectDateFormat(body.map(({ record }) => cellOf(record, 'submittedAt') ?? ''));
    dateFormat = detected.format;
    dateFormatAmbiguous = detected.ambiguous;
  }
  const rows: CsvRow[] = [];
  let previousEnd = header.info.bytes;
  for (const { record, info } of body) {
    const line = lineAt(previousEnd);
    previousEnd = info.bytes;
    const cell = (field: string) => cellOf(record, field);
    const answers: Record<string, unknown> = {};
    for (const question of survey.questions) {
      const value = cell(question.key);
      const other = cell(`${question.key}:other`);
      if (other !== undefined && other.trim() !== '') answers[question.key] = other;
      else if (value !== undefined && value.trim() !== '') answers[question.key] = value;
      else if (question.kind === 'multiple-choice') {
        const chosen = question.options.filter((o) => (cell(`${question.key}=${o.key}`) ?? '').trim() !== '');
        if (chosen.length > 0) answers[question.key] = chosen.map((o) => o.key);
      }
    }
    const responseType = cell('responseType')?.trim().toLowerCase() ?? '';
    const submittedAt = cell('submittedAt');
    const partial =
      responseType !== '' && responseType !== 'completed'
        ? `the form tool marks it "${responseType}", not completed`
        : columns['submittedAt'] !== undefined && (submittedAt ?? '').trim() === ''
          ? `no submit date in "${mapping['submittedAt']}"`
          : null;
    rows.push({
      line,
      input: { team: cell('team'), respondent: cell('respondent'), submittedAt, answers },
      blank: record.every((value) => value.trim() === ''),
      partial,
    });
  }
  return { rows, mapping, ignoredColumns, encoding, dateFormat, dateFormatAmbiguous };
}

/**
 * The line a record starts on, from the byte offset where the one before it ended: blank lines between are
 * skipped (as the parser skips them), and CRLF, LF or a lone CR each end one line. Offsets must not go back.
 */
function lineCounter(bytes: Buffer): (offset: number) => number {
  let position = 0;
  let line = 1;
  const isBreak = (at: number) => bytes[at] === 0x0a || bytes[at] === 0x0d;
  return (offset) => {
    let start = offset;
    while (start < bytes.length && isBreak(start)) start += 1;
    for (; position < start; position += 1) {
      if (bytes[position] === 0x0a || (bytes[position] === 0x0d && bytes[position + 1] !== 0x0a)) line += 1;
    }
    return line;
  };
}

function columnMapping(
  headers: string[],
  survey: Survey,
  overrides: ColumnOverrides,
): { mapping: Record<string, string>; columns: Record<string, number> } {
  const find = (name: string) => headers.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
  const questionKeys = new Set(survey.questions.map((q) => q.key));
  for (const field of Object.keys(overrides)) {
    if (!['team', 'submittedAt', 'respondent'].includes(field) && !questionKeys.has(field)) {
      throw new CsvFormatError(
        `"${field}" is not team, submittedAt, respondent or a question key of ${survey.id}`,
        `map.${field}`,
      );
    }
  }
  const mapping: Record<string, string> = {};
  const columns: Record<string, number> = {};
  const use = (field: string, index: number) => {
    mapping[field] = headers[index]!;
    columns[field] = index;
  };
  const pick = (field: string, candidates: (string | null | undefined)[], required = false) => {
    const explicit = overrides[field];
    if (explicit !== undefined) {
      if (find(explicit) < 0)
        throw new CsvFormatError(`no column "${explicit}" in the header`, `map.${field}`);
      use(field, find(explicit));
      return;
    }
    const found = candidates.find((c): c is string => typeof c === 'string' && find(c) >= 0);
    if (found) use(field, find(found));
    else if (required) {
      throw new CsvFormatError(
        `no ${field} column: name it in the survey's csv mapping or with --map ${field}=HEADER`,
        `map.${field}`,
      );
    }
  };
  // The team column is the one the survey (or --map) names, or one headed exactly "team": a question that
  // merely mentions a team ("How does your team review code?") must never be read as the team.
  pick('team', [survey.csv.team, 'team'], true);
  pick('submittedAt', [
    survey.csv.submittedAt,
    'submittedAt',
    'Timestamp',
    'Completion time',
    'Submit Date (UTC)',
    'Zeitstempel',
    'Fertigstellungszeit',
  ]);
  // A respondent column is read only when named explicitly: a name or e-mail column is otherwise ignored.
  pick('respondent', [survey.csv.respondent]);
  for (const question of survey.questions) {
    pick(question.key, [survey.csv.answers[question.key], question.key, question.text]);
    // Typeform puts a choice question's "Other" answer in a column headed "Other" right after it, and a
    // multiple selection in one column per option, headed by its label (a cell holds the label when chosen).
    const column = columns[question.key];
    if (question.kind === 'multiple-choice' && column === undefined) {
      for (const option of question.options) {
        const index = find(option.label);
        if (index >= 0) use(`${question.key}=${option.key}`, index);
      }
    }
    if (
      question.kind === 'single-choice' &&
      column !== undefined &&
      normalizeHeader(headers[column + 1] ?? '') === 'other'
    )
      use(`${question.key}:other`, column + 1);
  }
  if (
    !survey.questions.some((q) => Object.keys(columns).some((f) => f === q.key || f.startsWith(`${q.key}=`)))
  ) {
    throw new CsvFormatError(`no column matches a question of ${survey.id}`, 'file');
  }
  if (find(RESPONSE_TYPE_HEADER) >= 0) use('responseType', find(RESPONSE_TYPE_HEADER));
  return { mapping, columns };
}
