import { parse } from 'csv-parse/sync';
import type { Survey } from '../../scorecards/survey.schema.ts';
import type { SurveyResponseInput } from './survey-intake.ts';

/** Column mapping overrides from the command line or the upload: `team`, `submittedAt`, `respondent` or a question key → header. */
export type ColumnOverrides = Readonly<Record<string, string>>;

export interface CsvRow {
  /** The line the row starts on in the file (the header is line 1), for error reports. */
  line: number;
  input: SurveyResponseInput;
  /** The cells as read, in column order: what the content hash of a row without a respondent covers. */
  content: string;
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
}

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
  try {
    text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CsvFormatError('the file is not UTF-8 text (export it as CSV UTF-8)', 'file');
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
  const mapping = columnMapping(headers, survey, overrides);
  const used = new Set(Object.values(mapping).map(normalizeHeader));
  const ignoredColumns = headers.filter((h) => h !== '' && !used.has(normalizeHeader(h)));
  const indexOf = (name: string) => headers.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
  const rows: CsvRow[] = [];
  let previousEnd = header.info.bytes;
  for (const { record, info } of body) {
    const line = lineAt(previousEnd);
    previousEnd = info.bytes;
    const cell = (field: string) => {
      const column = mapping[field];
      return column === undefined ? undefined : record[indexOf(column)];
    };
    const answers: Record<string, unknown> = {};
    for (const question of survey.questions) {
      const value = cell(question.key);
      if (value !== undefined && value.trim() !== '') answers[question.key] = value;
    }
    rows.push({
      line,
      input: {
        team: cell('team'),
        respondent: cell('respondent'),
        submittedAt: cell('submittedAt'),
        answers,
      },
      content: JSON.stringify(
        Object.keys(mapping)
          .sort()
          .map((field) => (field === 'respondent' ? '' : (cell(field) ?? ''))),
      ),
    });
  }
  return { rows, mapping, ignoredColumns };
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
): Record<string, string> {
  const has = (name: string) => headers.some((h) => normalizeHeader(h) === normalizeHeader(name));
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
  const pick = (field: string, candidates: (string | null | undefined)[], required = false) => {
    const explicit = overrides[field];
    if (explicit !== undefined) {
      if (!has(explicit)) throw new CsvFormatError(`no column "${explicit}" in the header`, `map.${field}`);
      mapping[field] = explicit;
      return;
    }
    const found = candidates.find((c): c is string => typeof c === 'string' && has(c));
    if (found) mapping[field] = headers.find((h) => normalizeHeader(h) === normalizeHeader(found))!;
    else if (required) {
      throw new CsvFormatError(
        `no ${field} column: name it in the survey's csv mapping or with --map ${field}=HEADER`,
        `map.${field}`,
      );
    }
  };
  const teamGuess = headers.find((h) => /\bteam\b/i.test(h));
  pick('team', [survey.csv.team, 'team', teamGuess], true);
  pick('submittedAt', [
    survey.csv.submittedAt,
    'submittedAt',
    'Timestamp',
    'Completion time',
    'Submit Date (UTC)',
  ]);
  // A respondent column is read only when named explicitly: a name or e-mail column is otherwise ignored.
  pick('respondent', [survey.csv.respondent]);
  for (const question of survey.questions)
    pick(question.key, [survey.csv.answers[question.key], question.key, question.text]);
  if (!survey.questions.some((question) => mapping[question.key] !== undefined)) {
    throw new CsvFormatError(`no column matches a question of ${survey.id}`, 'file');
  }
  return mapping;
}
