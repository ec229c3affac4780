/** Mirrors the `/api/v1/teams` response schema in server/routes/teams.routes.ts. */
export interface TeamSummary {
  slug: string;
  name: string;
  repositories: string[];
  services: string[];
  memberCount: number;
}

export interface TeamsResponse {
  teams: TeamSummary[];
}

export const TEAMS_URL = '/api/v1/teams';

export const teamPath = (slug: string, period: string) =>
  `/teams/${encodeURIComponent(slug)}?period=${encodeURIComponent(period)}`;
