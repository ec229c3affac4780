import type { FastifyTypebox } from '../app.ts';
import type { DrillMeasure } from '../metrics/ticket-waits.metric.ts';
import {
  ticketDrillDownReport,
  ticketWaitSeriesReport,
  ticketWaitTimesReport,
} from '../metrics/ticket-waits.service.ts';
import type { TicketWaitsContext } from '../metrics/ticket-waits.service.ts';
import { sendCsv, wantsCsv } from './csv.ts';
import { ErrorResponse } from './schemas.ts';
import {
  DrillQuery,
  DrillResponse,
  WaitTimesQuery,
  WaitTimesResponse,
  WaitTimesSeriesResponse,
} from './tickets.schemas.ts';

/** Ticket wait times: how long teams wait on other teams' queues, per category or team, and the tickets behind. */
export function registerTicketRoutes(app: FastifyTypebox, context: TicketWaitsContext): void {
  app.get(
    '/api/v1/tickets/wait-times',
    {
      schema: {
        summary: 'Ticket wait times for a period, overall and per category, serving or requesting team',
        tags: ['tickets'],
        querystring: WaitTimesQuery,
        response: { 200: WaitTimesResponse, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const report = await ticketWaitTimesReport(context, request.query);
      if (!wantsCsv(request)) return report;
      const rows = [
        { key: '(overall)', label: 'all tickets', ...report.overall },
        ...report.groups.map((group) => ({ ...group })),
      ];
      return sendCsv(reply, rows, `ticket-wait-times-${report.groupBy}.csv`);
    },
  );

  app.get(
    '/api/v1/tickets/wait-times/series',
    {
      schema: {
        summary: 'Weekly median wait before start and total wait per group, for charts',
        tags: ['tickets'],
        querystring: WaitTimesQuery,
        response: { 200: WaitTimesSeriesResponse, 400: ErrorResponse },
      },
    },
    async (request) => ticketWaitSeriesReport(context, request.query),
  );

  app.get(
    '/api/v1/tickets/wait-times/tickets',
    {
      schema: {
        summary: 'The tickets behind a wait-time figure, largest value first',
        tags: ['tickets'],
        querystring: DrillQuery,
        response: { 200: DrillResponse, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const report = await ticketDrillDownReport(context, {
        ...request.query,
        measure: request.query.measure as DrillMeasure,
      });
      return wantsCsv(request) ? sendCsv(reply, report.tickets, `tickets-${report.measure}.csv`) : report;
    },
  );
}
