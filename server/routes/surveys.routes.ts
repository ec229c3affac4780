import Type from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyTypebox } from '../app.ts';
import { shared } from '../cache/shared-figures.ts';
import { requireScope } from '../auth/require-scope.ts';
import { AppError } from '../errors.ts';
import { firstSchemaError, singleEventAsBatch } from '../ingest/event-fields.ts';
import { MAX_CSV_BYTES } from '../surveys/survey-csv.ts';
import { resultCsvRows, resultsByDriver } from '../surveys/survey-result-views.ts';
import {
  blocking,
  findSurvey,
  importSurveyCsv,
  submitSurveyResponses,
  surveyResults,
  surveyStatus,
} from '../surveys/surveys.service.ts';
import type { SurveyContext } from '../surveys/surveys.service.ts';
import { surveyParticipation } from '../surveys/survey-participation.ts';
import { surveyTeams } from '../db/survey-responses.repository.ts';
import { sendCsv, wantsCsv } from './csv.ts';
import type { RouteContext } from './index.ts';
import { ErrorResponse } from './schemas.ts';
import {
  ImportReportSchema,
  ParticipationSchema,
  ResponseBatchSchema,
  ResultsByDriverSchema,
  ResultsByTeamSchema,
  SurveyDefinitionSchema,
  SurveyListSchema,
} from './surveys.schemas.ts';
import type { ResponseItemBody } from './surveys.schemas.ts';

const CSV_BODY_LIMIT = MAX_CSV_BYTES;
const SurveyParams = Type.Object({ id: Type.String({ maxLength: 200, description: 'survey id' }) });
const Flag = Type.Optional(Type.Boolean({ default: false }));

export function surveyContextOf(context: RouteContext): SurveyContext {
  return {
    db: context.database.db,
    surveys: context.surveys,
    minGroupSize: context.config.org.surveys.minGroupSize,
    hashKey: context.config.secrets.surveyHashKey,
    excludeDemo: context.metrics.excludeDemo ?? false,
    now: () => context.clock.now(),
  };
}

