import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { dataVersion } from '../cache/shared-figures.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/tables.ts';
import { wantsCsv } from '../routes/csv.ts';

const gzipAsync = promisify(gzip);

/**
 * The dashboard's read routes whose answers depend only on the URL, the caller's role and teams, the data
 * and the time: their JSON is kept, serialised and gzipped, per data version (docs/performance.md).
 */
export const CACHED_ROUTES: ReadonlySet<string> = new Set([
  '/api/v1/teams',
  '/api/v1/metrics',
  '/api/v1/metrics/:metric/samples',
  '/api/v1/teams/:team/metrics',
  '/api/v1/teams/:team/metrics/series',
  '/api/v1/teams/:team/metrics/:metric/samples',
  '/api/v1/scorecards',
  '/api/v1/teams/:team/scorecards',
  '/api/v1/surveys',
  '/api/v1/surveys/:id/results',
  '/api/v1/tickets/wait-times',
  '/api/v1/tickets/wait-times/series',
  '/api/v1/tickets/wait-times/tickets',
  '/api/v1/friction',
  '/api/v1/recommendations',
  '/api/v1/readiness',
  '/api/v1/data-sources',
]);

interface Entry {
  key: string;
  contentType: string;
  body: string;
  gzipped: Promise<Buffer> | null;
  bytes: number;
}

interface Slot {
  key: string;
  hit: boolean;
}

/**
 * At 200 teams the overview's answers are megabytes of JSON (all teams' scorecards alone are 2 MB): with
 * the figures already shared, serialising and writing them again for every viewer was what kept the
 * overview at seconds under ten clients. Each answer is kept as it was sent — its JSON once, gzipped on
 * first demand (off the event loop) — under the URL, whether CSV was asked for, the caller's role and teams
 * (titles are redacted per caller) and the data version read before the handler ran (as SharedFigures does:
 * an answer never sits under a newer version than the data it saw). The clock's minute is in the key too, so
 * rolling periods and "as of" times are at most a minute old, as the shared figures allow. Least recently
 * used answers go first beyond `maxBytes`. Answers say `x-cache: hit` or `miss`.
 * A kept answer is sent from the first preHandler hook: access is decided before it (the access-control
 * hook, a route's preValidation), so a route with a check of its own in preHandler must not be listed.
 */
export function registerResponseCache(
  app: FastifyInstance,
  options: { db: Kysely<Database>; clock: Clock; maxBytes: number; reuseMs: number },
): void {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const slots = new WeakMap<FastifyRequest, Slot>();
  // Requests arriving before the next version read is sent share it: sent after each of them arrived, it
  // sees every write committed before they were made (a client reads its own writes), and a burst of forty
  // dashboard calls costs one round trip instead of forty.
  let nextVersion: Promise<string> | null = null;
  const currentVersion = () =>
    (nextVersion ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      nextVersion = null;
      return dataVersion(options.db);
    }));

  const remember = (entry: Entry) => {
    const old = entries.get(entry.key);
    if (old) bytes -= old.bytes;
    entries.delete(entry.key);
    entries.set(entry.key, entry);
    bytes += entry.bytes;
    for (const [oldest, stale] of entries) {
      if (bytes <= options.maxBytes) break;
      entries.delete(oldest);
      bytes -= stale.bytes;
    }
  };

  const send = async (request: FastifyRequest, reply: FastifyReply, entry: Entry) => {
    reply.header('content-type', entry.contentType).header('vary', 'accept-encoding');
    if (!acceptsGzip(request)) return entry.body;
    entry.gzipped ??= gzipAsync(entry.body).then((zipped) => {
      entry.bytes += zipped.length;
      if (entries.get(entry.key) === entry) bytes += zipped.length;
      return zipped;
    });
    const zipped = await entry.gzipped;
    reply.header('content-encoding', 'gzip');
    return zipped;
  };

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' || !CACHED_ROUTES.has(request.routeOptions.url ?? '')) return;
    const principal = request.principal;
    const minute = Math.floor(options.clock.now().getTime() / options.reuseMs);
    const version = await currentVersion();
    // Whether CSV was asked for (`Accept: text/csv` asks the same URL for it), not the Accept header itself:
    // browsers and HTTP clients each send their own, and every variant missed once.
    const key = [
      request.url,
      wantsCsv(request) ? 'csv' : 'json',
      principal?.role,
      principal?.teams.join(','),
      minute,
      version,
    ].join('\u0000');
    const found = entries.get(key);
    slots.set(request, { key, hit: found !== undefined });
    if (!found) return;
    entries.delete(key); // most recently used last
    entries.set(key, found);
    reply.header('x-cache', 'hit');
    return reply.send(await send(request, reply, found));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const slot = slots.get(request);
    if (!slot || slot.hit) return payload;
    reply.header('x-cache', 'miss');
    const contentType = String(reply.getHeader('content-type') ?? '');
    if (
      reply.statusCode !== 200 ||
      typeof payload !== 'string' ||
      !contentType.startsWith('application/json')
    )
      return payload;
    const entry: Entry = { key: slot.key, contentType, body: payload, gzipped: null, bytes: payload.length };
    remember(entry);
    return send(request, reply, entry);
  });
}

/** Whether the caller takes gzip (`Accept-Encoding: gzip`, not at q=0). */
function acceptsGzip(request: FastifyRequest): boolean {
  return String(request.headers['accept-encoding'] ?? '')
    .split(',')
    .some((part) => {
      const [coding, ...parameters] = part.split(';').map((text) => text.trim());
      const q = parameters.find((parameter) => parameter.startsWith('q='));
      return coding === 'gzip' && (q === undefined || Number(q.slice(2)) > 0);
    });
}
