import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase } from '../../test/test-database.ts';
import { buildIngestApp, GITHUB_SECRET, postJson } from '../../test/ingest-app.ts';
import { sha256Signature } from '../auth/signatures.ts';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';

const now = new Date('2026-11-20T12:00:00Z');
let handle: DatabaseHandle;
let app: FastifyTypebox;

/** A `deployment_status` delivery, shaped like octokit/webhooks' deployment_status/created schema. */
function deploymentStatus(state: string, statusAt: string, deploymentId = 1001, repository = 'Acme/Billing') {
  return {
    action: 'created',
    deployment_status: {
      id: Math.floor(Date.parse(statusAt) / 1000),
      state,
      environment: 'production',
      created_at: statusAt,
      updated_at: statusAt,
      description: '',
    },
    deployment: {
      id: deploymentId,
      sha: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
      ref: 'main',
      task: 'deploy',
      environment: 'production',
      created_at: '2026-11-10T10:00:00Z',
    },
    repository: { id: 42, full_name: repository },
    sender: { login: 'octocat' },
  };
}

function webhook(event: string, deliveryId: string, body: unknown, secret = GITHUB_SECRET) {
  const payload = JSON.stringify(body);
  return postJson('/api/v1/webhooks/github', payload, {
    headers: {
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': sha256Signature(secret, payload),
    },
  });
}

async function storedDeployment(externalId: string) {
  return handle.db
    .selectFrom('deployments')
    .select(['status', 'originalStatus', 'finishedAt', 'startedAt', 'sha', 'teamId', 'environment'])
    .where('source', '=', 'github')
    .where('externalId', '=', externalId)
    .executeTakeFirstOrThrow();
}
const payloadCount = async () =>
  (await sql<{ n: number }>`select count(*) as n from event_payloads`.execute(handle.db)).rows[0]?.n;

before(async () => {
  handle = await openTestDatabase();
  app = await buildIngestApp(handle, { now });
});
after(async () => {
  await app.close();
  await handle.close();
});

describe('POST /api/v1/webhooks/github', () => {
  test('deployment_status becomes a github deployment keyed by databaseId, attributed by repository', async () => {
    const response = await app.inject(
      webhook('deployment_status', 'guid-1', deploymentStatus('in_progress', '2026-11-10T10:01:00Z')),
    );
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      status: 'accepted',
      event: 'deployment_status',
      deployment: { id: '1001', status: 'in_progress', state: 'in_progress' },
      unattributed: false,
    });
    const stored = await storedDeployment('1001');
    assert.equal(stored.status, 'in_progress');
    assert.equal(stored.finishedAt, null);
    assert.equal(stored.startedAt?.toISOString(), '2026-11-10T10:00:00.000Z');
    assert.equal(stored.sha, 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
    assert.notEqual(stored.teamId, null); // acme/billing belongs to payments
  });

  test('success then inactive keeps success, finished at the success', async () => {
    await app.inject(
      webhook('deployment_status', 'guid-2', deploymentStatus('success', '2026-11-10T10:05:00Z')),
    );
    const inactive = await app.inject(
      webhook('deployment_status', 'guid-3', deploymentStatus('inactive', '2026-11-12T09:00:00Z')),
    );
    assert.equal(inactive.json<{ deployment: { status: string } }>().deployment.status, 'success');
    const stored = await storedDeployment('1001');
    assert.equal(stored.status, 'success');
    assert.equal(stored.originalStatus, 'inactive');
    assert.equal(stored.finishedAt?.toISOString(), '2026-11-10T10:05:00.000Z');
    // Nor does a late error, nor an in_progress delivered out of order: it did succeed.
    await app.inject(
      webhook('deployment_status', 'guid-4', deploymentStatus('error', '2026-11-12T10:00:00Z')),
    );
    await app.inject(
      webhook('deployment_status', 'guid-5', deploymentStatus('queued', '2026-11-10T09:59:00Z')),
    );
    assert.equal((await storedDeployment('1001')).status, 'success');
  });

  test('an environment named in another case is stored as configured, like the collector stores it', async () => {
    const body = deploymentStatus('success', '2026-11-10T11:00:00Z', 1002);
    body.deployment.environment = 'Production';
    const response = await app.inject(webhook('deployment_status', 'guid-env', body));
    assert.equal(response.statusCode, 200, response.body);
    assert.equal((await storedDeployment('1002')).environment, 'production');
  });

  test('a redelivery of the same GUID is a no-op', async () => {
    const failure = deploymentStatus('failure', '2026-11-11T10:05:00Z', 2002);
    assert.equal((await app.inject(webhook('deployment_status', 'guid-f', failure))).statusCode, 200);
    assert.equal((await storedDeployment('2002')).status, 'failure');
    // The deployment is re-run; then GitHub redelivers the old failure (same GUID).
    await app.inject(
      webhook(
        'deployment_status',
        'guid-retry',
        deploymentStatus('in_progress', '2026-11-11T10:10:00Z', 2002),
      ),
    );
    const payloads = await payloadCount();
    const redelivery = await app.inject(webhook('deployment_status', 'guid-f', failure));
    assert.equal(redelivery.statusCode, 200);
    assert.deepEqual(redelivery.json(), { status: 'duplicate', event: 'deployment_status' });
    assert.equal((await storedDeployment('2002')).status, 'in_progress');
    assert.equal(await payloadCount(), payloads);
  });

  test('a wrong or missing signature is 401 and writes nothing', async () => {
    const payloads = await payloadCount();
    const body = deploymentStatus('success', '2026-11-11T10:05:00Z', 3003);
    const wrong = await app.inject(webhook('deployment_status', 'guid-x', body, 'not-the-secret'));
    assert.equal(wrong.statusCode, 401);
    const unsigned = await app.inject(
      postJson('/api/v1/webhooks/github', body, {
        headers: { 'x-github-event': 'deployment_status', 'x-github-delivery': 'guid-y' },
      }),
    );
    assert.equal(unsigned.statusCode, 401);
    const rows = await handle.db
      .selectFrom('deployments')
      .select('id')
      .where('externalId', '=', '3003')
      .execute();
    assert.equal(rows.length, 0);
    const deliveries = await handle.db.selectFrom('webhookDeliveries').select('deliveryId').execute();
    assert.ok(!deliveries.some((d) => d.deliveryId === 'guid-x' || d.deliveryId === 'guid-y'));
    assert.equal(await payloadCount(), payloads);
  });

  test('other events (ping) are acknowledged and ignored; a repository nobody owns is a 202', async () => {
    const ping = await app.inject(
      webhook('ping', 'guid-ping', { zen: 'Keep it logically awesome.', hook_id: 1 }),
    );
    assert.equal(ping.statusCode, 200);
    assert.deepEqual(ping.json(), { status: 'ignored', event: 'ping' });
    const orphan = await app.inject(
      webhook(
        'deployment_status',
        'guid-o',
        deploymentStatus('success', '2026-11-11T10:05:00Z', 4004, 'acme/unknown'),
      ),
    );
    assert.equal(orphan.statusCode, 202);
    const malformed = await app.inject(
      webhook('deployment_status', 'guid-m', { deployment_status: { state: 'success' } }),
    );
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json<{ error: { field: string } }>().error.field, 'body.deployment');
  });
});
