import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { buildAuthApp } from '../../test/auth-app.ts';
import { createTestToken } from '../../test/ingest-app.ts';
import { openTestDatabase } from '../../test/test-database.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';

// Every route in /openapi.json, fed hostile input, with and without credentials: any answer but a 5xx.
const now = new Date('2026-11-20T12:00:00Z');
let handle: DatabaseHandle;
let app: FastifyTypebox;
let admin: string;

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
}

before(async () => {
  handle = await openTestDatabase();
  // Collectors point at a closed local port: an accepted run must not reach out.
  app = await buildAuthApp(handle, {
    now,
    auth: { mode: 'token' },
    env: { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_TOKEN: 'unused' },
  });
  admin = await createTestToken(handle, 'battery', 'admin');
});
after(async () => {
  await app.close();
  await handle.close();
});

const HOSTILE_STRINGS = [
  'a\u0000b',
  '\ud800',
  '1e309',
  '-1e20',
  '2016-12-31T23:59:60Z',
  '0001-01-01T00:00:00Z',
  'x'.repeat(5000),
  "' or 1=1 --",
];
const HOSTILE_BODIES: { payload: string; type: string }[] = [
  { payload: '{', type: 'application/json' },
  { payload: 'null', type: 'application/json' },
  { payload: '[]', type: 'application/json' },
  { payload: '{"__proto__":{"x":1}}', type: 'application/json' },
  { payload: '['.repeat(20000) + ']'.repeat(20000), type: 'application/json' },
  {
    payload: JSON.stringify([{ id: 'a\u0000', title: '\ud800', startedAt: '2016-12-31T23:59:60Z' }]),
    type: 'application/json',
  },
  {
    payload: JSON.stringify({
      since: '2026-02-30',
      repository: 'a/b',
      name: 'x',
      scope: 'read',
      token: 'gw_x',
    }),
    type: 'application/json',
  },
  { payload: 'a,b\n1,2', type: 'text/csv' },
  { payload: 'plain', type: 'text/plain' },
];

/** A lone surrogate has no UTF-8 form: sent as the bytes a careless encoder would produce (ED A0 80). */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};

function requestsFor(path: string, method: string, operation: Operation): InjectOptions[] {
  const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const fill = (value: string) =>
    pathParams.reduce((url, name) => url.replace(`{${name}}`, encode(value)), path);
  const requests: InjectOptions[] = [];
  for (const value of pathParams.length > 0 ? ['', ...HOSTILE_STRINGS] : ['']) {
    const url = fill(value || 'payments');
    requests.push({ method: method as InjectOptions['method'], url });
    for (const name of queryParams) {
      // Every hostile value in each query parameter once; with a hostile path, the query is left alone.
      for (const hostile of value ? [] : HOSTILE_STRINGS) {
        requests.push({
          method: method as InjectOptions['method'],
          url: `${url}?${name}=${encode(hostile)}`,
        });
      }
    }
  }
  if (method !== 'get') {
    const url = fill('devex-2026-q4');
    for (const body of HOSTILE_BODIES) {
      requests.push({
        method: method as InjectOptions['method'],
        url,
        payload: body.payload,
        headers: { 'content-type': body.type },
      });
    }
  }
  return requests;
}

describe('the bad-input battery over every route in /openapi.json', () => {
  test('gives no 5xx, with and without credentials', async () => {
    const spec = await app.inject({ url: '/openapi.json', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(spec.statusCode, 200);
    const paths = spec.json().paths as Record<string, Record<string, Operation>>;
    const failures: string[] = [];
    let sent = 0;
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const request of requestsFor(path, method, operation)) {
          for (const credentials of [{}, { authorization: `Bearer ${admin}` }]) {
            const response = await app.inject({
              ...request,
              headers: { ...request.headers, ...credentials },
            });
            sent++;
            if (response.statusCode >= 500) {
              failures.push(
                `${response.statusCode} ${request.method} ${String(request.url).slice(0, 120)}: ${response.body.slice(0, 200)}`,
              );
            }
          }
        }
      }
    }
    assert.ok(Object.keys(paths).length >= 20, `${Object.keys(paths).length} paths in the spec`);
    assert.ok(sent > 500, `${sent} requests`);
    assert.deepEqual(failures, [], `${failures.length} of ${sent} requests were 5xx`);
  });
});
