import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import Fastify from 'fastify';
import { registerAdmission } from './admission.ts';

// A route that holds its turn until released, so the test decides when requests finish.
const app = Fastify();
const holds: (() => void)[] = [];
registerAdmission(app, { active: 2, queued: 2, maxWaitMs: 300 });
app.get(
  '/api/v1/slow',
  () => new Promise<{ ok: true }>((resolve) => holds.push(() => resolve({ ok: true }))),
);
app.get('/healthz', async () => ({ status: 'ok' }));
after(async () => app.close());

const get = (url = '/api/v1/slow') => app.inject({ method: 'GET', url });
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('bounded admission of API requests', () => {
  test('two run, two wait their turn, the fifth is told to retry; health checks always pass', async () => {
    const running = [get(), get()];
    await until(() => holds.length === 2);
    const queued = [get(), get()];
    await new Promise((resolve) => setTimeout(resolve, 50)); // both in the queue
    const refused = await get();
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['retry-after'], '1');
    assert.equal(refused.json().error.code, 'BUSY');
    assert.equal((await get('/healthz')).statusCode, 200);

    holds.splice(0).forEach((release) => release()); // the running two finish: the queued two get turns
    assert.deepEqual(
      (await Promise.all(running)).map((r) => r.statusCode),
      [200, 200],
    );
    await until(() => holds.length === 2);
    holds.splice(0).forEach((release) => release());
    assert.deepEqual(
      (await Promise.all(queued)).map((r) => r.statusCode),
      [200, 200],
    );
  });

  test('a request that waits longer than allowed is answered 429 rather than left to time out', async () => {
    const running = [get(), get()];
    await until(() => holds.length === 2);
    const waited = await get();
    assert.equal(waited.statusCode, 429);
    holds.splice(0).forEach((release) => release());
    await Promise.all(running);
    // Its slot was not leaked: two new requests run at once again.
    const again = [get(), get()];
    await until(() => holds.length === 2);
    holds.splice(0).forEach((release) => release());
    assert.deepEqual(
      (await Promise.all(again)).map((r) => r.statusCode),
      [200, 200],
    );
  });
});
