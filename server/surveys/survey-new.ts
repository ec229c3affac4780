import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { loadSurveys, parseSurveyFile } from '../../scorecards/load-surveys.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { ConfigError } from '../config/config.ts';
import type { SurveyCommandOutput } from './survey-commands.ts';

const QUARTER_DAYS = {
  1: ['01-01', '03-31'],
  2: ['04-01', '06-30'],
  3: ['07-01', '09-30'],
  4: ['10-01', '12-31'],
};

/**
 * `survey new --from ID --quarter 2027-Q1`: a new round file in `folder`, copied from an earlier round so its
 * questions (and their keys, which carry the trend) stay the same; id, title, quarter and window follow the
 * new quarter. Comments in the file are kept. Refuses to overwrite a file, and checks the new round loads
 * with the others before leaving it in place.
 */
export function createSurveyRound(
  surveys: readonly Survey[],
  folder: string,
  command: { from: string; quarter: string; id: string | null },
): SurveyCommandOutput {
  const fail = (message: string): SurveyCommandOutput => ({
    stdout: [],
    stderr: [`groundwork: ${message}`],
    exitCode: 1,
  });
  const from = surveys.find((survey) => survey.id === command.from);
  if (!from) {
    const known = surveys.map((survey) => survey.id).join(', ') || 'none';
    return fail(`--from: no survey "${command.from}" (known: ${known})`);
  }
  const [year, q] = command.quarter.split('-Q') as [string, '1' | '2' | '3' | '4'];
  const oldSlug = from.quarter.toLowerCase();
  const newSlug = command.quarter.toLowerCase();
  const id =
    command.id ?? (from.id.includes(oldSlug) ? from.id.replace(oldSlug, newSlug) : `${from.id}-${newSlug}`);
  if (surveys.some((survey) => survey.id === id)) return fail(`--id: survey "${id}" exists already`);
  const [oldYear, oldQ] = from.quarter.split('-Q');
  const title = from.title.includes(`${oldYear} Q${oldQ}`)
    ? from.title.replace(`${oldYear} Q${oldQ}`, `${year} Q${q}`)
    : from.title.includes(from.quarter)
      ? from.title.replace(from.quarter, command.quarter)
      : `${from.title} (${command.quarter})`;
  const [opens, closes] = QUARTER_DAYS[Number(q) as 1 | 2 | 3 | 4].map((day) => `${year}-${day}`);
  const document = parseDocument(readFileSync(from.file, 'utf8'));
  document.set('id', id);
  document.set('title', title);
  document.set('quarter', command.quarter);
  document.set('opens', opens);
  document.set('closes', closes);
  const file = path.join(folder, `${id}.yaml`);
  const text = document.toString({ lineWidth: 0 });
  try {
    parseSurveyFile(text, file);
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message);
    return fail(`cannot write ${file}: ${(error as Error).message}`);
  }
  try {
    loadSurveys(folder);
  } catch (error) {
    rmSync(file);
    if (error instanceof ConfigError) return fail(error.message);
    throw error;
  }
  return {
    stdout: [file],
    stderr: [
      `Created ${id} (${command.quarter}, ${opens} to ${closes}) from ${from.id}. Edit it if you need to (raise a ` +
        "question's version when you reword it), restart the server, then issue links with " +
        `"groundwork survey links --survey ${id} --team SLUG".`,
    ],
    exitCode: 0,
  };
}
