import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../errors.ts';

export interface AdmissionLimits {
  /** API requests served at once: about what the connection pool can run without queueing on it. */
  active: number;
  /** API requests waiting for a turn; beyond this a request is answered 429 at once. */
  queued: number;
  /** How long a request waits for a turn before it is answered 429 (below the pool's 10 s timeout). */
  maxWaitMs: number;
}

export const RETRY_AFTER_SECONDS = 1;

/**
 * Bounded admission for `/api/` requests: at most `active` run at once, at most `queued` wait (first come,
 * first served), and a request that finds the queue full, or waits longer than `maxWaitMs`, gets a
 * 429 with `Retry-After`. Under a burst (50 dashboards opening the overview) clients are told to come back
 * rather than every request joining the connection pool's queue until it times out into a 500.
 * Health checks are not API requests and are never refused.
 */
export function registerAdmission(app: FastifyInstance, limits: AdmissionLimits): void {
  let active = 0;
  const waiting: { admit: (turn: boolean) => void; request: FastifyRequest }[] = [];
  const admitted = new WeakSet<FastifyRequest>();

  const release = (request: FastifyRequest) => {
    if (!admitted.delete(request)) return;
    const next = waiting.shift();
    if (next) {
      admitted.add(next.request);
      next.admit(true);
    } else active -= 1;
  };
  const busy = (reply: FastifyReply, message: string) =>
    reply
      .status(429)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send({ error: { code: 'BUSY', message } } satisfies ErrorBody);

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    if (active < limits.active) {
      active += 1;
      admitted.add(request);
      return;
    }
    if (waiting.length >= limits.queued) {
      return busy(reply, `the server is busy: retry in ${RETRY_AFTER_SECONDS} s`);
    }
    const turn = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        const index = waiting.indexOf(entry);
        if (index !== -1) waiting.splice(index, 1);
        resolve(false);
      }, limits.maxWaitMs);
      const entry = {
        admit: (admitted: boolean) => {
          clearTimeout(timer);
          resolve(admitted);
        },
        request,
      };
      waiting.push(entry);
    });
    if (!turn) return busy(reply, `the server is busy: retry in ${RETRY_AFTER_SECONDS} s`);
  });
  app.addHook('onResponse', async (request) => release(request));
  // A client that gave up: its turn goes to the next request (onResponse does not follow an abort).
  app.addHook('onRequestAbort', async (request) => {
    const index = waiting.findIndex((entry) => entry.request === request);
    if (index !== -1) waiting.splice(index, 1)[0]?.admit(false);
    release(request);
  });
}
