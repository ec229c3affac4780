import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { TSchema } from 'typebox';
import { ConfigError } from '#server/config/config.ts';
import type { OrganizationConfig } from '#server/config/config.ts';
import { schemaProblems } from '#server/config/schema-errors.ts';
import type { ConfigProblem } from '#server/config/schema-errors.ts';
import { isMetricKey } from '#server/metrics/registry.ts';
import { FRICTION_MEASURES } from '#server/metrics/friction-measures.ts';
import { SURVEY_DRIVERS } from './survey-drivers.ts';
import { CapabilityFileSchema, FrictionFileSchema } from './friction.schema.ts';
import type {
  Capability,
  CapabilityFile,
  FrictionCatalogue,
  FrictionFile,
  FrictionPoint,
} from './friction.schema.ts';
import type { Survey } from './survey.schema.ts';

export const frictionFolder = fileURLToPath(new URL('./friction', import.meta.url));
export const capabilitiesFolder = fileURLToPath(new URL('./capabilities', import.meta.url));

/** One catalogue file's verdict: problems stop start-up; warnings (a ticket category not configured) do not. */
export interface CatalogueFileCheck {
  file: string;
  kind: 'friction' | 'capability';
  id: string | null;
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

export interface CatalogueCheck {
  files: CatalogueFileCheck[];
  /** Problems outside the files: a shipped capability in the configuration the catalogue does not have. */
  configProblems: ConfigProblem[];
  /** Null while any file has a problem. */
  catalogue: FrictionCatalogue | null;
}

export interface CatalogueInputs {
  frictionFolder?: string;
  capabilitiesFolder?: string;
  /** The survey rounds whose hours categories and choice questions the catalogue may name. */
  surveys: readonly Survey[];
  /** The configured organisation: its ticket categories (warnings) and shipped capabilities (problems). */
  org: Pick<OrganizationConfig, 'tickets' | 'friction'>;
}

/**
 * Reads and validates both catalogues: shape, then meaning — survey drivers, hours categories and delivery
 * measures that exist, shares above 0 and at most 1, capabilities that address known friction points,
 * prerequisites without cycles, a survey vote that names a real choice — then ids unique across files.
 * Never throws for a bad file, so `groundwork scorecards check` can list every problem.
 */
export function checkFrictionCatalogue(inputs: CatalogueInputs): CatalogueCheck {
  const frictionFiles = yamlFiles(inputs.frictionFolder ?? frictionFolder).map((file) =>
    readFile(file, 'friction', FrictionFileSchema),
  );
  const capabilityFiles = yamlFiles(inputs.capabilitiesFolder ?? capabilitiesFolder).map((file) =>
    readFile(file, 'capability', CapabilityFileSchema),
  );
  uniqueIds(frictionFiles);
  uniqueIds(capabilityFiles);

  const hoursCategories = new Set(
    inputs.surveys.flatMap((s) => s.questions.flatMap((q) => (q.kind === 'hours' ? [q.category] : []))),
  );
  const ticketCategories = new Set([
    ...inputs.org.tickets.categories.map((c) => c.name),
    inputs.org.tickets.defaultCategory,
  ]);
  const frictionPoints: FrictionPoint[] = [];
  for (const parsed of frictionFiles) {
    if (!parsed.raw) continue;
    const point = toFrictionPoint(parsed.raw as FrictionFile, parsed.check.file);
    frictionProblems(point, hoursCategories, ticketCategories, parsed.check);
    frictionPoints.push(point);
  }
  const frictionIds = new Set(frictionPoints.map((point) => point.id));
  const capabilities: Capability[] = [];
  for (const parsed of capabilityFiles) {
    if (!parsed.raw) continue;
    const capability = toCapability(parsed.raw as CapabilityFile, parsed.check.file);
    capabilityProblems(capability, frictionIds, inputs.surveys, parsed.check);
    capabilities.push(capability);
  }
  const byId = new Map(capabilityFiles.map((parsed) => [parsed.check.id, parsed.check]));
  const known = new Set(capabilities.map((c) => c.id));
  for (const capability of capabilities) {
    const check = byId.get(capability.id)!;
    capability.prerequisites.forEach((prerequisite, i) => {
      if (!('capability' in prerequisite)) return;
      if (!known.has(prerequisite.capability))
        check.problems.push({
          path: `prerequisites[${i}].capability`,
          message: `unknown capability "${prerequisite.capability}"; known: ${[...known].join(', ')}`,
        });
    });
    const cycle = prerequisiteCycle(capability.id, capabilities);
    if (cycle)
      check.problems.push({
        path: `prerequisites[${cycle.index}].capability`,
        message: `prerequisites form a cycle: ${cycle.path.join(' → ')}`,
      });
  }
  const configProblems = inputs.org.friction.shipped.flatMap((shipped) =>
    known.has(shipped.capability)
      ? []
      : [
          {
            path: `${shipped.keyPath}.capability`,
            message: `unknown capability "${shipped.capability}"; known: ${[...known].join(', ')}`,
          },
        ],
  );
  const files = [...frictionFiles, ...capabilityFiles].map((parsed) => parsed.check);
  const ok = files.every((check) => check.problems.length === 0);
  return { files, configProblems, catalogue: ok ? { frictionPoints, capabilities } : null };
}

/**
 * The validated catalogue, or a `ConfigError` naming the first bad file (or the configuration) with each
 * problem's key path. Warnings go to `warn`, once per problem, so the shipped catalogue starts on any
 * configuration.
 */
export function loadFrictionCatalogue(
  inputs: CatalogueInputs,
  warn: (message: string) => void = () => {},
): FrictionCatalogue {
  const check = checkFrictionCatalogue(inputs);
  const bad = check.files.find((file) => file.problems.length > 0);
  if (bad) throw new ConfigError(bad.file, bad.problems);
  if (check.configProblems.length > 0) throw new ConfigError('the configuration', check.configProblems);
  for (const file of check.files)
    for (const warning of file.warnings) warn(`${file.file}: ${warning.path}: ${warning.message}`);
  return check.catalogue!;
}

/** `groundwork scorecards check`'s lines for the catalogues, in the same form as the cards'. */
export function describeCatalogueCheck(check: CatalogueCheck): string[] {
  const lines = check.files.flatMap((file) => {
    const name = path.basename(file.file);
    const warnings = file.warnings.map((w) => `  ! ${w.path}: ${w.message}`);
    if (file.problems.length === 0) return [`OK       ${name} (${file.kind} ${file.id})`, ...warnings];
    return [
      `INVALID  ${file.file}:`,
      ...file.problems.map((problem) => `  - ${problem.path}: ${problem.message}`),
      ...warnings,
    ];
  });
  if (check.configProblems.length > 0)
    lines.push('INVALID  configuration:', ...check.configProblems.map((p) => `  - ${p.path}: ${p.message}`));
  return lines;
}

export function catalogueHasProblems(check: CatalogueCheck): boolean {
  return check.files.some((file) => file.problems.length > 0) || check.configProblems.length > 0;
}

function yamlFiles(folder: string): string[] {
  if (!existsSync(folder)) throw new ConfigError(folder, [{ path: '(folder)', message: 'no such folder' }]);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort()
    .map((name) => path.join(folder, name));
}

function readFile(
  file: string,
  kind: CatalogueFileCheck['kind'],
  schema: TSchema,
): { check: CatalogueFileCheck; raw: unknown } {
  const check: CatalogueFileCheck = { file, kind, id: null, problems: [], warnings: [] };
  const document = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  if (document.errors.length > 0) {
    check.problems = document.errors.map((error) => ({
      path: '(YAML syntax)',
      message: error.message.split('\n')[0] ?? '',
    }));
    return { check, raw: null };
  }
  const raw = document.toJS() as unknown;
  check.problems = schemaProblems(schema, raw);
  if (check.problems.length > 0) return { check, raw: null };
  check.id = (raw as { id: string }).id;
  return { check, raw };
}

function uniqueIds(parsed: { check: CatalogueFileCheck; raw: unknown }[]): void {
  const owners = new Map<string, string>();
  for (const entry of parsed) {
    const id = entry.check.id;
    if (id === null) continue;
    const owner = owners.get(id);
    if (owner === undefined) owners.set(id, entry.check.file);
    else {
      entry.check.problems.push({
        path: 'id',
        message: `${entry.check.kind} "${id}" is also defined in ${path.basename(owner)}`,
      });
      entry.raw = null;
    }
  }
}

function toFrictionPoint(raw: FrictionFile, file: string): FrictionPoint {
  return {
    id: raw.id,
    title: raw.title,
    description: raw.description ?? null,
    directFix: raw.directFix,
    surveyDrivers: raw.evidence.surveyDrivers ?? [],
    surveyHours: raw.evidence.surveyHours ?? [],
    ticketCategories: raw.evidence.ticketCategories ?? [],
    delivery: (raw.evidence.delivery ?? []).map((d) => ({
      measure: d.measure,
      factor: d.factor,
      why: d.why ?? null,
    })),
    file,
  };
}

function toCapability(raw: CapabilityFile, file: string): Capability {
  return {
    id: raw.id,
    title: raw.title,
    description: raw.description ?? null,
    addresses: raw.addresses,
    effortTeamWeeks: raw.effortTeamWeeks,
    prerequisites: raw.prerequisites ?? [],
    surveyVote: raw.surveyVote ?? null,
    file,
  };
}

function duplicates(values: readonly string[]): { index: number; value: string }[] {
  return values.flatMap((value, index) => (values.indexOf(value) < index ? [{ index, value }] : []));
}

function frictionProblems(
  point: FrictionPoint,
  hoursCategories: ReadonlySet<string>,
  ticketCategories: ReadonlySet<string>,
  check: CatalogueFileCheck,
): void {
  const problem = (at: string, message: string) => check.problems.push({ path: at, message });
  const drivers = SURVEY_DRIVERS.map((d) => d.id);
  point.surveyDrivers.forEach((driver, i) => {
    if (!drivers.includes(driver))
      problem(
        `evidence.surveyDrivers[${i}]`,
        `unknown survey driver "${driver}"; known: ${drivers.join(', ')}`,
      );
  });
  point.surveyHours.forEach((category, i) => {
    if (!hoursCategories.has(category))
      problem(
        `evidence.surveyHours[${i}]`,
        `no survey asks about hours lost to "${category}"; asked: ${[...hoursCategories].join(', ')}`,
      );
  });
  point.ticketCategories.forEach((category, i) => {
    if (!ticketCategories.has(category))
      check.warnings.push({
        path: `evidence.ticketCategories[${i}]`,
        message: `ticket category "${category}" is not configured (tickets.categories); it counts no tickets`,
      });
  });
  point.delivery.forEach((evidence, i) => {
    if (!FRICTION_MEASURES.has(evidence.measure))
      problem(
        `evidence.delivery[${i}].measure`,
        `${isMetricKey(evidence.measure) ? 'metric' : 'unknown metric'} "${evidence.measure}" cannot measure hours lost; use one of ${[...FRICTION_MEASURES.keys()].join(', ')}`,
      );
  });
  for (const [list, values] of [
    ['surveyDrivers', point.surveyDrivers],
    ['surveyHours', point.surveyHours],
    ['ticketCategories', point.ticketCategories],
    ['delivery', point.delivery.map((d) => d.measure)],
  ] as const)
    for (const { index, value } of duplicates(values))
      problem(`evidence.${list}[${index}]`, `"${value}" is listed twice`);
  const sources =
    point.surveyDrivers.length +
    point.surveyHours.length +
    point.ticketCategories.length +
    point.delivery.length;
  if (sources === 0)
    problem(
      'evidence',
      'give at least one survey driver, hours category, ticket category or delivery measure',
    );
}

function capabilityProblems(
  capability: Capability,
  frictionIds: ReadonlySet<string>,
  surveys: readonly Survey[],
  check: CatalogueFileCheck,
): void {
  const problem = (at: string, message: string) => check.problems.push({ path: at, message });
  capability.addresses.forEach((address, i) => {
    if (!frictionIds.has(address.friction))
      problem(
        `addresses[${i}].friction`,
        `unknown friction point "${address.friction}"; known: ${[...frictionIds].join(', ')}`,
      );
    if (!(address.share > 0 && address.share <= 1))
      problem(
        `addresses[${i}].share`,
        `${address.share} is not a share: give a number above 0 and at most 1`,
      );
  });
  for (const { index, value } of duplicates(capability.addresses.map((a) => a.friction)))
    problem(`addresses[${index}].friction`, `"${value}" is listed twice`);
  capability.prerequisites.forEach((prerequisite, i) => {
    if ('capability' in prerequisite && prerequisite.capability === capability.id)
      problem(`prerequisites[${i}].capability`, 'a capability cannot be its own prerequisite');
  });
  const vote = capability.surveyVote;
  if (vote) {
    const question = surveys
      .flatMap((s) => s.questions)
      .find((q) => q.key === vote.question && (q.kind === 'multiple-choice' || q.kind === 'single-choice'));
    if (!question) problem('surveyVote.question', `no survey has a choice question "${vote.question}"`);
    else if ('options' in question && !question.options.some((o) => o.key === vote.option))
      problem(
        'surveyVote.option',
        `"${vote.question}" has no option "${vote.option}"; options: ${question.options.map((o) => o.key).join(', ')}`,
      );
  }
}

/** The first cycle through `start`'s prerequisites, with the index of the prerequisite that enters it. */
function prerequisiteCycle(
  start: string,
  capabilities: readonly Capability[],
): { index: number; path: string[] } | null {
  const byId = new Map(capabilities.map((c) => [c.id, c]));
  const needs = (id: string) =>
    (byId.get(id)?.prerequisites ?? []).flatMap((p) => ('capability' in p ? [p.capability] : []));
  const first = byId.get(start)?.prerequisites ?? [];
  for (const [index, prerequisite] of first.entries()) {
    if (!('capability' in prerequisite) || prerequisite.capability === start) continue;
    // Depth-first from this prerequisite, looking for a way back to start.
    const stack: string[][] = [[start, prerequisite.capability]];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const trail = stack.pop()!;
      const at = trail[trail.length - 1]!;
      if (at === start) return { index, path: trail };
      if (seen.has(at)) continue;
      seen.add(at);
      for (const next of needs(at)) stack.push([...trail, next]);
    }
  }
  return null;
}
