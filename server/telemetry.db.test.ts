import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startAlertReceiver } from '../test/alert-receiver.ts';
import { buildIngestApp, createTestToken, postJson } from '../test/ingest-app.ts';
import { openTestDatabase } from '../test/test-database.ts';
import { drainOutbox } from './alerts/outbox.ts';
import type { FastifyTypebox } from './app.ts';
import { fixedClock } from './clock.ts';
import { enqueueNotification } from './db/alert-notifications.repository.ts';
import type { DatabaseHandle } from './db/database.ts';
import { startTelemetry, telemetryRequested } from './telemetry.ts';
import type { Telemetry } from './telemetry.ts';

const now = new Date('2026-11-20T12:00:00Z');
const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let handle: DatabaseHandle;
let app: FastifyTypebox;

before(async () => {
  telemetry = await startTelemetry({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  handle = await openTestDatabase();
  app = await buildIngestApp(handle, { now });
});
after(async () => {
  await app.close();
  await handle.close();
  await telemetry.shutdown();
});

describe('OpenTelemetry', () => {
  test('is on only when the standard OTLP variables ask for it', () => {
    assert.equal(telemetryRequested({}), false);
    assert.equal(telemetryRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }), true);
    assert.equal(
      telemetryRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }),
      false,
    );
  });

  test('a span per request, named by its route, with status and the events ingested', async () => {
    const token = await createTestToken(handle, 'ci', 'ingest');
    const event = {
      id: 'inc-otel',
      service: 'payments-api',
      startedAt: '2026-11-10T10:00:00Z',
      severity: 'sev3',
    };
    assert.equal(
      (await app.inject(postJson('/api/v1/events/incidents', [event, { ...event, id: 'inc-2' }], { token })))
        .statusCode,
      200,
    );
    assert.equal((await app.inject('/api/v1/teams/payments/metrics?period=last-30d')).statusCode, 200);
    assert.equal((await app.inject('/api/v1/teams/nobody/metrics')).statusCode, 404);
    const spans = exporter.getFinishedSpans();
    const named = (name: string) => spans.filter((span) => span.name === name);
    const ingest = named('POST /api/v1/events/incidents')[0];
    assert.equal(ingest?.attributes['http.response.status_code'], 200);
    assert.equal(ingest?.attributes['groundwork.ingest.events'], 2);
    const metrics = named('GET /api/v1/teams/:team/metrics');
    assert.deepEqual(
      metrics.map((span) => span.attributes['http.response.status_code']),
      [200, 404],
    );
    assert.equal(ingest?.resource.attributes['service.name'], 'groundwork');
  });

  test('a span per alert delivery attempt: channel, attempt, outcome, delivery id; never the URL or secret', async () => {
    const receiver = await startAlertReceiver();
    const url = `${receiver.url}/hooks/T0SECRETPATH`;
    const secret = 'whsec-never-in-a-span';
    const channels = [
      {
        name: 'pager',
        type: 'webhook' as const,
        urlEnv: 'PAGER_URL',
        secretEnv: 'PAGER_SECRET',
        url,
        secret,
      },
    ];
    try {
      const deliveryId = '0b5e7c2a-telemetry-delivery';
      await enqueueNotification(handle.db, {
        deliveryId,
        alertId: null,
        channel: 'pager',
        kind: 'test',
        payload: { kind: 'test', summary: 'telemetry' },
        now,
      });
      receiver.refusals = 1;
      exporter.reset();
      const first = await drainOutbox({ db: handle.db, clock: fixedClock(now), channels });
      assert.ok(first.ran && first.result.failed.length === 1);
      // The retry is due 30 s later; this time the receiver accepts.
      const later = fixedClock(new Date(now.getTime() + 60_000));
      const second = await drainOutbox({ db: handle.db, clock: later, channels });
      assert.ok(second.ran && second.result.delivered === 1);
      const spans = exporter.getFinishedSpans().filter((span) => span.name === 'alerts.delivery');
      assert.deepEqual(
        spans.map((span) => [
          span.attributes['groundwork.alert.channel'],
          span.attributes['groundwork.alert.channel_type'],
          span.attributes['groundwork.alert.attempt'],
          span.attributes['groundwork.alert.outcome'],
          span.attributes['groundwork.alert.delivery_id'],
          span.status.code,
        ]),
        [
          ['pager', 'webhook', 1, 'failed', deliveryId, 2],
          ['pager', 'webhook', 2, 'delivered', deliveryId, 0],
        ],
      );
      assert.equal(spans[0]?.status.message, 'webhook receiver answered 503');
      const recorded = JSON.stringify(spans.map((span) => [span.attributes, span.status, span.events]));
      for (const leak of [url, 'T0SECRETPATH', receiver.url, secret])
        assert.ok(!recorded.includes(leak), leak);
    } finally {
      await receiver.close();
    }
  });
});
