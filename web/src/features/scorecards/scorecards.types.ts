/**
 * GET /api/v1/teams/:team/scorecards, mirrored type-only from server/routes/scorecards.schemas.ts and
 * scorecards/evaluate.ts (scorecards.types.check.ts fails the web type-check when they drift apart).
 */

export type RuleStatus = 'pass' | 'fail' | 'unknown';

export interface RuleResult {
  /** A key of the metric registry, e.g. `leadTime.medianHours`. */
  metric: string;
  label: string;
  /** The registry's unit: `hours`, `deployments per week`, `share of …`. */
  unit: string;
  op: string;
  threshold: number;
  weight: number;
  description: string;
  status: RuleStatus;
  /** The team's value; null (status unknown) when the metric has no data. */
  value: number | null;
  sampleSize: number;
  reason?: string;
}

export interface LevelResult {
  id: string;
  title: string;
  passed: boolean;
  rules: RuleResult[];
}

export interface ScorecardHistoryPoint {
  /** A closed calendar month, `2026-10` (UTC). */
  month: string;
  level: string | null;
  evaluatedAt: string;
}

export interface TeamScorecard {
  id: string;
  title: string;
  description: string | null;
  level: string | null;
  levelTitle: string | null;
  levels: LevelResult[];
  nextLevel: string | null;
  /** The next level's failing or unknown rules, highest weight first. */
  missingForNextLevel: RuleResult[];
  /** The last closed months, oldest first. */
  history: ScorecardHistoryPoint[];
}

export interface TeamScorecards {
  team: string;
  name: string;
  period: string;
  from: string;
  to: string;
  scorecards: TeamScorecard[];
}

/** GET /api/v1/scorecards: every active team on every scorecard. */
export interface AllTeamScorecards {
  period: string;
  from: string;
  to: string;
  teams: { team: string; name: string; scorecards: TeamScorecard[] }[];
}
