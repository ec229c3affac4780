import { stringify } from 'csv-stringify/sync';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redactTitlesInRows } from '../auth/title-policy.ts';

/** `{ a: { b: 1 } }` → `{ 'a.b': 1 }`; arrays become JSON text so each row stays one CSV line. */
export function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child instanceof Date) flat[path] = child.toISOString();
    else if (Array.isArray(child)) flat[path] = JSON.stringify(child);
    else if (child !== null && typeof child === 'object')
      Object.assign(flat, flatten(child as Record<string, unknown>, path));
    else flat[path] = child;
  }
  return flat;
}

export function wantsCsv(request: FastifyRequest): boolean {
  return (
    /\btext\/csv\b/.test(request.headers.accept ?? '') ||
    (request.query as { format?: string }).format === 'csv'
  );
}

/** Replies with CSV (one flattened row per item, columns from every row) when the client asked for it. */
export function sendCsv(
  reply: FastifyReply,
  rows: Record<string, unknown>[],
  filename: string,
): FastifyReply {
  // The same title policy as JSON replies (server/auth/title-policy.ts).
  const visible = redactTitlesInRows(reply.request, reply.request.authMode ?? 'token', rows);
  const flatRows = visible.map((row) => flatten(row));
  const columns = [...new Set(flatRows.flatMap((row) => Object.keys(row)))];
  const csv = stringify(flatRows, { header: true, columns, cast: { boolean: (b) => String(b) } });
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(csv);
}
