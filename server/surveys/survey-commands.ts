import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateToken } from '../auth/api-tokens.ts';
import { createSurveyLinkTokens } from '../db/survey-link-tokens.repository.ts';
import { surveyTeams } from '../db/survey-responses.repository.ts';
import { AppError } from '../errors.ts';
import { MAX_CSV_BYTES } from './survey-csv.ts';
import { blocking, findSurvey, hashLinkToken, importSurveyCsv } from './surveys.service.ts';
import type { ImportReport, SurveyContext } from './surveys.service.ts';

export type SurveyCommand =
  | {
      action: 'import';
      file: string;
      surveyId: string;
      dryRun: boolean;
      skipInvalid: boolean;
      overrides: Record<string, string>;
    }
  | { action: 'links'; surveyId: string; team: string; count: number | null; baseUrl: string }
  | { action: 'new'; from: string; quarter: string; id: string | null };

export interface SurveyCommandOutput {
  stdout: string[];
  stderr: string[];
  exitCode: 0 | 1;
}

/** The most links one command issues. */
export const MAX_LINKS = 10_000;

/** `survey import|links` arguments → a command, or a usage problem as text. `defaultBaseUrl`: where the
 * dashboard is served (from HOST and PORT), for links without `--base-url`. */
export function parseSurveyCommand(
  args: string[],
  defaultBaseUrl = 'http://127.0.0.1:3000',
): SurveyCommand | string {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        survey: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'skip-invalid': { type: 'boolean' },
        map: { type: 'string', multiple: true },
        count: { type: 'string' },
        team: { type: 'string' },
        'base-url': { type: 'string' },
        from: { type: 'string' },
        quarter: { type: 'string' },
        id: { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  if (action === 'new') {
    if (rest.length > 0) return `unexpected "${rest.join(' ')}"`;
    if (!values.from) return '--from ID is required: the round to copy (e.g. --from devex-2026-q4)';
    if (!values.quarter || !/^\d{4}-Q[1-4]$/.test(values.quarter))
      return `--quarter expects a quarter like 2027-Q1, got "${values.quarter ?? ''}"`;
    if (values.id !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(values.id))
      return `--id expects lower-case letters, digits and -, got "${values.id}"`;
    return { action, from: values.from, quarter: values.quarter, id: values.id ?? null };
  }
  if (!values.survey) return '--survey ID is required (the id in the survey files)';
  if (action === 'import') {
    if (rest.length !== 1) return 'expected "survey import FILE --survey ID"';
    const overrides: Record<string, string> = {};
    for (const mapping of values.map ?? []) {
      const at = mapping.indexOf('=');
      if (at < 1) return `--map expects FIELD=HEADER (e.g. team="Which team are you on?"), got "${mapping}"`;
      overrides[mapping.slice(0, at)] = mapping.slice(at + 1);
    }
    return {
      action,
      file: rest[0]!,
      surveyId: values.survey,
      dryRun: values['dry-run'] ?? false,
      skipInvalid: values['skip-invalid'] ?? false,
      overrides,
    };
  }
  if (action === 'links') {
    if (rest.length > 0) return `unexpected "${rest.join(' ')}"`;
    if (!values.team) return '--team SLUG is required: a link fixes the team its respondent answers for';
    const count = values.count;
    if (count !== undefined && (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > MAX_LINKS)) {
      return `--count expects an integer from 1 to ${MAX_LINKS}, got "${count}"`;
    }
    return {
      action,
      surveyId: values.survey,
      team: values.team,
      count: count === undefined ? null : Number(count),
      baseUrl: (values['base-url'] ?? defaultBaseUrl).replace(/\/+$/, ''),
    };
  }
  return 'expected "survey import", "survey links" or "survey new"';
}

const failure = (message: string): SurveyCommandOutput => ({
  stdout: [],
  stderr: [`groundwork: ${message}`],
  exitCode: 1,
});

/** A usage problem with `--survey` before anything is opened: the id must be one of `surveys`. */
export function unknownSurvey(
  surveys: readonly { id: string }[],
  surveyId: string,
): SurveyCommandOutput | null {
  if (surveys.some((survey) => survey.id === surveyId)) return null;
  const known = surveys.map((survey) => survey.id).join(', ') || 'none';
  return failure(`--survey: no survey "${surveyId}" (known: ${known})`);
}

/** Runs `survey import` or `survey links`; a bad survey id, team, file or row is reported, never thrown. */
export async function runSurveyCommand(
  context: SurveyContext,
  command: Exclude<SurveyCommand, { action: 'new' }>,
): Promise<SurveyCommandOutput> {
  const unknown = unknownSurvey(context.surveys, command.surveyId);
  if (unknown) return unknown;
  try {
    if (command.action === 'links') return await issueLinks(context, command);
    let bytes: Buffer;
    try {
      bytes = await readLimited(command.file, MAX_CSV_BYTES);
    } catch (error) {
      return failure(`cannot read ${command.file}: ${(error as Error).message}`);
    }
    const report = await importSurveyCsv(context, command.surveyId, bytes, command);
    return describeImport(report, command.skipInvalid);
  } catch (error) {
    if (error instanceof AppError) return failure(`${error.field ? `${error.field}: ` : ''}${error.message}`);
    throw error;
  }
}

async function issueLinks(
  context: SurveyContext,
  command: Extract<SurveyCommand, { action: 'links' }>,
): Promise<SurveyCommandOutput> {
  const survey = findSurvey(context, command.surveyId);
  const teams = await surveyTeams(context.db);
  const team = teams.find((t) => t.slug === command.team.toLowerCase());
  if (!team)
    return failure(`--team: no team "${command.team}" (known: ${teams.map((t) => t.slug).join(', ')})`);
  const count = command.count ?? team.size;
  if (count < 1)
    return failure(`--count: team ${team.slug} has no members configured; say how many links with --count N`);
  const tokens = Array.from({ length: count }, () => generateToken());
  await createSurveyLinkTokens(context.db, survey.id, team.id, tokens.map(hashLinkToken), context.now());
  return {
    stdout: tokens.map(
      (token) =>
        `${command.baseUrl}/surveys/${survey.id}?token=${encodeURIComponent(token)}&team=${encodeURIComponent(team.slug)}`,
    ),
    stderr: [
      `Issued ${count} one-time ${count === 1 ? 'link' : 'links'} for ${team.name} in ${survey.id}: hand one to each member. Only their ` +
        'hashes are stored, so copy them now. A link fixes the team and works once.',
    ],
    exitCode: 0,
  };
}

/** Reads a file in chunks, stopping at `limit` bytes (the API's upload limit), so a huge file is never held whole. */
async function readLimited(file: string, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`it is larger than ${limit / 1024 / 1024} MB, the import limit`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function describeImport(report: ImportReport, skipInvalid: boolean): SurveyCommandOutput {
  const lines = [
    `${report.rows} rows read, ${report.accepted} accepted, ${report.rejectedRows} rejected` +
      (report.dryRun ? ' (dry run: nothing written)' : ''),
    ...Object.entries(report.mapping).map(([field, column]) => `  ${field} ← "${column}"`),
    ...(report.ignoredColumns.length
      ? [`  ignored columns: ${report.ignoredColumns.map((c) => `"${c}"`).join(', ')}`]
      : []),
    `  dates read as ${report.dateFormat}` +
      (report.encoding === 'utf-8' ? '' : `; file read as ${report.encoding}`),
    ...report.rejected.map((row) => `line ${row.line}: ${row.field} ${row.reason}`),
    ...report.warnings.map((row) => `line ${row.line}: warning: ${row.field} ${row.reason}`),
  ];
  const failed = blocking(report) && !skipInvalid;
  if (!report.dryRun) {
    lines.push(
      failed
        ? 'Nothing written: fix the rejected rows, or pass --skip-invalid to import the others.'
        : `Written: ${report.written.added} new, ${report.written.replaced} replacing an earlier import.`,
    );
  }
  return { stdout: lines, stderr: [], exitCode: failed ? 1 : 0 };
}
