import type { FastifyTypebox } from '../server/app.ts';

/** Every GET route of `app` (from its OpenAPI document), each `:param` filled in with each of `values[param]`. */
export async function everyGetRoute(
  app: FastifyTypebox,
  values: Record<string, string[]>,
): Promise<string[]> {
  await app.ready();
  const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths)
    .filter(([, operations]) => 'get' in operations)
    .flatMap(([template]) => expand(template.replace(/\{(\w+)\}/g, ':$1'), values));
}

function expand(template: string, values: Record<string, string[]>): string[] {
  const match = /:(\w+)/.exec(template);
  if (!match) return [template];
  return (values[match[1]!] ?? []).flatMap((value) =>
    expand(template.replace(match[0], encodeURIComponent(value)), values),
  );
}

/** Visits every value of a JSON document, depth first, with its path (`.teams[0].slug`). */
export function walk(value: unknown, path: string, visit: (path: string, value: unknown) => void): void {
  visit(path, value);
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`, visit);
}
