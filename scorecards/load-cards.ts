import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ConfigError } from '#server/config/config.ts';
import { schemaProblems } from '#server/config/schema-errors.ts';
import type { ConfigProblem } from '#server/config/schema-errors.ts';
import type { MetricKey } from '#server/metrics/registry.ts';
import { cardProblems } from './card-problems.ts';
import { ScorecardFileSchema } from './scorecard.schema.ts';
import type { Scorecard, ScorecardFile } from './scorecard.schema.ts';

export const cardsFolder = fileURLToPath(new URL('./cards', import.meta.url));

/** One card file's verdict: the card when it is valid, else every problem with its key path. */
export interface CardCheck {
  file: string;
  card: Scorecard | null;
  problems: ConfigProblem[];
}

/**
 * Reads and validates every `*.yaml` card in `folder` (shape, then meaning against the metric registry,
 * then ids unique across files). Never throws for a bad card: `groundwork scorecards check` lists them all.
 */
export function checkScorecards(folder = cardsFolder): CardCheck[] {
  if (!existsSync(folder)) {
    throw new ConfigError(folder, [{ path: '(folder)', message: 'no such folder of scorecards' }]);
  }
  const checks = readdirSync(folder)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => checkCardFile(path.join(folder, name)));
  const owners = new Map<string, string>();
  for (const check of checks) {
    if (!check.card) continue;
    const owner = owners.get(check.card.id);
    if (owner === undefined) owners.set(check.card.id, check.file);
    else {
      check.problems.push({
        path: 'id',
        message: `scorecard "${check.card.id}" is also defined in ${path.basename(owner)}`,
      });
      check.card = null;
    }
  }
  return checks;
}

/** Every valid card, or a `ConfigError` naming the first bad file and each of its problems' key paths. */
export function loadScorecards(folder = cardsFolder): Scorecard[] {
  const checks = checkScorecards(folder);
  const bad = checks.find((check) => check.problems.length > 0);
  if (bad) throw new ConfigError(bad.file, bad.problems);
  return checks.map((check) => check.card as Scorecard);
}

function checkCardFile(file: string): CardCheck {
  const document = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => ({
      path: '(YAML syntax)',
      message: error.message.split('\n')[0] ?? '',
    }));
    return { file, card: null, problems };
  }
  const raw = document.toJS() as unknown;
  const shapeProblems = schemaProblems(ScorecardFileSchema, raw);
  if (shapeProblems.length > 0) return { file, card: null, problems: shapeProblems };
  const problems = cardProblems(raw as ScorecardFile);
  return { file, card: problems.length > 0 ? null : toScorecard(raw as ScorecardFile, file), problems };
}

const titleOf = (id: string) => id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, ' ');

function toScorecard(raw: ScorecardFile, file: string): Scorecard {
  return {
    id: raw.id,
    title: raw.title,
    description: raw.description ?? null,
    file,
    levels: raw.levels.map((level) => ({
      id: level.id,
      title: level.title ?? titleOf(level.id),
      description: level.description ?? null,
      rules: level.rules.map((rule) => ({
        metric: rule.metric as MetricKey, // checked against the registry by cardProblems
        op: rule.op,
        threshold: rule.threshold,
        weight: rule.weight ?? 1,
        description: rule.description,
      })),
    })),
  };
}

/** `groundwork scorecards check`'s report: one line per card, then its problems with their key paths. */
export function describeChecks(checks: readonly CardCheck[]): string[] {
  return checks.flatMap((check) => {
    const name = path.basename(check.file);
    if (check.card) {
      const rules = check.card.levels.reduce((sum, level) => sum + level.rules.length, 0);
      const levels = check.card.levels.map((level) => level.id).join(' → ');
      return [`OK       ${name} (${check.card.id}: ${levels}; ${rules} rules)`];
    }
    return [
      `INVALID  ${check.file}:`,
      ...check.problems.map((problem) => `  - ${problem.path}: ${problem.message}`),
    ];
  });
}
