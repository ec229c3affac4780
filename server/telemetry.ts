import { metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

const tracer = trace.getTracer('groundwork');
const meter = metrics.getMeter('groundwork');
const ingestedEvents = meter.createCounter('groundwork.ingest.events', {
  description: 'events accepted by the push ingestion routes',
});

/** Whether the standard OTLP variables ask for telemetry (`OTEL_SDK_DISABLED=true` turns it off). */
export function telemetryRequested(env: NodeJS.ProcessEnv): boolean {
  if (env['OTEL_SDK_DISABLED'] === 'true') return false;
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK: with the OTLP exporter configured from the standard OTEL_* variables, or with
 * the span processors given (tests: an in-memory exporter). Loaded only when asked for: off, the API's no-op
 * tracer is all that runs. Pinned to sdk-node 0.223, the last release supporting Node 20.
 */
export async function startTelemetry(options: { spanProcessors?: SpanProcessor[] } = {}): Promise<Telemetry> {
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: 'groundwork',
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    // HTTP requests are traced by the hook below, collector runs by the collectors: no monkey-patching.
    instrumentations: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

declare module 'fastify' {
  interface FastifyRequest {
    span?: Span;
  }
}

/**
 * One span per request, named by its route (`GET /api/v1/teams/:team/metrics`), so metric queries and
 * ingestion show up with their status and duration; ingestion adds the number of events it accepted.
 */
export function traceRequests(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    request.span = tracer.startSpan(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`, {
      attributes: { 'http.request.method': request.method, 'http.route': request.routeOptions.url ?? '' },
    });
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = request.span;
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    const route = request.routeOptions.url ?? '';
    if (route.startsWith('/api/v1/events/') && reply.statusCode < 300 && Array.isArray(request.body)) {
      span.setAttribute('groundwork.ingest.events', request.body.length);
      ingestedEvents.add(request.body.length, { route });
    }
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}
