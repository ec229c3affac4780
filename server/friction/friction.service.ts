import { AppError } from '../errors.ts';
import { resolvePeriod } from '../metrics/period.ts';
import type { Period } from '../metrics/period.ts';
import { FRICTION_MEASURES } from '../metrics/friction-measures.ts';
import type { FrictionPoint } from '../../scorecards/friction.schema.ts';
import { analyseFriction, currentQuarter } from './friction-analysis.ts';
import type { FrictionAnalysis, FrictionContext } from './friction-analysis.ts';
import { frictionRow, rankRows } from './friction-ranking.ts';
import type { FrictionRow, RankBy } from './friction-ranking.ts';
import { readinessVerdict } from './readiness.ts';
import type { ReadinessVerdict } from './readiness.ts';
import { recommendCapabilities } from './recommendations.ts';
import type { Recommendation } from './recommendations.ts';
import type { TeamFriction } from './team-friction.ts';

/**
 * The decision the product exists for, as the API serves it: the friction ranking (with the evidence and
 * a link to the rows behind every figure), the capabilities worth building and the readiness verdict, all
 * for one period — by default the current quarter.
 */

export interface EvidenceLink {
  label: string;
  href: string;
}

export type PublicTeamFriction = Omit<TeamFriction, 'halfWidth'> & { evidence: EvidenceLink[] };
export type PublicFrictionRow = Omit<FrictionRow, 'teams'> & {
  evidence: EvidenceLink[];
  teams: PublicTeamFriction[];
};

interface PeriodHeader {
  period: string;
  from: string;
  to: string;
  asOf: string;
  weeks: number;
  surveyRound: FrictionAnalysis['round'];
}

export interface FrictionReport extends PeriodHeader {
  rank: RankBy;
  team: string | null;
  settings: { ticketBlockedFactor: number; affectedHoursPerDeveloper: number; disagreementRatio: number };
  teams: number;
  frictions: PublicFrictionRow[];
}

export interface Decision {
  analysis: FrictionAnalysis;
  readiness: ReadinessVerdict;
  recommendations: Recommendation[];
}

export function resolveFrictionPeriod(ctx: FrictionContext, period: string | undefined): Period {
  return resolvePeriod({ period: period ?? currentQuarter(ctx.now()) }, ctx.now());
}

/**
 * One analysis per context and period, shared by the requests that arrive together (the "What to build next"
 * page asks for the ranking, the verdict and the recommendations at once) and kept a few seconds: computing
 * it reads every team's delivery metrics for two periods. Short enough that a new event shows on a reload.
 */
const SHARED_FOR_MS = 10_000;
const shared = new WeakMap<
  FrictionContext,
  Map<string, { at: number; analysis: Promise<FrictionAnalysis> }>
>();

function sharedAnalysis(ctx: FrictionContext, period: Period): Promise<FrictionAnalysis> {
  const now = Date.now();
  const byPeriod = shared.get(ctx) ?? new Map<string, { at: number; analysis: Promise<FrictionAnalysis> }>();
  shared.set(ctx, byPeriod);
  for (const [key, entry] of byPeriod) if (now - entry.at > SHARED_FOR_MS) byPeriod.delete(key);
  // Rolling periods (last-30d) move with the clock: within one window they count as the same period.
  const key = `${period.label}|${Math.floor(ctx.now().getTime() / SHARED_FOR_MS)}`;
  const found = byPeriod.get(key);
  if (found) return found.analysis;
  const analysis = analyseFriction(ctx, period, { trend: true });
  byPeriod.set(key, { at: now, analysis });
  analysis.catch(() => byPeriod.delete(key));
  return analysis;
}

/** The analysis, the verdict and the recommendations of one period, computed once for every view of them. */
export async function decide(ctx: FrictionContext, period: Period): Promise<Decision> {
  const analysis = await sharedAnalysis(ctx, period);
  const readiness = readinessVerdict({
    teams: analysis.teams,
    delivery: analysis.delivery,
    rows: analysis.rows,
    settings: analysis.settings,
  });
  const recommendations = recommendCapabilities({
    capabilities: ctx.catalogue.capabilities,
    rows: analysis.rows,
    readiness,
    shipped: ctx.org.friction.shipped,
    surveyResults: analysis.surveyResults,
    settings: analysis.settings,
  });
  return { analysis, readiness, recommendations };
}

function header(analysis: FrictionAnalysis): PeriodHeader {
  return {
    period: analysis.period.label,
    from: analysis.period.from.toISOString(),
    to: analysis.period.to.toISOString(),
    asOf: analysis.asOf.toISOString(),
    weeks: Math.round(analysis.weeks * 100) / 100,
    surveyRound: analysis.round,
  };
}

export async function frictionReport(
  ctx: FrictionContext,
  query: { period?: string | undefined; team?: string | undefined; rank?: RankBy | undefined },
): Promise<FrictionReport> {
  const analysis = await sharedAnalysis(ctx, resolveFrictionPeriod(ctx, query.period));
  return frictionView(ctx, analysis, query);
}

