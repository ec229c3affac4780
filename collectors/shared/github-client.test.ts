import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../server/clock.ts';
import { startGithubTestServer } from '../../test/github-graphql-server.ts';
import type { GithubTestServer } from '../../test/github-graphql-server.ts';
import { createGithubClient } from './github-client.ts';

const PING = 'query Ping { rateLimit { cost remaining resetAt } }';
const now = new Date('2026-11-25T12:00:00Z');

let server: GithubTestServer;
before(async () => {
  server = await startGithubTestServer([]);
});
after(() => server.close());

function client(options: { maxRetries?: number; reserve?: number } = {}) {
  const waits: number[] = [];
  const github = createGithubClient({
    baseUrl: server.url,
    token: 'test-token',
    clock: fixedClock(now),
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    minRequestSpacingMs: 0,
    maxRetries: options.maxRetries ?? 4,
    rateLimitReserve: options.reserve ?? 100,
  });
  return { github, waits };
}

describe('the shared GitHub client (plugins decide, the injected sleep waits)', () => {
  test('a 502, a secondary-limit 403 with retry-after: 1 and a RATE_LIMITED 200 are each retried', async () => {
    server.received.length = 0;
    server.rateLimit.resetAt = new Date(Date.now() + 3_600_000);
    server.faults.push(
      { kind: 'bad-gateway' },
      { kind: 'secondary-rate-limit', retryAfterSeconds: 1 },
      { kind: 'rate-limited' },
    );
    const { github, waits } = client();
    const result = await github.graphql<{ rateLimit: { cost: number } }>(PING, {});
    assert.equal(result.rateLimit.cost, 1);
    assert.equal(server.faults.length, 0);
    assert.equal(server.received.length, 1, 'one query answered after three faults');
    assert.equal(github.usage.requests, 4);
    assert.equal(github.usage.retries, 3);
    assert.equal(github.usage.pointsSpent, 1);
    // 502: backoff base 1,000 ms × 2^0 (jitter 0). Secondary: retry-after 1 s. RATE_LIMITED: x-ratelimit-reset
    // is about 1 s away and the plugin adds 1 s: 1–3 s.
    assert.equal(waits.length, 3);
    assert.equal(waits[0], 1000);
    assert.equal(waits[1], 1000);
    assert.ok((waits[2] ?? 0) >= 1000 && (waits[2] ?? 0) <= 3000, `waited ${waits[2]} ms`);
  });

  test('retries are bounded: a persistent 502 fails after maxRetries', async () => {
    server.faults.push(...Array.from({ length: 5 }, () => ({ kind: 'bad-gateway' as const })));
    const { github, waits } = client({ maxRetries: 2 });
    await assert.rejects(
      github.graphql(PING, {}),
      (error: Error & { status?: number }) => error.status === 502,
    );
    // two retries, exponential: 1,000 then 2,000 ms
    assert.deepEqual(waits, [1000, 2000]);
    server.faults.length = 0;
  });

  test('below the reserve it sleeps until resetAt before the next query', async () => {
    server.rateLimit.remaining = 60;
    server.rateLimit.resetAt = new Date(now.getTime() + 30_000);
    const { github, waits } = client({ reserve: 100 });
    await github.graphql(PING, {});
    assert.equal(github.usage.remaining, 59);
    assert.deepEqual(waits, [31_000]); // reset 30 s after the fixed now, plus 1 s
    server.rateLimit.remaining = 5000;
  });
});
