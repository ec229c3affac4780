import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
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

  test('a dropped connection is retried with backoff; a secondary limit may come as a 429', async () => {
    server.faults.push(
      { kind: 'connection-reset' },
      { kind: 'secondary-rate-limit', retryAfterSeconds: 3, status: 429 },
    );
    const { github, waits } = client();
    await github.graphql(PING, {});
    assert.equal(server.faults.length, 0);
    // the network error: backoff 1,000 ms; the 429: its retry-after, 3 s
    assert.deepEqual(waits, [1000, 3000]);
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

  test('backoff starts afresh for every request: after a retried 502 the next request waits for nothing', async () => {
    server.faults.push({ kind: 'bad-gateway' });
    const { github, waits } = client();
    await github.graphql(PING, {});
    assert.deepEqual(waits, [1000], 'the 502 was retried once, after the base backoff');
    await github.graphql(PING, {});
    await github.graphql(PING, {});
    assert.deepEqual(waits, [1000], 'later requests were not delayed');
    assert.equal(github.usage.retries, 1);
    // A second failure backs off from the base again, not from where the first left off.
    server.faults.push({ kind: 'bad-gateway' });
    await github.graphql(PING, {});
    assert.deepEqual(waits, [1000, 1000]);
  });

  test('rate-limit waits follow the wall clock, not a pinned clock', async () => {
    // The injected clock is pinned far in the past (GROUNDWORK_NOW for a reproducible demo): a wait computed
    // from it would last days.
    server.rateLimit.remaining = 60;
    server.rateLimit.resetAt = new Date(Date.now() + 30_000);
    const waits: number[] = [];
    const github = createGithubClient({
      baseUrl: server.url,
      token: 'test-token',
      clock: fixedClock(new Date('2020-01-01T00:00:00Z')),
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0,
      minRequestSpacingMs: 0,
      rateLimitReserve: 100,
    });
    await github.graphql(PING, {});
    assert.equal(waits.length, 1);
    assert.ok((waits[0] ?? 0) > 25_000 && (waits[0] ?? 0) <= 31_000, `waited ${waits[0]} ms`);
    server.rateLimit.remaining = 5000;
  });

  test('below the reserve it sleeps until resetAt before the next query', async () => {
    server.rateLimit.remaining = 60;
    server.rateLimit.resetAt = new Date(Date.now() + 30_000);
    const { github, waits } = client({ reserve: 100 });
    await github.graphql(PING, {});
    assert.equal(github.usage.remaining, 59);
    // reset about 30 s from now (the server answers in whole seconds), plus 1 s
    assert.equal(waits.length, 1);
    assert.ok((waits[0] ?? 0) > 25_000 && (waits[0] ?? 0) <= 31_000, `waited ${waits[0]} ms`);
    server.rateLimit.remaining = 5000;
  });
});

describe('GitHub App installation tokens (@octokit/auth-app)', () => {
  test('a token is bought with the signed JWT, reused, and renewed when the hour is up on the clock', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    server.app = {
      appId: '4242',
      installationId: 77,
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    server.tokens = new Set();
    server.issuedTokens.length = 0;
    let now = new Date('2026-11-25T12:00:00Z');
    const github = createGithubClient({
      baseUrl: server.url,
      token: null,
      // GitHub hands out PKCS#1 keys ("BEGIN RSA PRIVATE KEY").
      app: {
        appId: '4242',
        installationId: 77,
        privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      },
      clock: { now: () => now },
      sleep: async () => undefined,
      minRequestSpacingMs: 0,
    });
    try {
      await github.graphql(PING, {});
      await github.graphql(PING, {});
      assert.deepEqual(server.issuedTokens, ['ghs_test1'], 'one token for both queries');
      now = new Date(now.getTime() + 59 * 60_000);
      await github.graphql(PING, {});
      assert.deepEqual(server.issuedTokens, ['ghs_test1', 'ghs_test2'], 'renewed before the hour ran out');
      // Only installation tokens were accepted for the queries themselves.
      assert.equal(github.usage.pointsSpent, 3);
    } finally {
      server.app = null;
      server.tokens = null;
    }
  });

  test('a key that is not the app’s gets no token: the query fails with 401', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    server.app = {
      appId: '4242',
      installationId: 77,
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    try {
      const github = createGithubClient({
        baseUrl: server.url,
        token: null,
        app: {
          appId: 4242,
          installationId: 77,
          privateKey: otherKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
        clock: fixedClock(now),
        sleep: async () => undefined,
        minRequestSpacingMs: 0,
      });
      await assert.rejects(
        github.graphql(PING, {}),
        (error: Error & { status?: number }) => error.status === 401,
      );
    } finally {
      server.app = null;
    }
  });
});

describe('REST through the same client', () => {
  test('a workflow-run listing is retried past a 502 and a secondary limit, with the API version pinned', async () => {
    server.repositories = [
      {
        nameWithOwner: 'acme/api',
        history: [],
        pullRequests: [],
        deployments: [],
        workflowRuns: [
          {
            id: 9,
            workflow: 'deploy.yml',
            headSha: 'abc',
            branch: 'main',
            status: 'completed',
            conclusion: 'success',
            createdAt: '2026-11-20T10:00:00Z',
            updatedAt: '2026-11-20T10:05:00Z',
          },
        ],
      },
    ];
    server.faults.push({ kind: 'bad-gateway' }, { kind: 'secondary-rate-limit', retryAfterSeconds: 1 });
    const { github, waits } = client();
    const runs = await github.request<{ total_count: number; workflow_runs: { id: number }[] }>(
      'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
      { owner: 'acme', repo: 'api', workflow_id: 'deploy.yml', status: 'success', per_page: 100 },
    );
    assert.deepEqual(
      runs.workflow_runs.map((run) => run.id),
      [9],
    );
    assert.deepEqual(waits, [1000, 1000]);
    assert.match(server.restReceived.at(-1)?.request ?? '', /status=success/);
    assert.equal(server.restReceived.at(-1)?.apiVersion, '2022-11-28');
  });

  test('a request without credentials is refused (401), not retried', async () => {
    const github = createGithubClient({
      baseUrl: server.url,
      token: null,
      clock: fixedClock(now),
      sleep: async () => assert.fail('no retry'),
      minRequestSpacingMs: 0,
    });
    await assert.rejects(
      github.graphql(PING, {}),
      (error: Error & { status?: number }) => error.status === 401,
    );
  });
});
