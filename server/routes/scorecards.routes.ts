import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import type { ScorecardContext } from '../scorecards/scorecard-history.service.ts';
import { allTeamScorecards, scorecardCsvRows, teamScorecards } from '../scorecards/scorecards.service.ts';
import { sendCsv, wantsCsv } from './csv.ts';
import { PeriodQuerySchema } from './metrics.schemas.ts';
import { AllTeamScorecardsSchema, TeamScorecardsSchema } from './scorecards.schemas.ts';
import { ErrorResponse } from './schemas.ts';

export function registerScorecardRoutes(app: FastifyTypebox, scorecards: ScorecardContext): void {
  app.get(
    '/api/v1/teams/:team/scorecards',
    {
      schema: {
        summary: "A team's level on every scorecard, each rule's status and value, and its monthly history",
        tags: ['scorecards'],
        params: Type.Object({ team: Type.String({ description: 'team slug' }) }),
        querystring: Type.Object(PeriodQuerySchema),
        response: { 200: TeamScorecardsSchema, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => teamScorecards(scorecards, request.params.team, request.query),
  );

  app.get(
    '/api/v1/scorecards',
    {
      schema: {
        summary: 'Every active team on every scorecard (CSV: one row per team and scorecard)',
        tags: ['scorecards'],
        querystring: Type.Object(PeriodQuerySchema),
        response: { 200: AllTeamScorecardsSchema, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await allTeamScorecards(scorecards, request.query);
      return wantsCsv(request) ? sendCsv(reply, scorecardCsvRows(result), 'scorecards.csv') : result;
    },
  );
}
