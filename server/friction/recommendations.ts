import type { ShippedCapabilityConfig } from '../config/friction.schema.ts';
import type { SurveyResults } from '../surveys/survey-results.ts';
import type { Capability } from '../../scorecards/friction.schema.ts';
import type { FrictionRow } from './friction-ranking.ts';
import type { ReadinessVerdict } from './readiness.ts';
import { round2 } from './statistics.ts';
import type { FrictionSettings } from './team-friction.ts';

/**
 * "What should the platform team build next?" Per capability:
 * - R = Σ share × hours per week of each friction point it addresses (hours it would give back each week);
 * - value per year = R × 46 working weeks × hourlyCost;
 * - payback = effortTeamWeeks × platformTeamSize × 40 hours ÷ R, in weeks;
 * - the teams that would gain most (the same sum over each team's hours), and unmet prerequisites;
 * - beside it, the developers' own vote where the survey asks "which would help you most".
 * Ranked: buildable now by payback (shortest first), then those waiting on a prerequisite, then those
 * already shipped.
 */

export const WORKING_WEEKS_PER_YEAR = 46;
export const HOURS_PER_WEEK = 40;

export interface Recommendation {
  rank: number;
  capability: { id: string; title: string; description: string | null };
  recoveredHoursPerWeek: number;
  valuePerYear: number;
  currency: string;
  effortTeamWeeks: number;
  paybackWeeks: number | null;
  addresses: {
    friction: string;
    title: string;
    share: number;
    hoursPerWeek: number | null;
    recoveredHoursPerWeek: number;
  }[];
  teamsGainingMost: { team: { slug: string; name: string }; recoveredHoursPerWeek: number }[];
  prerequisites: { kind: 'capability' | 'condition'; id: string; met: boolean; detail: string }[];
  unmetPrerequisites: string[];
  status: 'buildable' | 'blocked' | 'shipped';
  shipped: { shippedOn: string; adoptingTeams: string[] } | null;
  vote:
    | { question: string; option: string; label: string; percent: number; respondents: number; round: string }
    | { question: string; option: string; suppressed: true; reason: string; round: string }
    | null;
}

export interface RecommendationInputs {
  capabilities: readonly Capability[];
  rows: readonly FrictionRow[];
  readiness: ReadinessVerdict;
  shipped: readonly ShippedCapabilityConfig[];
  surveyResults: SurveyResults | null;
  settings: FrictionSettings;
}

export function recommendCapabilities(inputs: RecommendationInputs): Recommendation[] {
  const { settings } = inputs;
  const rowOf = new Map(inputs.rows.map((row) => [row.friction.id, row]));
  const shippedOf = new Map(inputs.shipped.map((s) => [s.capability, s]));
  const stable = inputs.readiness.verdict !== 'fix-delivery-first';
  const unranked = inputs.capabilities.map((capability): Omit<Recommendation, 'rank'> => {
    const addresses = capability.addresses.map((address) => {
      const row = rowOf.get(address.friction);
      const hours = row?.hoursPerWeek ?? null;
      return {
        friction: address.friction,
        title: row?.friction.title ?? address.friction,
        share: address.share,
        hoursPerWeek: hours,
        recoveredHoursPerWeek: round2(address.share * (hours ?? 0)),
      };
    });
    const recovered = round2(addresses.reduce((sum, a) => sum + a.recoveredHoursPerWeek, 0));
    const byTeam = new Map<string, { team: { slug: string; name: string }; hours: number }>();
    for (const address of capability.addresses) {
      for (const team of rowOf.get(address.friction)?.teams ?? []) {
        const entry = byTeam.get(team.team.slug) ?? { team: team.team, hours: 0 };
        entry.hours += address.share * (team.hoursPerWeek ?? 0);
        byTeam.set(team.team.slug, entry);
      }
    }
    const prerequisites = capability.prerequisites.map((prerequisite) => {
      if ('capability' in prerequisite) {
        const done = shippedOf.get(prerequisite.capability);
        return {
          kind: 'capability' as const,
          id: prerequisite.capability,
          met: done !== undefined,
          detail: done
            ? `${prerequisite.capability} shipped on ${done.shippedOn.toISOString().slice(0, 10)}`
            : `${prerequisite.capability} is not shipped yet`,
        };
      }
      return {
        kind: 'condition' as const,
        id: prerequisite.condition,
        met: stable,
        detail: stable
          ? 'delivery is stable enough (the readiness verdict is not fix-delivery-first)'
          : `delivery is not stable: ${inputs.readiness.summary}`,
      };
    });
    const unmet = prerequisites.filter((p) => !p.met).map((p) => p.id);
    const shipped = shippedOf.get(capability.id);
    return {
      capability: { id: capability.id, title: capability.title, description: capability.description },
      recoveredHoursPerWeek: recovered,
      valuePerYear: Math.round(recovered * WORKING_WEEKS_PER_YEAR * settings.hourlyCost),
      currency: settings.currency,
      effortTeamWeeks: capability.effortTeamWeeks,
      paybackWeeks:
        recovered > 0
          ? round2((capability.effortTeamWeeks * settings.platformTeamSize * HOURS_PER_WEEK) / recovered)
          : null,
      addresses,
      teamsGainingMost: [...byTeam.values()]
        .filter((entry) => entry.hours > 0)
        .sort((a, b) => b.hours - a.hours || a.team.slug.localeCompare(b.team.slug))
        .slice(0, 3)
        .map((entry) => ({ team: entry.team, recoveredHoursPerWeek: round2(entry.hours) })),
      prerequisites,
      unmetPrerequisites: unmet,
      status: shipped ? 'shipped' : unmet.length > 0 ? 'blocked' : 'buildable',
      shipped: shipped
        ? { shippedOn: shipped.shippedOn.toISOString().slice(0, 10), adoptingTeams: shipped.adoptingTeams }
        : null,
      vote: voteFor(capability, inputs.surveyResults),
    };
  });
  const order = { buildable: 0, blocked: 1, shipped: 2 } as const;
  return unranked
    .sort(
      (a, b) =>
        order[a.status] - order[b.status] ||
        (a.paybackWeeks === null ? 1 : 0) - (b.paybackWeeks === null ? 1 : 0) ||
        (a.paybackWeeks ?? 0) - (b.paybackWeeks ?? 0) ||
        b.recoveredHoursPerWeek - a.recoveredHoursPerWeek ||
        a.capability.id.localeCompare(b.capability.id),
    )
    .map((recommendation, index) => ({ ...recommendation, rank: index + 1 }));
}

/** The organisation's share choosing the capability's option, from the published results (withheld stays withheld). */
function voteFor(capability: Capability, results: SurveyResults | null): Recommendation['vote'] {
  const vote = capability.surveyVote;
  if (!vote || !results) return null;
  const base = { question: vote.question, option: vote.option, round: results.survey.id };
  const org = results.organization.result;
  if (org.suppressed) return { ...base, suppressed: true, reason: org.reason };
  const cell = org.choices.find((choice) => choice.question === vote.question);
  if (!cell) return null;
  if (cell.result.suppressed) return { ...base, suppressed: true, reason: cell.result.reason };
  const option = cell.result.options.find((o) => o.option === vote.option);
  if (!option) return null;
  return { ...base, label: option.label, percent: option.percent, respondents: cell.result.respondents };
}
