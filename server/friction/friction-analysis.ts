import type { Kysely } from 'kysely';
import type { OrganizationConfig } from '../config/config.ts';
import type { Database } from '../db/tables.ts';
import { teamSizesAt } from '../db/teams.repository.ts';
import type { DeliveryMetrics } from '../metrics/delivery-metrics.ts';
import { organizationMetrics } from '../metrics/metrics.service.ts';
import type { MetricsContext } from '../metrics/metrics.service.ts';
import { namedPeriod } from '../metrics/period.ts';
import type { Period } from '../metrics/period.ts';
import { ticketWaitSums } from '../metrics/ticket-friction.metric.ts';
import { countedRound, surveyResults } from '../surveys/surveys.service.ts';
import type { SurveyResults } from '../surveys/survey-results.ts';
import type { FrictionCatalogue } from '../../scorecards/friction.schema.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { DAY_MS } from '../time.ts';
import { shared } from '../cache/shared-figures.ts';
import { frictionRow, rankRows } from './friction-ranking.ts';
import type { FrictionRow, RankBy } from './friction-ranking.ts';
import { surveyEvidence } from './survey-evidence.ts';
import { surveyRoundFor } from './survey-round.ts';
import { teamFriction } from './team-friction.ts';
import type { FrictionSettings, TeamFriction } from './team-friction.ts';

/** What the friction capability reads: the database, the configuration, the surveys and the catalogues. */
export interface FrictionContext {
  db: Kysely<Database>;
  org: OrganizationConfig;
  metrics: MetricsContext;
  surveys: readonly Survey[];
  catalogue: FrictionCatalogue;
  now: () => Date;
}

export interface FrictionAnalysis {
  period: Period;
  /** The period's end, or now when earlier: weeks are counted to here. */
  asOf: Date;
  weeks: number;
  round: { id: string; title: string; quarter: string; note: string } | null;
  teams: { slug: string; name: string; developers: number }[];
  /** Ranked by hours, organisation figures with every team's. */
  rows: FrictionRow[];
  delivery: { organization: DeliveryMetrics | null; teams: Map<string, DeliveryMetrics> };
  surveyResults: SurveyResults | null;
  settings: FrictionSettings;
}

/** The quarter `now` falls in (`2026-Q4`): the default period. */
export function currentQuarter(now: Date): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

/** The period of the same kind just before: the previous quarter, month or year, else the same length. */
export function previousPeriod(period: Period): Period {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period.label);
  if (quarter) {
    const index = Number(quarter[1]) * 4 + Number(quarter[2]) - 2;
    return namedPeriod(`${Math.floor(index / 4)}-Q${(index % 4) + 1}`, period.from);
  }
  const length = period.to.getTime() - period.from.getTime();
  const from = new Date(period.from.getTime() - length);
  return { from, to: period.from, label: `${from.toISOString()}/${period.from.toISOString()}` };
}

export function frictionSettings(org: OrganizationConfig): FrictionSettings {
  return { ...org.friction, minSampleForTier: org.metrics.minSampleForTier };
}

/**
 * Every friction point's hours lost per week for every team and the organisation in one period, with the
 * evidence behind each figure, ranked by hours; with `trend`, the previous period's figures beside them.
 */
export async function analyseFriction(
  ctx: FrictionContext,
  period: Period,
  options: { trend: boolean },
): Promise<FrictionAnalysis> {
  const now = ctx.now();
  const asOf = now < period.to ? now : period.to;
  const weeks = Math.max(0, (asOf.getTime() - period.from.getTime()) / (7 * DAY_MS));
  const settings = frictionSettings(ctx.org);
  const teams = await teamSizesAt(ctx.db, asOf);
  const choice = surveyRoundFor(ctx.surveys, period, now);
  const surveyContext = {
    db: ctx.db,
    surveys: ctx.surveys,
    minGroupSize: ctx.org.surveys.minGroupSize,
    hashKey: null,
    now: ctx.now,
    excludeDemo: ctx.metrics.excludeDemo ?? false,
  };
  // The same shared figures as the survey results page (and the other period's analysis, same round).
  const results = choice
    ? await shared(ctx.metrics.figures, ['survey-results', choice.survey.id], () =>
        surveyResults(surveyContext, choice.survey.id),
      )
    : null;
  // The responses the published results count (team fixed by its channel, no demo rows under a configuration):
  // hours means from any other set would not match the suppression the results applied.
  const responses = choice ? (await countedRound(surveyContext, choice.survey)).responses : [];
  const tickets = await ticketWaitSums(ctx.db, {
    period,
    asOf,
    waiting: { categories: ctx.org.tickets.waitingStatusCategories, names: ctx.org.tickets.waitingStatuses },
    groupBy: null,
  });
  const metrics =
    weeks > 0
      ? await organizationMetrics(ctx.metrics, {
          from: period.from.toISOString(),
          to: asOf.toISOString(),
          groupBy: 'team',
        })
      : null;
  const deliveryByTeam = new Map((metrics?.teams ?? []).map((t) => [t.team, t as DeliveryMetrics]));
  const previous = options.trend
    ? await analyseFriction(ctx, previousPeriod(period), { trend: false })
    : null;
  const teamIds = new Map(teams.map((team) => [team.slug, team.id]));
  const rows = ctx.catalogue.frictionPoints.map((point) => {
    const evidence =
      choice && results
        ? surveyEvidence(point, { survey: choice.survey, results, responses }, teamIds)
        : null;
    const teamRows: TeamFriction[] = teams.map((team) =>
      teamFriction(point, {
        team: { slug: team.slug, name: team.name, developers: team.size },
        weeks,
        survey: choice ? { round: choice.survey.id, evidence: evidence?.get(team.slug) } : null,
        tickets: { available: tickets.length > 0, rows: tickets },
        delivery: deliveryByTeam.get(team.slug),
        settings,
      }),
    );
    const before = previous?.rows.find((row) => row.friction.id === point.id)?.hoursPerWeek ?? null;
    const row = frictionRow(point, teamRows, teams.length, before);
    if (previous) {
      for (const teamRow of row.teams) {
        const was = previous.rows
          .find((r) => r.friction.id === point.id)
          ?.teams.find((t) => t.team.slug === teamRow.team.slug)?.hoursPerWeek;
        teamRow.previousHoursPerWeek = was ?? null;
      }
    }
    return row;
  });
  return {
    period,
    asOf,
    weeks,
    round: choice
      ? {
          id: choice.survey.id,
          title: choice.survey.title,
          quarter: choice.survey.quarter,
          note: choice.note,
        }
      : null,
    teams: teams.map((team) => ({ slug: team.slug, name: team.name, developers: team.size })),
    rows: rankRows(rows, 'hours', settings.confidence.minResponses),
    delivery: {
      organization: metrics?.organization ?? null,
      teams: deliveryByTeam,
    },
    surveyResults: results,
    settings,
  };
}

export type { RankBy };
