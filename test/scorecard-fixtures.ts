import type { Kysely } from 'kysely';
import { parseOrganization } from '../server/config/config.ts';
import { ensureRepositories } from '../server/db/code-repositories.repository.ts';
import { upsertCommits } from '../server/db/commits.repository.ts';
import {
  deploymentKey,
  linkDeploymentCommits,
  upsertDeployments,
} from '../server/db/deployments.repository.ts';
import type { Database } from '../server/db/tables.ts';
import { upsertIncidents } from '../server/db/incidents.repository.ts';
import { syncOrganization } from '../server/org/organization-sync.ts';
import type { Scorecard } from '../scorecards/scorecard.schema.ts';

/**
 * Two teams with hand-written delivery data in September 2026, a closed month when "now" is 2026-11-10:
 * - payments: 4 successful production deployments (Sep 2, 9, 16, 23, 12:00), each shipping one commit
 *   committed 10 h before → lead time median 10 h; 4 deployments ÷ 30 days × 7 = 0.93 per week; no
 *   incident → change failure rate 0.
 * - search: 3 deployments (Sep 5, 12, 19) without commit data → lead time null; one incident caused by the
 *   second → change failure rate 1 ÷ 3 = 0.3333; 3 ÷ 30 × 7 = 0.7 per week.
 */
export const FIXTURE_NOW = new Date('2026-11-10T09:00:00Z');

export const FIXTURE_ORGANIZATION = parseOrganization(
  `organization: acme
productionEnvironments: [production]
teams:
  - { slug: payments, name: Payments, repositories: [acme/billing], services: [payments-api], members: [d] }
  - { slug: search, name: Search, repositories: ["acme/search-*"], services: [search-api], members: [a] }
`,
  'scorecard fixtures',
);

/**
 * The scorecard the fixtures are judged by. Payments: bronze (0.93 ≥ 0.5, 0 ≤ 0.5) and silver (0 ≤ 0.25,
 * 10 < 48) → silver. Search: bronze (0.7 ≥ 0.5, 0.3333 ≤ 0.5), silver fails (0.3333 > 0.25; lead time
 * unknown) → bronze. Months without deployments: 0 per week < 0.5 → no level.
 */
export const FIXTURE_CARD: Scorecard = {
  id: 'delivery',
  title: 'Delivery',
  description: null,
  file: 'fixture.yaml',
  levels: [
    {
      id: 'bronze',
      title: 'Bronze',
      description: null,
      rules: [
        {
          metric: 'deploymentFrequency.perWeek',
          op: '>=',
          threshold: 0.5,
          weight: 1,
          description: 'deploys',
        },
        { metric: 'changeFailureRate.rate', op: '<=', threshold: 0.5, weight: 1, description: 'mostly safe' },
      ],
    },
    {
      id: 'silver',
      title: 'Silver',
      description: null,
      rules: [
        { metric: 'changeFailureRate.rate', op: '<=', threshold: 0.25, weight: 2, description: 'safe' },
        { metric: 'leadTime.medianHours', op: '<', threshold: 48, weight: 1, description: 'fast' },
      ],
    },
  ],
};

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 8, day, hour));

export async function seedScorecardFixtures(db: Kysely<Database>): Promise<void> {
  await syncOrganization(db, FIXTURE_ORGANIZATION, new Date('2026-01-01T00:00:00Z'));
  const repos = await ensureRepositories(db, ['acme/billing', 'acme/search-api']);
  const billing = repos.get('acme/billing') as number;
  const searchRepo = repos.get('acme/search-api') as number;
  const written = new Date('2026-10-01T00:00:00Z');
  const paymentsDays = [2, 9, 16, 23];
  const ids = await upsertDeployments(
    db,
    [
      ...paymentsDays.map((day, index) => paymentsDeployment(billing, index + 1, at(day))),
      ...[5, 12, 19].map((day, index) => ({
        source: 'ci',
        externalId: `s-${index + 1}`,
        repositoryId: searchRepo,
        environment: 'production',
        status: 'success' as const,
        startedAt: at(day, 11),
        finishedAt: at(day),
      })),
    ],
    written,
  );
  await upsertCommits(
    db,
    paymentsDays.map((day, index) => ({
      repositoryId: billing,
      sha: `c-${index + 1}`,
      committedAt: at(day, 2),
    })),
  );
  await linkDeploymentCommits(
    db,
    paymentsDays.map((_, index) => ({
      deploymentId: ids.get(deploymentKey('ci', `p-${index + 1}`)) as number,
      repositoryId: billing,
      sha: `c-${index + 1}`,
    })),
  );
  await upsertIncidents(
    db,
    [
      {
        source: 'ci',
        externalId: 'si-1',
        service: 'search-api',
        startedAt: at(12, 13),
        resolvedAt: at(12, 15),
        causeDeploymentExternalId: 's-2',
      },
    ],
    written,
  );
}

/** Payments' deployment number `n`, finishing at `finishedAt` (re-delivered with another time to move it). */
export function paymentsDeployment(repositoryId: number, n: number, finishedAt: Date) {
  return {
    source: 'ci',
    externalId: `p-${n}`,
    repositoryId,
    environment: 'production',
    status: 'success' as const,
    startedAt: new Date(finishedAt.getTime() - 30 * 60_000),
    finishedAt,
  };
}

/** A clock the test moves forward, so a recomputed month shows a later `evaluatedAt`. */
export function steppingClock(start: Date) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms;
    },
  };
}
