import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ConfigError } from '#server/config/config.ts';
import { schemaProblems } from '#server/config/schema-errors.ts';
import type { ConfigProblem } from '#server/config/schema-errors.ts';
import { parseUtcDate } from '#server/time.ts';
import { surveyDriver, SURVEY_DRIVERS } from './survey-drivers.ts';
import { SurveyFileSchema } from './survey.schema.ts';
import type { Survey, SurveyFile, SurveyQuestion } from './survey.schema.ts';

export const surveysFolder = fileURLToPath(new URL('./surveys', import.meta.url));

/**
 * Reads and validates every `*.yaml` survey in `folder` (null: the install's scorecards/surveys): shape, then meaning (known drivers, unique question
 * and option keys, real dates in order, a CSV mapping that names real questions), then ids unique across
 * files. A `ConfigError` names the first bad file and each of its problems' key paths (`questions[2].driver`).
 */
export function loadSurveys(folder: string | null = surveysFolder): Survey[] {
  folder ??= surveysFolder;
  if (!existsSync(folder)) return [];
  const surveys: Survey[] = [];
  const owners = new Map<string, string>();
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.yaml') && !name.endsWith('.yml')) continue;
    const file = path.join(folder, name);
    const survey = parseSurveyFile(readFileSync(file, 'utf8'), file);
    const owner = owners.get(survey.id);
    if (owner !== undefined) {
      throw new ConfigError(file, [
        { path: 'id', message: `survey "${survey.id}" is also defined in ${owner}` },
      ]);
    }
    owners.set(survey.id, name);
    surveys.push(survey);
  }
  surveys.sort((a, b) => a.quarter.localeCompare(b.quarter) || a.id.localeCompare(b.id));
  assertKeysStable(surveys);
  return surveys;
}

/**
 * Rounds are compared by question key, so a key must mean the same thing in every round: the same kind (and
 * the same driver or category, which results are compared by), and one wording per version — a reworded
 * question raises its version, so stored answers say which wording they answered.
 */
function assertKeysStable(surveys: readonly Survey[]): void {
  const first = new Map<string, { survey: Survey; question: SurveyQuestion }>();
  const wording = new Map<string, { survey: Survey; text: string }>();
  for (const survey of surveys) {
    const problems: ConfigProblem[] = [];
    survey.questions.forEach((question, i) => {
      const earlier = first.get(question.key);
      const at = `questions[${i}]`;
      if (earlier) {
        const was = earlier.question;
        const meaning = (q: SurveyQuestion) =>
          q.kind === 'likert'
            ? `${q.kind} (driver ${q.driver})`
            : q.kind === 'hours'
              ? `${q.kind} (category ${q.category})`
              : q.kind;
        if (meaning(was) !== meaning(question)) {
          problems.push({
            path: `${at}.key`,
            message: `"${question.key}" is ${meaning(was)} in ${earlier.survey.id}; a key keeps its meaning across rounds (use a new key)`,
          });
        }
      } else first.set(question.key, { survey, question });
      const versionKey = `${question.key}@${question.version}`;
      const same = wording.get(versionKey);
      if (same && same.text !== question.text) {
        problems.push({
          path: `${at}.version`,
          message: `"${question.key}" version ${question.version} is worded differently in ${same.survey.id}; raise the version when the wording changes`,
        });
      } else if (!same) wording.set(versionKey, { survey, text: question.text });
    });
    if (problems.length > 0) throw new ConfigError(survey.file, problems);
  }
}

/** Parses and validates one survey file's text; `file` names it in errors. */
export function parseSurveyFile(text: string, file: string): Survey {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => ({
        path: '(YAML syntax)',
        message: error.message.split('\n')[0] ?? '',
      })),
    );
  }
  const raw = document.toJS() as unknown;
  const shape = schemaProblems(SurveyFileSchema, raw);
  if (shape.length > 0) throw new ConfigError(file, shape);
  const survey = raw as SurveyFile;
  const problems = surveyProblems(survey);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return toSurvey(survey, file);
}

function surveyProblems(survey: SurveyFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const opens = parseUtcDate(survey.opens);
  const closes = parseUtcDate(survey.closes);
  if (!opens) problems.push({ path: 'opens', message: `"${survey.opens}" is not a real date` });
  if (!closes) problems.push({ path: 'closes', message: `"${survey.closes}" is not a real date` });
  if (opens && closes && closes < opens) problems.push({ path: 'closes', message: 'is before opens' });
  if (survey.oneResponsePerLink === false && survey.openForm !== true) {
    problems.push({
      path: 'oneResponsePerLink',
      message:
        'is replaced by openForm: one-time links are now required by default; remove it, or set openForm: true ' +
        'to take answers without a link (anyone could then answer for any team)',
    });
  }
  const keys = new Set<string>();
  survey.questions.forEach((question, i) => {
    const at = `questions[${i}]`;
    if (keys.has(question.key))
      problems.push({ path: `${at}.key`, message: `"${question.key}" is used twice` });
    keys.add(question.key);
    if (question.kind === 'likert' && !surveyDriver(question.driver)) {
      problems.push({
        path: `${at}.driver`,
        message: `unknown driver "${question.driver}" (known: ${SURVEY_DRIVERS.map((d) => d.id).join(', ')})`,
      });
    }
    if (question.kind === 'single-choice' || question.kind === 'multiple-choice') {
      const optionKeys = new Set<string>();
      question.options.forEach((option, o) => {
        if (optionKeys.has(option.key))
          problems.push({ path: `${at}.options[${o}].key`, message: `"${option.key}" is used twice` });
        optionKeys.add(option.key);
      });
    }
  });
  for (const key of Object.keys(survey.csv?.answers ?? {})) {
    if (!keys.has(key))
      problems.push({ path: `csv.answers.${key}`, message: 'is not a question key of this survey' });
  }
  return problems;
}

function toSurvey(raw: SurveyFile, file: string): Survey {
  return {
    id: raw.id,
    title: raw.title,
    quarter: raw.quarter,
    opens: raw.opens,
    closes: raw.closes,
    openForm: raw.openForm ?? false,
    csv: {
      team: raw.csv?.team ?? null,
      submittedAt: raw.csv?.submittedAt ?? null,
      respondent: raw.csv?.respondent ?? null,
      answers: { ...raw.csv?.answers },
      dateFormat: raw.csv?.dateFormat ?? 'auto',
    },
    questions: raw.questions.map((question): SurveyQuestion => {
      const base = { key: question.key, version: question.version ?? 1, text: question.text };
      switch (question.kind) {
        case 'likert': {
          const driver = surveyDriver(question.driver);
          if (!driver) throw new Error(`driver ${question.driver} passed validation but is unknown`);
          return { ...base, kind: 'likert', driver: driver.id, dimension: driver.dimension };
        }
        case 'hours':
          return { ...base, kind: 'hours', category: question.category };
        case 'single-choice':
        case 'multiple-choice':
          return { ...base, kind: question.kind, options: question.options.map((o) => ({ ...o })) };
        case 'text':
          return { ...base, kind: 'text' };
      }
    }),
    file,
  };
}

/** The survey round before `survey` (the latest with an earlier quarter), for change against the previous quarter. */
export function previousSurvey(surveys: readonly Survey[], survey: Survey): Survey | null {
  return (
    surveys
      .filter((other) => other.quarter < survey.quarter)
      .sort((a, b) => b.quarter.localeCompare(a.quarter))[0] ?? null
  );
}
