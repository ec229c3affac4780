import Value from 'typebox/value';
import { Settings } from 'typebox/system';
import type { TSchema } from 'typebox';

/** One problem in a configuration document, named by its key path (`teams[0].repositories`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Every problem of one configuration source (a file, the environment), each with its key path. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `Invalid configuration in ${source}:\n` + problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** `/teams/0/slug` → `teams[0].slug`. */
export function keyPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function schemaAt(root: TSchema, schemaPath: string): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const part of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}

function describeUnion(schema: Record<string, unknown> | undefined): string {
  const branches = (schema?.['anyOf'] as Record<string, unknown>[] | undefined) ?? [];
  const names = branches.map((branch) =>
    branch['type'] === 'object'
      ? `an object with ${Object.keys((branch['properties'] as object) ?? {}).join(', ')}`
      : String(branch['description'] ?? branch['type']),
  );
  return names.length ? `expected ${names.join(' or ')}` : 'has the wrong shape';
}

/**
 * Validates `value` against `schema` and returns every problem with its key path and what was expected.
 * Errors inside a union's branches are folded into one "expected X or Y" message.
 */
/** TypeBox buffers 8 errors by default; a config file deserves to hear about all of them at once. */
function allErrors(schema: TSchema, value: unknown) {
  const { maxErrors } = Settings.Get();
  Settings.Set({ maxErrors: 500 });
  try {
    return [...Value.Errors(schema, value)];
  } finally {
    Settings.Set({ maxErrors });
  }
}

export function schemaProblems(schema: TSchema, value: unknown): ConfigProblem[] {
  const errors = allErrors(schema, value);
  const unions = errors.filter((e) => e.keyword === 'anyOf');
  // Within a union, keep only the errors of the branch whose type matches the value (an object given
  // where a string-or-object is allowed is judged as the object); with no such branch, one message.
  const matchingBranch = (schemaPath: string, unionPointer: string): boolean => {
    const branchPath = /^(.*\/anyOf\/\d+)/.exec(schemaPath)?.[1];
    const branch = branchPath ? schemaAt(schema, branchPath) : undefined;
    return branch?.['type'] === jsonType(valueAt(value, unionPointer));
  };
  const unionOf = (pointer: string) =>
    unions.filter((u) => pointer === u.instancePath || pointer.startsWith(`${u.instancePath}/`)).at(-1);
  const problems: ConfigProblem[] = [];
  for (const error of errors) {
    if (error.keyword === 'boolean') continue; // repeated by the additionalProperties error
    const union = unionOf(error.instancePath);
    if (error.keyword === 'anyOf') {
      const resolved = errors.some(
        (e) =>
          e !== error &&
          e.schemaPath.startsWith(`${error.schemaPath}/anyOf/`) &&
          matchingBranch(e.schemaPath, error.instancePath),
      );
      if (!resolved)
        problems.push({
          path: keyPath(error.instancePath),
          message: describeUnion(schemaAt(schema, error.schemaPath)),
        });
      continue;
    }
    if (union && !matchingBranch(error.schemaPath, union.instancePath)) continue;
    problems.push(...describeError(schema, value, error));
  }
  return problems;
}

function describeError(
  schema: TSchema,
  value: unknown,
  error: { keyword: string; instancePath: string; schemaPath: string; params: unknown; message: string },
): ConfigProblem[] {
  const path = keyPath(error.instancePath);
  const child = (key: string) => (path ? `${path}.${key}` : key);
  const at = schemaAt(schema, error.schemaPath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const allowed = Object.keys((at?.['properties'] as object) ?? {}).join(', ');
      return ((params['additionalProperties'] as string[]) ?? []).map((key) => ({
        path: child(key),
        message: `unknown key (allowed here: ${allowed})`,
      }));
    }
    case 'required':
      return ((params['requiredProperties'] as string[]) ?? []).map((key) => ({
        path: child(key),
        message: 'is required',
      }));
    case 'pattern':
      return [
        {
          path,
          message: `expected ${String(at?.['description'] ?? `to match ${String(params['pattern'])}`)}`,
        },
      ];
    case 'enum':
      return [
        {
          path,
          message: `expected one of ${((params['allowedValues'] as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(valueAt(value, error.instancePath))}`,
        },
      ];
    case 'type':
      return [
        {
          path,
          message: `expected ${String(params['type'])}, got ${describeValue(valueAt(value, error.instancePath))}`,
        },
      ];
    default:
      return [{ path: path || '(top level)', message: error.message }];
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const part of pointer.split('/').slice(1))
    node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

function jsonType(node: unknown): string {
  if (node === null) return 'null';
  if (Array.isArray(node)) return 'array';
  if (typeof node === 'number') return Number.isInteger(node) ? 'integer' : 'number';
  return typeof node;
}

function describeValue(node: unknown): string {
  if (node === null) return 'null';
  if (Array.isArray(node)) return 'a list';
  return typeof node === 'object' ? 'an object' : `${typeof node} ${JSON.stringify(node)}`;
}
