import type { FrictionPoint } from '../../scorecards/friction.schema.ts';
import { round2 } from './statistics.ts';
import type { Confidence, TeamFriction } from './team-friction.ts';

/**
 * The organisation's figure for a friction point is the sum of its teams' figures as published: a team
 * whose survey answers are withheld contributes its telemetry figure only, so subtracting teams from the
 * organisation reveals nothing the team rows do not show. Points are ranked by hours lost per week
 * (`hours`, the default) or by hours × breadth (`hours-breadth`: a cost most teams share first).
 */

export type RankBy = 'hours' | 'hours-breadth';

export interface FrictionRow {
  rank: number;
  friction: { id: string; title: string; description: string | null; directFix: string };
  hoursPerWeek: number | null;
  /** The survey teams' t-intervals combined (half-widths added in quadrature); null without any. */
  interval: { low: number; high: number } | null;
  hoursPerDeveloper: number | null;
  developers: number;
  breadth: { affectedTeams: number; teams: number; share: number; affected: string[] };
  /** What the ranking sorted by. */
  score: number | null;
  sources: {
    surveyHoursPerWeek: number | null;
    surveyTeams: number;
    ticketCalendarHoursPerWeek: number | null;
    ticketBlockedHoursPerWeek: number | null;
    deliveryHoursPerWeek: number | null;
  };
  disagreement: { flagged: boolean; teams: string[] };
  confidence: Confidence;
  confidenceReasons: string[];
  trend: { previousHoursPerWeek: number | null; change: number | null };
  teams: TeamFriction[];
}

