import type { DeliveryMetrics } from '../metrics/delivery-metrics.ts';
import type { Tier } from '../metrics/tiers.ts';
import type { FrictionRow } from './friction-ranking.ts';
import { round2 } from './statistics.ts';
import type { FrictionSettings } from './team-friction.ts';

/**
 * Should this organisation build a platform now? Tested in order, each test reported with its value and
 * threshold whatever the outcome:
 * 1. `fix-delivery-first` when unstable teams (change failure rate or recovery time tier `low`) hold at
 *    least `unstableDeveloperShare` of the developers, or the organisation's change failure rate tier is
 *    `low`: a platform built on an unreliable pipeline spreads the unreliability faster.
 * 2. `fix-directly` when there are fewer than `minTeams` teams, or fewer than `minSharedFriction` friction
 *    points with breadth of at least `sharedBreadth`: little is shared, so fix the few points directly.
 * 3. otherwise `build-platform`.
 */

export type Verdict = 'fix-delivery-first' | 'fix-directly' | 'build-platform';

export interface ReadinessReason {
  test: string;
  value: number | string | null;
  threshold: number | string;
  triggered: boolean;
  detail: string;
}

export interface UnstableTeam {
  team: { slug: string; name: string };
  developers: number;
  metrics: { metric: 'changeFailureRate' | 'recoveryTime'; value: number | null; tier: Tier }[];
}

export interface ReadinessVerdict {
  verdict: Verdict;
  summary: string;
  reasons: ReadinessReason[];
  unstableTeams: UnstableTeam[];
  /** With fix-directly (and always, for the report): the costliest points and what a team can do now. */
  topFriction: { id: string; title: string; hoursPerWeek: number | null; directFix: string }[];
}

export interface ReadinessInputs {
  teams: readonly { slug: string; name: string; developers: number }[];
  delivery: { organization: DeliveryMetrics | null; teams: ReadonlyMap<string, DeliveryMetrics> };
  rows: readonly FrictionRow[];
  settings: FrictionSettings;
}

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

export function readinessVerdict(inputs: ReadinessInputs): ReadinessVerdict {
  const { readiness } = inputs.settings;
  const unstableTeams = inputs.teams.flatMap((team): UnstableTeam[] => {
    const metrics = inputs.delivery.teams.get(team.slug);
    if (!metrics) return [];
    const low = [
      ...(metrics.changeFailureRate.tier === 'low'
        ? [
            {
              metric: 'changeFailureRate' as const,
              value: metrics.changeFailureRate.rate,
              tier: 'low' as const,
            },
          ]
        : []),
      ...(metrics.recoveryTime.tier === 'low'
        ? [{ metric: 'recoveryTime' as const, value: metrics.recoveryTime.medianHours, tier: 'low' as const }]
        : []),
    ];
    return low.length > 0
      ? [{ team: { slug: team.slug, name: team.name }, developers: team.developers, metrics: low }]
      : [];
  });
  const developers = inputs.teams.reduce((sum, t) => sum + t.developers, 0);
  const unstableDevelopers = unstableTeams.reduce((sum, t) => sum + t.developers, 0);
  const unstableShare = developers > 0 ? round2(unstableDevelopers / developers) : 0;
  const orgCfr = inputs.delivery.organization?.changeFailureRate ?? null;
  const shared = inputs.rows.filter((row) => row.breadth.share >= readiness.sharedBreadth);
  const named = (teams: UnstableTeam[]) =>
    teams
      .map((t) => `${t.team.name} (${t.metrics.map((m) => `${m.metric} tier low`).join(', ')})`)
      .join('; ');
  const reasons: ReadinessReason[] = [
    {
      test: 'unstableDeveloperShare',
      value: unstableShare,
      threshold: readiness.unstableDeveloperShare,
      triggered: unstableShare >= readiness.unstableDeveloperShare && unstableTeams.length > 0,
      detail:
        unstableTeams.length > 0
          ? `${unstableDevelopers} of ${developers} developers (${percent(unstableShare)}) are in unstable teams: ${named(unstableTeams)}`
          : 'no team has a change failure rate or recovery time tier of low',
    },
    {
      test: 'organizationChangeFailureRateTier',
      value: orgCfr?.tier ?? null,
      threshold: 'low',
      triggered: orgCfr?.tier === 'low',
      detail:
        orgCfr?.rate === null || orgCfr === null
          ? `no organisation change failure rate (${orgCfr?.reason ?? 'no data'})`
          : `organisation change failure rate ${percent(orgCfr.rate)}, tier ${orgCfr.tier ?? `none (${orgCfr.tierReason ?? 'no tier'})`}`,
    },
    {
      test: 'teams',
      value: inputs.teams.length,
      threshold: readiness.minTeams,
      triggered: inputs.teams.length < readiness.minTeams,
      detail: `${inputs.teams.length} teams (a platform pays off from ${readiness.minTeams})`,
    },
    {
      test: 'sharedFrictionPoints',
      value: shared.length,
      threshold: readiness.minSharedFriction,
      triggered: shared.length < readiness.minSharedFriction,
      detail: `${shared.length} friction points affect at least ${percent(readiness.sharedBreadth)} of teams${shared.length > 0 ? `: ${shared.map((r) => r.friction.title).join(', ')}` : ''}`,
    },
  ];
  const topFriction = inputs.rows
    .filter((row) => row.hoursPerWeek !== null && row.hoursPerWeek > 0)
    .slice(0, 3)
    .map((row) => ({
      id: row.friction.id,
      title: row.friction.title,
      hoursPerWeek: row.hoursPerWeek,
      directFix: row.friction.directFix,
    }));
  const [unstable, orgLow, fewTeams, fewShared] = reasons.map((r) => r.triggered);
  if (unstable || orgLow) {
    const teams = unstableTeams.map((t) => t.team.name).join(', ');
    return {
      verdict: 'fix-delivery-first',
      summary: `Fix delivery first: ${
        unstable ? `unstable teams (${teams}) hold ${percent(unstableShare)} of developers` : ''
      }${unstable && orgLow ? '; ' : ''}${orgLow ? "the organisation's change failure rate tier is low" : ''}. A platform built on an unreliable pipeline spreads the unreliability faster.`,
      reasons,
      unstableTeams,
      topFriction,
    };
  }
  if (fewTeams || fewShared) {
    return {
      verdict: 'fix-directly',
      summary: `Fix the few friction points directly: ${
        fewTeams
          ? `${inputs.teams.length} teams`
          : `only ${shared.length} friction points are shared by most teams`
      }. Start with ${topFriction.map((f) => f.title).join(', ') || 'the costliest friction'}.`,
      reasons,
      unstableTeams,
      topFriction,
    };
  }
  return {
    verdict: 'build-platform',
    summary: `Build a platform: delivery is stable and ${shared.length} friction points are shared by most of ${inputs.teams.length} teams.`,
    reasons,
    unstableTeams,
    topFriction,
  };
}
