import type { FastifyTypebox } from '../app.ts';
import type { FrictionContext } from '../friction/friction-analysis.ts';
import {
  frictionCsvRows,
  impactCsvRows,
  readinessCsvRows,
  recommendationCsvRows,
} from '../friction/friction-csv.ts';
import { frictionReport, readinessReport, recommendationsReport } from '../friction/friction.service.ts';
import { capabilityImpact } from '../friction/impact.ts';
import { renderFrictionReport } from '../reports/render-report.ts';
import { sendCsv, wantsCsv } from './csv.ts';
import {
  CapabilityParams,
  FormatQuery,
  FrictionPeriodQuery,
  FrictionQuery,
  FrictionResponse,
  ImpactResponse,
  ReadinessResponse,
  RecommendationsResponse,
  ReportBody,
  ReportQuery,
} from './friction.schemas.ts';
import { ErrorResponse } from './schemas.ts';

/** Where developers lose time, what to build next, whether to build a platform at all, and did it pay off. */
export function registerFrictionRoutes(
  app: FastifyTypebox,
  context: FrictionContext,
  options: { chromiumPath: string },
): void {
  app.get(
    '/api/v1/friction',
    {
      schema: {
        summary: 'Friction points ranked by developer-hours lost per week, with the evidence of each source',
        description:
          'Survey S = developers × mean hours (with a t-interval), tickets C and B = C × ticketBlockedFactor, ' +
          'delivery T = events per week × median hours × factor; the figure is S where the survey publishes ' +
          'the team, else B + ΣT. Survey figures obey minGroupSize and complementary suppression. CSV too.',
        tags: ['friction'],
        querystring: FrictionQuery,
        response: { 200: FrictionResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const report = await frictionReport(context, request.query);
      return wantsCsv(request)
        ? sendCsv(reply, frictionCsvRows(report), `friction-${report.period}.csv`)
        : report;
    },
  );

  app.get(
    '/api/v1/recommendations',
    {
      schema: {
        summary:
          'Platform capabilities ranked: hours recovered per week, value per year, payback, prerequisites',
        tags: ['friction'],
        querystring: FrictionPeriodQuery,
        response: { 200: RecommendationsResponse, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const report = await recommendationsReport(context, request.query);
      return wantsCsv(request)
        ? sendCsv(reply, recommendationCsvRows(report), `recommendations-${report.period}.csv`)
        : report;
    },
  );

  app.get(
    '/api/v1/readiness',
    {
      schema: {
        summary: 'The readiness verdict (fix-delivery-first, fix-directly, build-platform) with every test',
        tags: ['friction'],
        querystring: FrictionPeriodQuery,
        response: { 200: ReadinessResponse, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const report = await readinessReport(context, request.query);
      return wantsCsv(request)
        ? sendCsv(reply, readinessCsvRows(report), `readiness-${report.period}.csv`)
        : report;
    },
  );

  app.get(
    '/api/v1/reports/friction',
    {
      schema: {
        summary: 'The quarterly friction report: summary, ranking, recommendations, verdict, team appendices',
        description: 'format=md, csv, html (charts inline) or pdf (printed by the server’s Chromium).',
        tags: ['friction'],
        querystring: ReportQuery,
        response: { 200: ReportBody, 400: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? (wantsCsv(request) ? 'csv' : 'html');
      const report = await renderFrictionReport(context, {
        period: request.query.period,
        format,
        chromiumPath: options.chromiumPath,
      });
      const disposition = format === 'html' ? 'inline' : 'attachment';
      return reply
        .type(report.contentType)
        .header('content-disposition', `${disposition}; filename="${report.filename}"`)
        .send(report.body);
    },
  );

  app.get(
    '/api/v1/capabilities/:id/impact',
    {
      schema: {
        summary: 'Did a shipped capability pay off? Difference-in-differences of its telemetry evidence',
        tags: ['friction'],
        params: CapabilityParams,
        querystring: FormatQuery,
        response: { 200: ImpactResponse, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const impact = await capabilityImpact(context, request.params.id);
      return wantsCsv(request)
        ? sendCsv(reply, impactCsvRows(impact), `impact-${impact.capability.id}.csv`)
        : impact;
    },
  );
}