/** Surveys: definitions (for the form), intake (JSON, CSV upload) and results with anonymity applied. */
export function registerSurveyRoutes(app: FastifyTypebox, context: RouteContext): void {
  const surveys = surveyContextOf(context);
  // Results and participation are dashboard reads: from the read replica when there is one.
  const reads = { ...surveys, db: context.database.read };
  const summary = (survey: (typeof context.surveys)[number]) => ({
    id: survey.id,
    title: survey.title,
    quarter: survey.quarter,
    opens: survey.opens,
    closes: survey.closes,
    status: surveyStatus(survey, context.clock.now()),
    oneResponsePerLink: !survey.openForm,
    openForm: survey.openForm,
  });

  app.get(
    '/api/v1/surveys',
    {
      schema: {
        summary: 'The survey rounds (scorecards/surveys/*.yaml), newest first',
        tags: ['surveys'],
        response: { 200: SurveyListSchema },
      },
    },
    async () => ({ surveys: [...context.surveys].reverse().map(summary) }),
  );

  app.get(
    '/api/v1/surveys/participation',
    {
      schema: {
        summary:
          'Responses and response rate per team in every round that has opened: the participation trend',
        description: "Each figure is the one that round's results publish, withheld alike.",
        tags: ['surveys'],
        response: { 200: ParticipationSchema },
      },
    },
    async () => surveyParticipation(reads),
  );

  app.get(
    '/api/v1/surveys/:id',
    {
      schema: {
        summary: "A survey's questions and the teams a respondent can pick (what the form shows)",
        tags: ['surveys'],
        params: SurveyParams,
        response: { 200: SurveyDefinitionSchema, 404: ErrorResponse },
      },
    },
    async (request) => {
      const survey = findSurvey(surveys, request.params.id);
      const teams = await surveyTeams(context.database.db);
      return {
        ...summary(survey),
        questions: survey.questions.map((question) => ({ ...question })),
        teams: teams.map((team) => ({ slug: team.slug, name: team.name })),
      };
    },
  );

  const auth = {
    db: context.database.db,
    clock: context.clock,
    ingestSecret: context.config.secrets.ingestSecret,
  };
  const ingestScope = requireScope(auth, 'ingest');
  app.post(
    '/api/v1/surveys/:id/responses',
    {
      // The form has no login: a respondent answers through a one-time link issued for their team. A sender
      // may instead authenticate (an ingest token or signature), which also fixes the team; only such a
      // sender may give a respondent identifier, since it replaces that person's earlier answers (else
      // anybody knowing a colleague's e-mail could overwrite their response).
      preValidation: [
        singleEventAsBatch,
        async function (request, reply) {
          const items = request.body as unknown[];
          const index = items.findIndex(
            (item) => typeof item === 'object' && item !== null && 'respondent' in item,
          );
          const credentials =
            request.headers.authorization !== undefined ||
            request.headers['x-groundwork-signature'] !== undefined;
          if (index < 0 && !credentials) return;
          try {
            await ingestScope.call(this, request, reply);
          } catch (error) {
            if (!(error instanceof AppError) || index < 0) throw error;
            throw new AppError(
              error.statusCode,
              error.code,
              `body[${index}].respondent replaces that person's earlier answers, so it needs a token with ` +
                `the ingest scope: ${error.message}`,
              `body[${index}].respondent`,
              { cause: error },
            );
          }
        },
      ],
      schemaErrorFormatter: firstSchemaError,
      schema: {
        summary:
          'Submit responses (one, or up to 1,000, all-or-nothing): through one-time links, or authenticated',
        description:
          'Each item: `token` (a one-time link issued for a team: it works once and fixes the team) or `team` ' +
          '(slug or name, with an ingest token or signature, or on a survey with `openForm: true`), `answers` by ' +
          'question key, optional `submittedAt` and `respondent` (kept only as a keyed hash, to replace an ' +
          'earlier response of the same person; needs an ingest or admin token). A bad item is a 400 naming it ' +
          '(`body[3].answers.focus-time`); an item repeating the team and answers of an earlier one without a ' +
          'link or respondent is a double submission (409).',
        tags: ['surveys'],
        params: SurveyParams,
        body: ResponseBatchSchema,
        response: {
          201: Type.Object({ accepted: Type.Integer() }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const items = request.body as ResponseItemBody[];
      const result = await submitSurveyResponses(
        surveys,
        request.params.id,
        items.map(({ token, ...input }) => ({ input, linkToken: token ?? null })),
        {
          source: request.headers['x-groundwork-form'] === '1' ? 'form' : 'api',
          authenticated: request.auth !== undefined,
        },
      );
      return reply.status(201).send(result);
    },
  );

  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // A CSV body arrives as bytes: the import checks it is UTF-8 itself, to say so in a 400.
    scope.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/surveys/:id/import',
      {
        bodyLimit: CSV_BODY_LIMIT,
        preValidation: requireScope(auth, 'admin'),
        schema: {
          summary: 'Import a form tool export (CSV body, Content-Type: text/csv; admin token)',
          description:
            'All-or-nothing: any invalid row is a 400 listing each rejected line, and nothing is written, unless ' +
            '`skipInvalid=true`. Partial responses, empty rows and double submissions are left out and reported. `dryRun=true` reports without writing. `map.<field>=<header>` maps a column.',
          tags: ['surveys'],
          params: SurveyParams,
          querystring: Type.Object(
            { dryRun: Flag, skipInvalid: Flag },
            { additionalProperties: Type.String({ maxLength: 300 }) },
          ),
          response: {
            200: ImportReportSchema,
            400: ErrorResponse,
            401: ErrorResponse,
            403: ErrorResponse,
            404: ErrorResponse,
          },
        },
      },
      async (request) => {
        if (!Buffer.isBuffer(request.body)) {
          throw new AppError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            'send the CSV file as the body with Content-Type: text/csv',
            'body',
          );
        }
        const query = request.query as Record<string, unknown>;
        const overrides = Object.fromEntries(
          Object.entries(query)
            .filter(([key]) => key.startsWith('map.'))
            .map(([key, value]) => [key.slice('map.'.length), String(value)]),
        );
        const report = await importSurveyCsv(surveys, request.params.id, request.body, {
          dryRun: request.query.dryRun ?? false,
          skipInvalid: request.query.skipInvalid ?? false,
          overrides,
        });
        if (blocking(report) && !report.dryRun && !request.query.skipInvalid) {
          const first = report.rejected.find((row) => row.kind === 'invalid')!;
          throw new AppError(
            400,
            'ROWS_REJECTED',
            `${report.rejectedRows} of ${report.rows} rows rejected; nothing was written: ` +
              report.rejected
                .slice(0, 20)
                .map((row) => `line ${row.line}: ${row.field} ${row.reason}`)
                .join('; '),
            `line ${first.line}.${first.field}`,
          );
        }
        return report;
      },
    );
  });

  app.get(
    '/api/v1/surveys/:id/results',
    {
      schema: {
        summary: 'Results per team and organisation (groupBy=team) or per driver (groupBy=driver); CSV too',
        description:
          'A group with fewer than minGroupSize responses is `{ suppressed: true, reason }`, as is a group that ' +
          'could otherwise be worked out by subtracting visible groups from the organisation.',
        tags: ['surveys'],
        params: SurveyParams,
        querystring: Type.Object({
          groupBy: Type.Optional(
            Type.Union([Type.Literal('team'), Type.Literal('driver')], { default: 'team' }),
          ),
          format: Type.Optional(Type.Literal('csv')),
        }),
        response: {
          200: Type.Union([ResultsByTeamSchema, ResultsByDriverSchema]),
          400: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      // Computed from every response of two rounds: shared until a response (or anything) is written.
      const results = await shared(context.metrics.figures, ['survey-results', request.params.id], () =>
        surveyResults(reads, request.params.id),
      );
      if (wantsCsv(request))
        return sendCsv(reply, resultCsvRows(results), `${results.survey.id}-results.csv`);
      return request.query.groupBy === 'driver' ? resultsByDriver(results) : results;
    },
  );
}
