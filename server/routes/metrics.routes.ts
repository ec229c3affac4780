import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import { organizationMetrics, teamMetrics, teamSeries } from '../metrics/metrics.service.ts';
import type { MetricsContext } from '../metrics/metrics.service.ts';
import { metricSamples, SAMPLE_METRICS } from '../metrics/samples.service.ts';
import { sendCsv, wantsCsv } from './csv.ts';
import {
  ChangesSchema,
  CompareQuerySchema,
  DeliveryMetricsSchema,
  PeriodQuerySchema,
  TeamMetricsSchema,
} from './metrics.schemas.ts';
import { ErrorResponse } from './schemas.ts';

const TeamParams = Type.Object({ team: Type.String({ description: 'team slug' }) });
const SERIES_METRICS = [
  'deploymentFrequency',
  'leadTime',
  'changeFailureRate',
  'recoveryTime',
  'reworkRate',
  'pullRequests',
  'ci',
];
const Benchmark = { benchmark: Type.Optional(Type.String({ description: 'benchmark id, e.g. dora-2024' })) };

export function registerMetricsRoutes(app: FastifyTypebox, metrics: MetricsContext): void {
  app.get(
    '/api/v1/teams/:team/metrics',
    {
      schema: {
        summary: "A team's DORA metrics for a period, with sample sizes, coverage and tiers",
        tags: ['metrics'],
        params: TeamParams,
        querystring: Type.Object({ ...PeriodQuerySchema, ...Benchmark, ...CompareQuerySchema }),
        response: { 200: TeamMetricsSchema, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await teamMetrics(metrics, request.params.team, request.query);
      return wantsCsv(request) ? sendCsv(reply, [{ ...result }], `${result.team}-metrics.csv`) : result;
    },
  );

  app.get(
    '/api/v1/metrics',
    {
      schema: {
        summary: 'The organisation from pooled samples; groupBy=team adds every team side by side',
        tags: ['metrics'],
        querystring: Type.Object({
          ...PeriodQuerySchema,
          ...Benchmark,
          ...CompareQuerySchema,
          groupBy: Type.Optional(Type.Literal('team')),
        }),
        response: {
          200: Type.Object({
            organization: Type.Object(
              { name: Type.String(), period: Type.String(), ...DeliveryMetricsSchema, change: ChangesSchema },
              { additionalProperties: true },
            ),
            teams: Type.Optional(Type.Array(TeamMetricsSchema)),
          }),
          400: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const result = await organizationMetrics(metrics, request.query);
      if (!wantsCsv(request)) return result;
      const rows = [
        { team: '(organisation)', ...result.organization },
        ...(result.teams ?? []).map((team) => ({ ...team })),
      ];
      return sendCsv(reply, rows, 'metrics.csv');
    },
  );

  app.get(
    '/api/v1/teams/:team/metrics/series',
    {
      schema: {
        summary: "A team's metrics week by week, for trend charts",
        tags: ['metrics'],
        params: TeamParams,
        querystring: Type.Object({
          ...PeriodQuerySchema,
          ...Benchmark,
          metric: Type.Optional(Type.String({ description: 'keep only this metric in each point' })),
          interval: Type.Optional(Type.Literal('week')),
        }),
        response: {
          200: Type.Object({}, { additionalProperties: true }),
          400: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const series = await teamSeries(metrics, request.params.team, request.query);
      const metric = request.query.metric;
      if (metric !== undefined && !SERIES_METRICS.includes(metric)) {
        const message = `no metric "${metric}"; one of ${SERIES_METRICS.join(', ')}`;
        return reply.status(400).send({ error: { code: 'UNKNOWN_METRIC', message, field: 'metric' } });
      }
      const points: Record<string, unknown>[] = series.points.map((point) =>
        metric
          ? {
              week: point.week,
              from: point.from,
              to: point.to,
              [metric]: point[metric as keyof typeof point],
            }
          : { ...point },
      );
      const result = { ...series, points };
      return wantsCsv(request) ? sendCsv(reply, points, `${series.team}-series.csv`) : result;
    },
  );

  const SampleMetricParam = Type.Union(SAMPLE_METRICS.map((metric) => Type.Literal(metric)));
  const samplesSchema = {
    tags: ['metrics'],
    querystring: Type.Object({
      ...PeriodQuerySchema,
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
      offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
      sort: Type.Optional(
        Type.String({
          pattern: '^[a-zA-Z][a-zA-Z0-9]*$',
          maxLength: 64,
          description: 'a row field, e.g. leadTimeHours',
        }),
      ),
      order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    }),
    response: {
      200: Type.Object({
        team: Type.Union([Type.String(), Type.Null()], { description: 'null: the organisation' }),
        metric: Type.String(),
        from: Type.String(),
        to: Type.String(),
        total: Type.Integer(),
        samples: Type.Array(Type.Object({}, { additionalProperties: true }), {
          description:
            'the rows, each with pullRequestUrl, commitUrl, deploymentUrl (or a CI run url) where its source has one',
        }),
      }),
      400: ErrorResponse,
      404: ErrorResponse,
    },
  };

  app.get(
    '/api/v1/teams/:team/metrics/:metric/samples',
    {
      schema: {
        summary:
          'The rows behind a figure: deployments, changes, incidents, pull requests or CI run attempts, with their durations',
        params: Type.Object({ team: Type.String(), metric: SampleMetricParam }),
        ...samplesSchema,
      },
    },
    async (request, reply) => {
      const page = await metricSamples(metrics, request.params.team, request.params.metric, request.query);
      return wantsCsv(request)
        ? sendCsv(reply, page.samples, `${page.team}-${page.metric}-samples.csv`)
        : page;
    },
  );

  app.get(
    '/api/v1/metrics/:metric/samples',
    {
      schema: {
        summary: 'The rows behind an organisation figure, every team pooled; each row names its team',
        params: Type.Object({ metric: SampleMetricParam }),
        ...samplesSchema,
      },
    },
    async (request, reply) => {
      const page = await metricSamples(metrics, null, request.params.metric, request.query);
      return wantsCsv(request)
        ? sendCsv(reply, page.samples, `organisation-${page.metric}-samples.csv`)
        : page;
    },
  );
}
