// Synthetic lead-time series for the alert tests: per team, changes deployed every day at a steady median
// lead time (log-normal noise), optionally slowed by a factor from some day on, or recovered later. The same
// series feeds the pure evaluator (as samples) and the database (as commits and production deployments).
import type { Kysely } from 'kysely';
import type { SeriesSample } from '../server/alerts/alert-types.ts';
import type { AlertRule } from '../server/config/alerts-config.ts';
import type { Database } from '../server/db/tables.ts';
import { SeededRandom } from '../server/demo/seeded-random.ts';
import { DAY_MS, HOUR_MS } from '../server/time.ts';

export interface SyntheticTeam {
  slug: string;
  medianHours: number;
  /** Changes per day (Poisson). */
  perDay: number;
  /** Lead time is multiplied by `factor` for changes deployed in [from, to). */
  slowdowns?: { from: Date; to?: Date; factor: number }[];
}

export interface SyntheticChange {
  team: string;
  deployedAt: Date;
  leadTimeHours: number;
}

/** Changes deployed in [from, until), reproducible from `seed` (each team its own stream). */
export function syntheticChanges(
  teams: readonly SyntheticTeam[],
  range: { from: Date; until: Date },
  seed: number,
  sigma = 0.8,
): SyntheticChange[] {
  const changes: SyntheticChange[] = [];
  for (const team of teams) {
    const random = new SeededRandom(seed, team.slug);
    for (let day = range.from.getTime(); day < range.until.getTime(); day += DAY_MS) {
      const count = random.poisson(team.perDay);
      for (let i = 0; i < count; i++) {
        const deployedAt = new Date(day + Math.floor(random.between(8, 18) * HOUR_MS));
        const slowdown = team.slowdowns?.find(
          (s) => deployedAt >= s.from && (s.to === undefined || deployedAt < s.to),
        );
        const hours = random.lognormal(team.medianHours, sigma) * (slowdown?.factor ?? 1);
        changes.push({ team: team.slug, deployedAt, leadTimeHours: Math.round(hours * 1000) / 1000 });
      }
    }
  }
  return changes;
}

/** As the evaluator's samples, with team ids from `ids`. */
export function asSamples(
  changes: readonly SyntheticChange[],
  ids: ReadonlyMap<string, number>,
): SeriesSample[] {
  return changes.map((change, i) => ({
    teamId: ids.get(change.team) as number,
    at: change.deployedAt,
    value: change.leadTimeHours,
    label: `acme/${change.team}@c${i}`,
  }));
}

/**
 * Stores the changes: a team with one repository each, one commit per change and a successful production
 * deployment shipping it. Returns the team ids by slug.
 */
export async function insertChanges(
  db: Kysely<Database>,
  teams: readonly SyntheticTeam[],
  changes: readonly SyntheticChange[],
  prefix = 's',
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const repositories = new Map<string, number>();
  for (const team of teams) {
    const existing = await db
      .selectFrom('teams')
      .select('id')
      .where('slug', '=', team.slug)
      .executeTakeFirst();
    const teamId =
      existing?.id ??
      (
        await db
          .insertInto('teams')
          .values({ slug: team.slug, name: `Team ${team.slug}` })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    ids.set(team.slug, teamId);
    const repository = await db
      .insertInto('repositories')
      .values({ fullName: `acme/${team.slug}-${prefix}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    repositories.set(team.slug, repository.id);
  }
  const chunk = 500;
  for (let start = 0; start < changes.length; start += chunk) {
    const slice = changes.slice(start, start + chunk).map((change, i) => ({
      change,
      sha: `${prefix}${(start + i).toString(16).padStart(12, '0')}`,
      repositoryId: repositories.get(change.team) as number,
    }));
    await db
      .insertInto('commits')
      .values(
        slice.map(({ change, sha, repositoryId }) => ({
          repositoryId,
          sha,
          committedAt: new Date(change.deployedAt.getTime() - change.leadTimeHours * HOUR_MS),
        })),
      )
      .execute();
    const deployments = await db
      .insertInto('deployments')
      .values(
        slice.map(({ change, sha, repositoryId }) => ({
          source: 'test',
          externalId: `${prefix}-${sha}`,
          repositoryId,
          environment: 'production',
          sha,
          status: 'success' as const,
          startedAt: change.deployedAt,
          finishedAt: change.deployedAt,
          teamId: ids.get(change.team) as number,
          teamAttribution: 'explicit' as const,
        })),
      )
      .returning(['id', 'sha'])
      .execute();
    const bySha = new Map(slice.map((row) => [row.sha, row.repositoryId]));
    await db
      .insertInto('deploymentCommits')
      .values(
        deployments.map((d) => ({
          deploymentId: d.id,
          repositoryId: bySha.get(d.sha as string) as number,
          sha: d.sha as string,
        })),
      )
      .execute();
  }
  return ids;
}

/**
 * A hand-checkable series: two changes a day (10:00 and 14:00 UTC) taking 10 h and 12 h, or `regressed`
 * hours in the days of each episode. See backtest.test.ts for the arithmetic of when a rule fires.
 */
export function steppedChanges(
  team: string,
  range: { from: Date; until: Date },
  episodes: { from: Date; to: Date; hours: [number, number] }[] = [],
): SyntheticChange[] {
  const changes: SyntheticChange[] = [];
  for (let day = range.from.getTime(); day < range.until.getTime(); day += DAY_MS) {
    const episode = episodes.find((e) => day >= e.from.getTime() && day < e.to.getTime());
    const [first, second] = episode?.hours ?? [10, 12];
    changes.push({ team, deployedAt: new Date(day + 10 * HOUR_MS), leadTimeHours: first });
    changes.push({ team, deployedAt: new Date(day + 14 * HOUR_MS), leadTimeHours: second });
  }
  return changes;
}

/** The default lead-time rule, as the configuration would give it. */
export const DEFAULT_RULE = {
  name: 'lead-time',
  metric: 'leadTime',
  category: null,
  driver: null,
  teams: null,
  recentDays: 14,
  baselineDays: 90,
  minChange: 0.25,
  minSamples: 10,
  alpha: 0.05,
  correction: 'benjamini-hochberg',
  severity: { warning: 0.25, critical: 1 },
  channels: [],
} as const satisfies AlertRule;
