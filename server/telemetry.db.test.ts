import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { buildIngestApp, createTestToken, postJson } from '../test/ingest-app.ts';
import { openTestDatabase } from '../test/test-database.ts';
import type { FastifyTypebox } from './app.ts';
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
});
