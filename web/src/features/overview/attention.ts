import { formatHours, formatPerWeek, formatRate } from '../../lib/format.ts';
import type { DeliveryMetrics, Tier, TeamMetrics } from '../metrics/metrics.types.ts';

/**
 * "Where to look first": the few signals on the overview that say which team is struggling and on what.
 * It only selects and words figures the API computed — a bottom-tier metric, a lead time or deployment
 * frequency that moved a long way against the previous period of the same length — and ranks them
 * (bottom tier first, then the largest moves). Survey drivers and request categories join in from their
 * own APIs through `AttentionItem`s built beside them.
 */
export interface AttentionItem {
  team: string;
  /** What is wrong, in words ("Change failure rate 34 %, tier Low"). */
  text: string;
  /** Which view tells more: a metric, a survey driver, a request category. */
  kind: 'metric' | 'survey' | 'waits';
  /** Higher first. */
  weight: number;
}

const TIERED: {
  key: 'deploymentFrequency' | 'leadTime' | 'changeFailureRate' | 'recoveryTime';
  title: string;
}[] = [
  { key: 'deploymentFrequency', title: 'Deployment frequency' },
  { key: 'leadTime', title: 'Lead time for changes' },
  { key: 'changeFailureRate', title: 'Change failure rate' },
  { key: 'recoveryTime', title: 'Recovery time' },
];

const TIER_TITLE: Record<Tier, string> = { elite: 'Elite', high: 'High', medium: 'Medium', low: 'Low' };

function headline(metrics: DeliveryMetrics, key: (typeof TIERED)[number]['key']): string {
  switch (key) {
    case 'deploymentFrequency':
      return formatPerWeek(metrics.deploymentFrequency.perWeek);
    case 'leadTime':
      return formatHours(metrics.leadTime.medianHours);
    case 'changeFailureRate':
      return formatRate(metrics.changeFailureRate.rate);
    case 'recoveryTime':
      return formatHours(metrics.recoveryTime.medianHours);
  }
}

/** A move this large against the previous period is worth a look whatever the tier. */
const MOVE_FACTOR = 1.5;
/** Fewer samples than this on either side and a move is noise. */
const MIN_SAMPLES = 5;

export function deliveryAttention(
  teams: TeamMetrics[],
  previous: ReadonlyMap<string, DeliveryMetrics>,
  previousName: string,
): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const team of teams) {
    for (const { key, title } of TIERED) {
      if (team[key].tier === 'low') {
        items.push({
          team: team.team,
          text: `${title} ${headline(team, key)}, tier ${TIER_TITLE.low}`,
          kind: 'metric',
          weight: 3,
        });
      }
    }
    const before = previous.get(team.team);
    if (!before) continue;
    const now = team.leadTime;
    const was = before.leadTime;
    if (
      now.medianHours !== null &&
      was.medianHours !== null &&
      was.medianHours > 0 &&
      now.sampleSize >= MIN_SAMPLES &&
      was.sampleSize >= MIN_SAMPLES &&
      now.medianHours >= was.medianHours * MOVE_FACTOR
    ) {
      items.push({
        team: team.team,
        text: `Lead time for changes ${formatHours(now.medianHours)}, was ${formatHours(was.medianHours)} in ${previousName} (${(now.medianHours / was.medianHours).toFixed(1)}×)`,
        kind: 'metric',
        // Above every survey item from a group under FEW_RESPONSES (at most 2.4): a large regression on
        // strong telemetry is never buried by a handful of answers. Stop-gap until the server's ranking.
        weight: 2.5 + Math.min(now.medianHours / was.medianHours, 10) / 10,
      });
    }
    const deploys = team.deploymentFrequency;
    const deploysBefore = before.deploymentFrequency;
    if (deploysBefore.count >= MIN_SAMPLES && deploys.perWeek * MOVE_FACTOR <= deploysBefore.perWeek) {
      items.push({
        team: team.team,
        text: `Deployment frequency ${formatPerWeek(deploys.perWeek)}, was ${formatPerWeek(deploysBefore.perWeek)} in ${previousName}`,
        kind: 'metric',
        weight: 2,
      });
    }
  }
  return items;
}

/** The items to show, most serious first, at most `limit`. */
export function rankAttention(items: AttentionItem[], limit = 6): AttentionItem[] {
  return [...items].sort((a, b) => b.weight - a.weight || a.team.localeCompare(b.team)).slice(0, limit);
}

/** The period of the same length just before `[from, to)`, as API query parameters. */
export function previousRange(from: string, to: string): { from: string; to: string } {
  const start = Date.parse(from);
  const length = Date.parse(to) - start;
  return { from: new Date(start - length).toISOString(), to: new Date(start).toISOString() };
}

/** The few numbers of a group the overview reads from the ticket and survey APIs. */
export interface WaitGroupFigures {
  key: string | null;
  label: string;
  waitBeforeStart: { sampleSize: number; medianHours: number | null };
}

/** Teams whose requests to other teams wait far longer than everyone's before work starts. */
export function waitAttention(
  byTeam: WaitGroupFigures[],
  overallMedianHours: number | null,
): AttentionItem[] {
  if (overallMedianHours === null) return [];
  return byTeam.flatMap((group) => {
    const median = group.waitBeforeStart.medianHours;
    if (group.key === null || median === null || group.waitBeforeStart.sampleSize < MIN_SAMPLES) return [];
    if (median < 24 || median < overallMedianHours * 2) return [];
    return [
      {
        team: group.key,
        text: `Requests to other teams wait ${formatHours(median)} (median) before work starts; ${formatHours(overallMedianHours)} for all requests`,
        kind: 'waits' as const,
        weight: 2.5,
      },
    ];
  });
}

export interface DriverCell {
  team: { slug: string };
  result:
    | { suppressed: true }
    | {
        suppressed: false;
        respondents: number;
        favourablePercent: number;
        vsOrganization: { difference: number | null };
      };
}

/** Fewer respondents than this and a survey share is wide: it ranks below strong telemetry. */
const FEW_RESPONSES = 10;

/** Team × driver cells far below the organisation: a survey driver the team itself says is failing it. */
export function surveyAttention(drivers: { title: string; teams: DriverCell[] }[]): AttentionItem[] {
  return drivers.flatMap((driver) =>
    driver.teams.flatMap((cell) => {
      const result = cell.result;
      if (result.suppressed) return [];
      const gap = result.vsOrganization.difference;
      if (result.favourablePercent > 40 || gap === null || gap > -20) return [];
      const few = result.respondents < FEW_RESPONSES;
      return [
        {
          team: cell.team.slug,
          text: `Survey driver “${driver.title}”: ${Math.round(result.favourablePercent)} % favourable, ${Math.round(-gap)} points below the organisation${few ? ` (few responses: ${result.respondents})` : ''}`,
          kind: 'survey' as const,
          weight: (few ? 1.8 : 2) + Math.min(-gap, 60) / 100,
        },
      ];
    }),
  );
}
