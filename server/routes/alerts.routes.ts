import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import { acknowledge, alertViews, backtestRule } from '../alerts/alerts.service.ts';
import { evaluateAlerts } from '../alerts/evaluator.ts';
import { drainOutbox } from '../alerts/outbox.ts';
import { requireScope } from '../auth/require-scope.ts';
import { countAlertsByStatus } from '../db/alerts.repository.ts';
import { AppError } from '../errors.ts';
import { sendCsv, wantsCsv } from './csv.ts';
import type { RouteContext } from './index.ts';
import { AlertListSchema, AlertSchema, BacktestSchema, EvaluationReportSchema } from './alerts.schemas.ts';
import { ErrorResponse } from './schemas.ts';

/** Alerts on regressed metrics: the list (JSON or CSV), acknowledgement, evaluation on demand, backtest. */
export function registerAlertRoutes(app: FastifyTypebox, context: RouteContext): void {
  const admin = requireScope(
    { db: context.database.db, clock: context.clock, ingestSecret: context.config.secrets.ingestSecret },
    'admin',
  );
  const ctx = {
    db: context.database.db,
    clock: context.clock,
    config: context.config,
    surveys: context.surveys,
  };

  app.get(
    '/api/v1/alerts',
    {
      schema: {
        summary: 'Alerts, open first, with what drove each, their history and notifications',
        tags: ['alerts'],
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')]),
          ),
          team: Type.Optional(Type.String({ minLength: 1, description: 'a team slug' })),
          format: Type.Optional(Type.Literal('csv', { description: 'or send Accept: text/csv' })),
        }),
        response: { 200: AlertListSchema, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const [alerts, counts] = await Promise.all([
        alertViews(ctx, { status: request.query.status, team: request.query.team }),
        countAlertsByStatus(ctx.db),
      ]);
      if (!wantsCsv(request)) return { counts, alerts };
      const rows = alerts.map(({ events: _events, notifications: _notifications, drivers, ...alert }) => ({
        ...alert,
        topChanges: drivers.top.map((row) => row.label).join(' '),
        stageThatMoved: drivers.stage?.name ?? '',
        surveyDriver: drivers.survey?.driver ?? '',
      }));
      return sendCsv(reply, rows, 'alerts.csv');
    },
  );

  app.post(
    '/api/v1/alerts/:id/ack',
    {
      preValidation: admin,
      schema: {
        summary: 'Acknowledge an open alert (admin token); 409 when it is not open',
        tags: ['alerts'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: {
          200: AlertSchema,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request) => acknowledge(ctx, request.params.id, request.auth?.tokenName ?? 'admin'),
  );

  app.post(
    '/api/v1/alerts/evaluate',
    {
      preValidation: admin,
      schema: {
        summary:
          'Evaluate the alert rules now and send what they raise (admin token); dryRun=true changes nothing; 409 while another evaluation runs',
        tags: ['alerts'],
        querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
        response: { 200: EvaluationReportSchema, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request) => {
      const dryRun = request.query.dryRun ?? false;
      const evaluated = await evaluateAlerts(ctx, { dryRun });
      if (!evaluated.ran) throw new AppError(409, 'ALERTS_BUSY', evaluated.reason);
      // The outbox drain sends what was queued; a drain already running leaves it to that one.
      if (!dryRun)
        await drainOutbox({ db: ctx.db, clock: ctx.clock, channels: context.config.alertChannels });
      return evaluated.report;
    },
  );

  app.get(
    '/api/v1/alerts/backtest',
    {
      schema: {
        summary:
          'When a rule would have fired and resolved over past data, and how often per team per quarter',
        tags: ['alerts'],
        querystring: Type.Object({
          rule: Type.String({ minLength: 1 }),
          days: Type.Optional(Type.Integer({ minimum: 1, maximum: 1095 })),
        }),
        response: { 200: BacktestSchema, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => backtestRule(ctx, request.query.rule, request.query.days ?? 365),
  );
}
