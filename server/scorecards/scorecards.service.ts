import type { DeliveryMetrics } from '../metrics/delivery-metrics.ts';
import { findTeam, organizationFigures, teamMetrics } from '../metrics/metrics.service.ts';
import { resolvePeriod } from '../metrics/period.ts';
import type { PeriodQuery } from '../metrics/period.ts';
import { metricReader } from '../metrics/registry.ts';
import { evaluateScorecard } from '../../scorecards/evaluate.ts';
import type { ScorecardResult } from '../../scorecards/evaluate.ts';
import { closedMonths, scorecardHistory } from './scorecard-history.service.ts';
import type { HistoryPoint, ScorecardContext } from './scorecard-history.service.ts';

export type TeamScorecard = ScorecardResult & { history: HistoryPoint[] };

export interface TeamScorecards {
  team: string;
  name: string;
  period: string;
  from: string;
  to: string;
  scorecards: TeamScorecard[];
}

export interface AllTeamScorecards {
  period: string;
  from: string;
  to: string;
  teams: { team: string; name: string; scorecards: ScorecardResult[] }[];
}

/** One team's level on every scorecard for a period (computed live), with its closed-month history. */
export async function teamScorecards(
  ctx: ScorecardContext,
  slug: string,
  query: PeriodQuery,
): Promise<TeamScorecards> {
  const team = await findTeam(ctx.metrics.db, slug);
  const metrics = await teamMetrics(ctx.metrics, slug, query);
  const read = metricReader(metrics);
  // Reading the months' digests costs a pass over the team's half year: share it until data changes.
  const history = ctx.metrics.figures
    ? await ctx.metrics.figures.get({
        key: JSON.stringify([
          'scorecard-history',
          team.id,
          closedMonths(ctx.metrics.now()).map((m) => m.label),
        ]),
        compute: () => scorecardHistory(ctx, team),
      })
    : await scorecardHistory(ctx, team);
  return {
    team: team.slug,
    name: team.name,
    period: metrics.period,
    from: metrics.from,
    to: metrics.to,
    scorecards: ctx.cards.map((card) => ({
      ...evaluateScorecard(card, read),
      history: history.get(card.id) ?? [],
    })),
  };
}

/** Every active team on every scorecard for a period, from one by-team computation of the metrics. */
export async function allTeamScorecards(
  ctx: ScorecardContext,
  query: PeriodQuery,
): Promise<AllTeamScorecards> {
  const period = resolvePeriod(query, ctx.metrics.now());
  const figures = await organizationFigures(ctx.metrics, period, undefined);
  return {
    period: period.label,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    teams: figures.teams.map((team) => {
      const read = metricReader(figures.byTeam.get(team.id) as DeliveryMetrics);
      return {
        team: team.slug,
        name: team.name,
        scorecards: ctx.cards.map((card) => evaluateScorecard(card, read)),
      };
    }),
  };
}

const ruleText = (rule: ScorecardResult['missingForNextLevel'][number]) =>
  `${rule.metric} ${rule.op} ${rule.threshold} (${rule.value === null ? 'unknown' : `is ${rule.value}`})`;

/** One CSV row per team × scorecard: the level, what is missing for the next, and each metric's value. */
export function scorecardCsvRows(all: AllTeamScorecards): Record<string, unknown>[] {
  return all.teams.flatMap((team) =>
    team.scorecards.map((card) => {
      const rules = card.levels.flatMap((level) => level.rules);
      const count = (status: string) => rules.filter((rule) => rule.status === status).length;
      return {
        team: team.team,
        scorecard: card.id,
        period: all.period,
        from: all.from,
        to: all.to,
        level: card.level,
        nextLevel: card.nextLevel,
        missingForNextLevel: card.missingForNextLevel.map(ruleText).join('; '),
        rulesPassed: count('pass'),
        rulesFailed: count('fail'),
        rulesUnknown: count('unknown'),
        values: Object.fromEntries(rules.map((rule) => [rule.metric, rule.value])),
      };
    }),
  );
}
