import { apiUrl } from '../../lib/api-client.ts';

export const teamScorecardsUrl = (team: string, period: string) =>
  apiUrl(`/api/v1/teams/${encodeURIComponent(team)}/scorecards`, { period });

export const allScorecardsUrl = (period: string) => apiUrl('/api/v1/scorecards', { period });
