import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase } from '../../test/test-database.ts';
import { buildIngestApp, createTestToken, postJson } from '../../test/ingest-app.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';

const now = new Date('2026-11-20T12:00:00Z');
let handle: DatabaseHandle;
/** Infers incident causes within 24 hours. */
let app: FastifyTypebox;
/** The same database, configured without inference. */
let appWithoutInference: FastifyTypebox;
let token: string;

const deployment = (
  id: string,
  service: string,
  finishedAt: string,
  overrides: Record<string, unknown> = {},
) => ({
  id,
  service,
  environment: 'production',
  sha: 'abcdef1234567',
  status: 'success',
  startedAt: finishedAt,
  finishedAt,
  ...overrides,
});
const incident = (
  id: string,
  service: string,
  startedAt: string,
  overrides: Record<string, unknown> = {},
) => ({
  id,
  service,
  startedAt,
  resolvedAt: null,
  severity: 'sev2',
  ...overrides,
});

async function send(kind: 'deployments' | 'incidents', body: unknown, via = app) {
  const response = await via.inject(postJson(`/api/v1/events/${kind}`, body, { token }));
  assert.ok([200, 202].includes(response.statusCode), response.body);
  return response;
}

async function stored(externalId: string) {
  return handle.db
    .selectFrom('incidents')
    .leftJoin('deployments', 'deployments.id', 'incidents.deploymentId')
    .select([
      'incidents.resolvedAt',
      'incidents.deploymentLink',
      'deployments.externalId as cause',
      'incidents.teamAttribution',
      'incidents.updatedAt',
    ])
    .where('incidents.source', '=', 'api')
    .where('incidents.externalId', '=', externalId)
    .executeTakeFirstOrThrow();
}

before(async () => {
  handle = await openTestDatabase();
  app = await buildIngestApp(handle, { now, incidentCauseWindowHours: 24 });
  appWithoutInference = await buildIngestApp(handle, { now });
  token = await createTestToken(handle, 'pager', 'ingest');
});
after(async () => {
  await app.close();
  await appWithoutInference.close();
  await handle.close();
});