const sum = (values: readonly (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length > 0 ? round2(present.reduce((a, b) => a + b, 0)) : null;
};

export function frictionRow(
  point: FrictionPoint,
  teams: TeamFriction[],
  teamCount: number,
  previousHoursPerWeek: number | null,
): Omit<FrictionRow, 'rank' | 'score'> {
  const hours = sum(teams.map((t) => t.hoursPerWeek));
  const developers = teams.reduce((total, t) => total + t.developers, 0);
  const quadrature = Math.sqrt(teams.reduce((total, t) => total + t.halfWidth ** 2, 0));
  const surveyTeams = teams.filter((t) => t.basis === 'survey');
  const affected = teams.filter((t) => t.affected).map((t) => t.team.slug);
  const flagged = teams.filter((t) => t.disagreement?.flagged).map((t) => t.team.slug);
  return {
    friction: {
      id: point.id,
      title: point.title,
      description: point.description,
      directFix: point.directFix,
    },
    hoursPerWeek: hours,
    interval:
      hours !== null && surveyTeams.some((t) => t.halfWidth > 0)
        ? { low: round2(Math.max(0, hours - quadrature)), high: round2(hours + quadrature) }
        : null,
    hoursPerDeveloper: hours !== null && developers > 0 ? round2(hours / developers) : null,
    developers,
    breadth: {
      affectedTeams: affected.length,
      teams: teamCount,
      share: teamCount > 0 ? round2(affected.length / teamCount) : 0,
      affected,
    },
    sources: {
      surveyHoursPerWeek: sum(surveyTeams.map((t) => t.hoursPerWeek)),
      surveyTeams: surveyTeams.length,
      ticketCalendarHoursPerWeek: sum(teams.map((t) => t.tickets?.calendarHoursPerWeek ?? null)),
      ticketBlockedHoursPerWeek: sum(teams.map((t) => t.tickets?.blockedHoursPerWeek ?? null)),
      deliveryHoursPerWeek: sum(teams.flatMap((t) => t.telemetry.map((m) => m.hoursPerWeek))),
    },
    disagreement: { flagged: flagged.length > 0, teams: flagged },
    ...organisationConfidence(teams, flagged),
    trend: {
      previousHoursPerWeek,
      change: hours !== null && previousHoursPerWeek !== null ? round2(hours - previousHoursPerWeek) : null,
    },
    teams,
  };
}

/**
 * The organisation's confidence follows the hours: high when teams holding at least half of the hours are
 * high, low when teams holding at least half are low, else medium; a disagreement in a team holding at
 * least half of the hours caps it at medium.
 */
function organisationConfidence(
  teams: TeamFriction[],
  flagged: string[],
): { confidence: Confidence; confidenceReasons: string[] } {
  const total = teams.reduce((s, t) => s + (t.hoursPerWeek ?? 0), 0);
  if (total <= 0) {
    const any = teams.some((t) => t.basis !== null);
    return {
      confidence: any ? 'medium' : 'low',
      confidenceReasons: [any ? 'measured, and no team loses hours to it' : 'no source measures hours'],
    };
  }
  const share = (level: Confidence) =>
    teams.filter((t) => t.confidence === level).reduce((s, t) => s + (t.hoursPerWeek ?? 0), 0) / total;
  const flaggedShare =
    teams.filter((t) => flagged.includes(t.team.slug)).reduce((s, t) => s + (t.hoursPerWeek ?? 0), 0) / total;
  const percent = (value: number) => `${Math.round(value * 100)} %`;
  const reasons = [
    `${percent(share('high'))} of the hours from high-confidence teams, ${percent(share('low'))} from low`,
  ];
  if (flaggedShare >= 0.5) {
    reasons.push(`${percent(flaggedShare)} of the hours from teams where survey and telemetry disagree`);
    return { confidence: share('low') >= 0.5 ? 'low' : 'medium', confidenceReasons: reasons };
  }
  if (share('high') >= 0.5) return { confidence: 'high', confidenceReasons: reasons };
  if (share('low') >= 0.5) return { confidence: 'low', confidenceReasons: reasons };
  return { confidence: 'medium', confidenceReasons: reasons };
}

/**
 * Whether a row's hours rest mostly on survey groups below `minResponses` (10 by default): then it is
 * ranked by the low end of its interval, so a small sample never outranks strong telemetry on its point
 * figure alone, yet a cost the survey shows clearly (its low end still above) keeps its place.
 */
function restsOnFewResponses(row: Omit<FrictionRow, 'rank' | 'score'>, minResponses: number): boolean {
  if (row.hoursPerWeek === null || row.hoursPerWeek <= 0 || row.interval === null) return false;
  const few = row.teams
    .filter(
      (t) => t.basis === 'survey' && t.survey && !t.survey.suppressed && t.survey.respondents < minResponses,
    )
    .reduce((sum, t) => sum + (t.hoursPerWeek ?? 0), 0);
  return few * 2 >= row.hoursPerWeek;
}

/**
 * Ranks rows (nulls last, then by id for a stable order) and numbers them from 1. A row resting on survey
 * groups of fewer than `minResponses` is scored by its interval's low end, and says so.
 */
export function rankRows(
  rows: Omit<FrictionRow, 'rank' | 'score'>[],
  rankBy: RankBy,
  minResponses: number,
): FrictionRow[] {
  const scored = rows.map((row) => {
    const few = restsOnFewResponses(row, minResponses);
    const hours = few ? row.interval!.low : row.hoursPerWeek;
    return {
      ...row,
      ...(few
        ? {
            confidenceReasons: [
              ...row.confidenceReasons,
              `most hours from survey groups of fewer than ${minResponses} respondents: ranked by the interval's low end, ${row.interval!.low} h/week`,
            ],
          }
        : {}),
      score: hours === null ? null : rankBy === 'hours' ? hours : round2(hours * row.breadth.share),
    };
  });
  scored.sort(
    (a, b) =>
      (a.score === null ? 1 : 0) - (b.score === null ? 1 : 0) ||
      (b.score ?? 0) - (a.score ?? 0) ||
      a.friction.id.localeCompare(b.friction.id),
  );
  return scored.map((row, index) => ({ ...row, rank: index + 1 }));
}
