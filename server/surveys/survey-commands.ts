import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateToken } from '../auth/api-tokens.ts';
import { createSurveyLinkTokens } from '../db/survey-link-tokens.repository.ts';
import { AppError } from '../errors.ts';
import { findSurvey, hashLinkToken, importSurveyCsv } from './surveys.service.ts';
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
  | { action: 'links'; surveyId: string; count: number; baseUrl: string };

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
        'base-url': { type: 'string' },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return (error as Error).message;
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  if (!values.survey) return '--survey ID is required (the id in scorecards/surveys/*.yaml)';
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
    const count = values.count ?? '';
    if (!/^\d+$/.test(count) || Number(count) < 1 || Number(count) > MAX_LINKS) {
      return `--count expects an integer from 1 to ${MAX_LINKS}, got "${count}"`;
    }
    return {
      action,
      surveyId: values.survey,
      count: Number(count),
      baseUrl: (values['base-url'] ?? defaultBaseUrl).replace(/\/+$/, ''),
    };
  }
  return 'expected "survey import" or "survey links"';
}

/** Runs a survey command; a bad survey id, file or row is reported, never thrown. */
export async function runSurveyCommand(
  context: SurveyContext,
  command: SurveyCommand,
): Promise<SurveyCommandOutput> {
  if (!context.surveys.some((survey) => survey.id === command.surveyId)) {
    const known = context.surveys.map((survey) => survey.id).join(', ') || 'none';
    return {
      stdout: [],
      stderr: [`groundwork: --survey: no survey "${command.surveyId}" (known: ${known})`],
      exitCode: 1,
    };
  }
  try {
    if (command.action === 'links') {
      const survey = findSurvey(context, command.surveyId);
      const tokens = Array.from({ length: command.count }, () => generateToken());
      await createSurveyLinkTokens(context.db, survey.id, tokens.map(hashLinkToken), context.now());
      return {
        stdout: tokens.map(
          (token) => `${command.baseUrl}/surveys/${survey.id}?token=${encodeURIComponent(token)}`,
        ),
        stderr: [
          `Issued ${command.count} one-time links for ${survey.id}; only their hashes are stored, so copy them now.` +
            (survey.oneResponsePerLink
              ? ''
              : ' (The survey has oneResponsePerLink: false: each link works once, and the form also takes answers without one.)'),
        ],
        exitCode: 0,
      };
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(command.file);
    } catch (error) {
      return {
        stdout: [],
        stderr: [`groundwork: cannot read ${command.file}: ${(error as Error).message}`],
        exitCode: 1,
      };
    }
    const report = await importSurveyCsv(context, command.surveyId, bytes, command);
    return describeImport(report, command.skipInvalid);
  } catch (error) {
    if (error instanceof AppError) {
      return {
        stdout: [],
        stderr: [`groundwork: ${error.field ? `${error.field}: ` : ''}${error.message}`],
        exitCode: 1,
      };
    }
    throw error;
  }
}

function describeImport(report: ImportReport, skipInvalid: boolean): SurveyCommandOutput {
  const lines = [
    `${report.rows} rows read, ${report.accepted} accepted, ${report.rejected.length} rejected` +
      (report.dryRun ? ' (dry run: nothing written)' : ''),
    ...Object.entries(report.mapping).map(([field, column]) => `  ${field} ← "${column}"`),
    ...(report.ignoredColumns.length
      ? [`  ignored columns: ${report.ignoredColumns.map((c) => `"${c}"`).join(', ')}`]
      : []),
    ...report.rejected.map((row) => `line ${row.line}: ${row.field} ${row.reason}`),
  ];
  const failed = report.rejected.length > 0 && !skipInvalid;
  if (!report.dryRun) {
    lines.push(
      failed
        ? 'Nothing written: fix the rejected rows, or pass --skip-invalid to import the others.'
        : `Written: ${report.written.added} new, ${report.written.replaced} replacing an earlier import.`,
    );
  }
  return { stdout: lines, stderr: [], exitCode: failed ? 1 : 0 };
}