describe('POST /api/v1/events/incidents', () => {
  test('an incident sent again gains its resolvedAt in place', async () => {
    await send('incidents', incident('inc-1', 'payments-api', '2026-11-15T10:00:00Z'));
    assert.equal((await stored('inc-1')).resolvedAt, null);
    await send(
      'incidents',
      incident('inc-1', 'payments-api', '2026-11-15T10:00:00Z', { resolvedAt: '2026-11-15T12:30:00Z' }),
    );
    const rows = await handle.db
      .selectFrom('incidents')
      .select('id')
      .where('externalId', '=', 'inc-1')
      .execute();
    assert.equal(rows.length, 1);
    assert.equal((await stored('inc-1')).resolvedAt?.toISOString(), '2026-11-15T12:30:00.000Z');
  });

  test('an explicit deploymentId links, whether the deployment arrived before or after', async () => {
    await send('deployments', deployment('d-before', 'payments-api', '2026-11-01T09:00:00Z'));
    await send(
      'incidents',
      incident('inc-before', 'payments-api', '2026-11-05T10:00:00Z', { deploymentId: 'd-before' }),
    );
    assert.deepEqual(
      { cause: (await stored('inc-before')).cause, link: (await stored('inc-before')).deploymentLink },
      { cause: 'd-before', link: 'explicit' },
    );
    await send(
      'incidents',
      incident('inc-after', 'payments-api', '2026-11-06T10:00:00Z', { deploymentId: 'd-after' }),
    );
    assert.equal((await stored('inc-after')).cause, null);
    await send('deployments', deployment('d-after', 'payments-api', '2026-11-06T08:00:00Z'));
    assert.equal((await stored('inc-after')).cause, 'd-after');
    assert.equal((await stored('inc-after')).deploymentLink, 'explicit');
  });

  test('when configured, the latest successful production deployment in the window is the inferred cause', async () => {
    // search-api: production success 2026-11-09 08:00 (28 h before: outside 24 h), staging 11:00 (not
    // production), a failure at 11:30 (not successful), a production success at 10:00 (2 h before: the cause).
    await send('deployments', [
      deployment('s-old', 'search-api', '2026-11-09T08:00:00Z'),
      deployment('s-staging', 'search-api', '2026-11-10T11:00:00Z', { environment: 'staging' }),
      deployment('s-failed', 'search-api', '2026-11-10T11:30:00Z', { status: 'failure' }),
      deployment('s-cause', 'search-api', '2026-11-10T10:00:00Z'),
    ]);
    await send('incidents', incident('inc-inferred', 'search-api', '2026-11-10T12:00:00Z'));
    assert.equal((await stored('inc-inferred')).cause, 's-cause');
    assert.equal((await stored('inc-inferred')).deploymentLink, 'inferred');

    // A later deployment arriving late (finished 11:45, before the 12:00 incident) becomes the cause.
    await send('deployments', deployment('s-late', 'search-api', '2026-11-10T11:45:00Z'));
    assert.equal((await stored('inc-inferred')).cause, 's-late');

    // s-old is the cause of an incident 4 h after it, but not of one that started before it.
    await send('incidents', incident('inc-alone', 'search-api', '2026-11-09T12:00:00Z'));
    assert.equal((await stored('inc-alone')).cause, 's-old');
    await send('incidents', incident('inc-before-any', 'search-api', '2026-11-08T12:00:00Z'));
    assert.equal((await stored('inc-before-any')).cause, null);
  });

  test('the window includes a deployment exactly 24 h before, and not a second more', async () => {
    await send('deployments', deployment('edge', 'edge-svc', '2026-11-01T00:00:00Z'));
    await send('incidents', [
      incident('inc-24h', 'edge-svc', '2026-11-02T00:00:00Z'),
      incident('inc-24h-1s', 'edge-svc', '2026-11-02T00:00:01Z'),
    ]);
    assert.equal((await stored('inc-24h')).cause, 'edge');
    assert.equal((await stored('inc-24h-1s')).cause, null);
  });

  test('an explicit link always wins over inference, even before its deployment arrives', async () => {
    await send(
      'incidents',
      incident('inc-explicit', 'search-api', '2026-11-10T12:30:00Z', { deploymentId: 's-hotfix' }),
    );
    assert.deepEqual(
      { cause: (await stored('inc-explicit')).cause, link: (await stored('inc-explicit')).deploymentLink },
      { cause: null, link: null },
    );
    await send(
      'deployments',
      deployment('s-hotfix', 'search-api', '2026-11-10T09:00:00Z', { kind: 'hotfix' }),
    );
    assert.equal((await stored('inc-explicit')).cause, 's-hotfix');
    assert.equal((await stored('inc-explicit')).deploymentLink, 'explicit');
  });

  test('without a configured window nothing is inferred', async () => {
    await send(
      'deployments',
      deployment('p-cause', 'payments-api', '2026-11-12T10:00:00Z'),
      appWithoutInference,
    );
    await send(
      'incidents',
      incident('inc-not-inferred', 'payments-api', '2026-11-12T11:00:00Z'),
      appWithoutInference,
    );
    assert.equal((await stored('inc-not-inferred')).cause, null);
  });

  test('a named team must exist; a team alone attributes the incident', async () => {
    const unknown = await app.inject(
      postJson(
        '/api/v1/events/incidents',
        [incident('x', 'payments-api', '2026-11-12T11:00:00Z', { team: 'nope' })],
        {
          token,
        },
      ),
    );
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json<{ error: { field: string } }>().error.field, 'body[0].team');
    await send('incidents', {
      id: 'inc-team',
      team: 'search',
      startedAt: '2026-11-12T11:00:00Z',
      severity: 'sev3',
    });
    assert.equal((await stored('inc-team')).teamAttribution, 'explicit');
    const neither = await app.inject(
      postJson(
        '/api/v1/events/incidents',
        { id: 'y', startedAt: '2026-11-12T11:00:00Z', severity: 'sev3' },
        { token },
      ),
    );
    assert.equal(neither.json<{ error: { field: string } }>().error.field, 'body[0].service');
  });
});

describe('GET /api/v1/data-sources', () => {
  test('an unattributed event is accepted with 202 and counted, with its service as an example', async () => {
    const response = await app.inject(
      postJson('/api/v1/events/incidents', incident('inc-orphan', 'mystery-svc', '2026-11-12T11:00:00Z'), {
        token,
      }),
    );
    assert.equal(response.statusCode, 202);
    assert.deepEqual(response.json(), { accepted: 1, unattributed: [{ index: 0, id: 'inc-orphan' }] });

    const sources = await app.inject({ method: 'GET', url: '/api/v1/data-sources' });
    assert.equal(sources.statusCode, 200);
    const body = sources.json<{
      sources: { source: string; incidents: { total: number; unattributed: number }; lastEvent: unknown }[];
      pushers: { source: string; tokenName: string | null }[];
      unattributed: { incidents: { count: number; examples: { service: string; count: number }[] } };
    }>();
    const api = body.sources.find((s) => s.source === 'api');
    assert.deepEqual(api?.lastEvent, {
      receivedAt: now.toISOString(),
      kind: 'incidents',
      authMethod: 'token',
      tokenName: 'pager',
      itemCount: 1,
    });
    assert.deepEqual(
      body.pushers.find((pusher) => pusher.tokenName === 'pager'),
      { source: 'api', ...(api?.lastEvent as object) },
    );
    // No team owns edge-svc (2 incidents, from the window test) nor mystery-svc (1): 3, commonest first.
    assert.equal(api?.incidents.unattributed, 3);
    assert.equal(body.unattributed.incidents.count, 3);
    assert.deepEqual(body.unattributed.incidents.examples, [
      { service: 'edge-svc', repository: null, count: 2 },
      { service: 'mystery-svc', repository: null, count: 1 },
    ]);
    assert.doesNotMatch(sources.body, /gw_|secret/i);
  });
});
