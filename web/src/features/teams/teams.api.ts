/** Mirrors the `/api/v1/teams` response schema in server/routes/teams.routes.ts. */
export interface TeamSummary {
  slug: string;
  name: string;
  repositories: string[];
  services: string[];
  memberCount: number;
}

export async function fetchTeams(signal?: AbortSignal): Promise<TeamSummary[]> {
  const response = await fetch('/api/v1/teams', signal ? { signal } : {});
  if (!response.ok) throw new Error(`GET /api/v1/teams answered ${response.status}`);
  const body = (await response.json()) as { teams: TeamSummary[] };
  return body.teams;
}
