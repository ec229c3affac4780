import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { listActiveTeams } from '../db/teams.repository.ts';

const TeamSummary = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  repositories: Type.Array(Type.String(), { description: 'repository names or globs the team owns now' }),
  services: Type.Array(Type.String()),
  memberCount: Type.Integer(),
});

export function registerTeamRoutes(app: FastifyTypebox, database: DatabaseHandle): void {
  app.get(
    '/api/v1/teams',
    {
      schema: {
        summary: 'The active teams, with what they own now',
        tags: ['teams'],
        response: { 200: Type.Object({ teams: Type.Array(TeamSummary) }) },
      },
    },
    async () => ({ teams: await listActiveTeams(database.db) }),
  );
}