/** The ranking as served: for the organisation, or one team's friction ranked by its own hours. */
export function frictionView(
  ctx: FrictionContext,
  analysis: FrictionAnalysis,
  query: { team?: string | undefined; rank?: RankBy | undefined },
): FrictionReport {
  const rank = query.rank ?? 'hours';
  const slug = query.team;
  if (slug !== undefined && !analysis.teams.some((t) => t.slug === slug))
    throw new AppError(404, 'TEAM_NOT_FOUND', `no team "${slug}"`, 'team');
  const pointOf = new Map(ctx.catalogue.frictionPoints.map((p) => [p.id, p]));
  const rows =
    slug === undefined
      ? analysis.rows
      : analysis.rows.map((row) => {
          const only = row.teams.filter((t) => t.team.slug === slug);
          return frictionRow(pointOf.get(row.friction.id)!, only, 1, only[0]?.previousHoursPerWeek ?? null);
        });
  const periodQuery = `period=${encodeURIComponent(analysis.period.label)}`;
  return {
    ...header(analysis),
    rank,
    team: slug ?? null,
    settings: {
      ticketBlockedFactor: analysis.settings.ticketBlockedFactor,
      affectedHoursPerDeveloper: analysis.settings.affectedHoursPerDeveloper,
      disagreementRatio: analysis.settings.disagreementRatio,
    },
    teams: analysis.teams.length,
    frictions: rankRows(rows, rank, analysis.settings.confidence.minResponses).map((row) => {
      const point = pointOf.get(row.friction.id)!;
      return {
        ...row,
        evidence: evidenceLinks(point, analysis, periodQuery, slug ?? null),
        teams: row.teams.map(({ halfWidth: _halfWidth, ...team }) => ({
          ...team,
          evidence: evidenceLinks(point, analysis, periodQuery, team.team.slug),
        })),
      };
    }),
  };
}

/** Where the rows behind a figure are: survey results, the ticket drill-down, PR and deployment samples. */
function evidenceLinks(
  point: FrictionPoint,
  analysis: FrictionAnalysis,
  periodQuery: string,
  team: string | null,
): EvidenceLink[] {
  const links: EvidenceLink[] = [];
  if (analysis.round && (point.surveyDrivers.length > 0 || point.surveyHours.length > 0))
    links.push({
      label: `Survey results, ${analysis.round.title}`,
      href: `/api/v1/surveys/${analysis.round.id}/results?groupBy=${team ? 'team' : 'driver'}`,
    });
  if (point.ticketCategories.length > 0) {
    if (team)
      links.push({
        label: `Requests from ${team} by wait before start`,
        href: `/api/v1/tickets/wait-times/tickets?${periodQuery}&groupBy=requestingTeam&group=${encodeURIComponent(team)}&measure=waitBeforeStart`,
      });
    else
      for (const category of point.ticketCategories)
        links.push({
          label: `${category} requests by wait before start`,
          href: `/api/v1/tickets/wait-times/tickets?${periodQuery}&groupBy=category&group=${encodeURIComponent(category)}&measure=waitBeforeStart`,
        });
  }
  for (const evidence of point.delivery) {
    const measure = FRICTION_MEASURES.get(evidence.measure)!;
    const metric = measure.key.split('.')[0]!;
    links.push(
      team
        ? {
            label: `${measure.label}: the ${measure.events} behind it`,
            href: `/api/v1/teams/${encodeURIComponent(team)}/metrics/${metric}/samples?${periodQuery}`,
          }
        : { label: `${measure.label} per team`, href: `/api/v1/metrics?${periodQuery}&groupBy=team` },
    );
  }
  return links;
}

export interface RecommendationsReport extends PeriodHeader {
  verdict: ReadinessVerdict['verdict'];
  settings: { hourlyCost: number; currency: string; platformTeamSize: number; workingWeeksPerYear: number };
  recommendations: Recommendation[];
}

export async function recommendationsReport(
  ctx: FrictionContext,
  query: { period?: string | undefined },
): Promise<RecommendationsReport> {
  const { analysis, readiness, recommendations } = await decide(
    ctx,
    resolveFrictionPeriod(ctx, query.period),
  );
  return recommendationsView(analysis, readiness, recommendations);
}

export function recommendationsView(
  analysis: FrictionAnalysis,
  readiness: ReadinessVerdict,
  recommendations: Recommendation[],
): RecommendationsReport {
  return {
    ...header(analysis),
    verdict: readiness.verdict,
    settings: {
      hourlyCost: analysis.settings.hourlyCost,
      currency: analysis.settings.currency,
      platformTeamSize: analysis.settings.platformTeamSize,
      workingWeeksPerYear: 46,
    },
    recommendations,
  };
}

export type ReadinessReport = PeriodHeader & ReadinessVerdict;

export async function readinessReport(
  ctx: FrictionContext,
  query: { period?: string | undefined },
): Promise<ReadinessReport> {
  const { analysis, readiness } = await decide(ctx, resolveFrictionPeriod(ctx, query.period));
  return { ...header(analysis), ...readiness };
}
