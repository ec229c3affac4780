import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generatedOrganization } from '../collectors/github/fixtures/generated-org.ts';
import { runGithubCollector } from '../collectors/github/collector.ts';
import { createGithubClient } from '../collectors/shared/github-client.ts';
import { fixedClock } from '../server/clock.ts';
import { loadConfig } from '../server/config/config.ts';
import { startGithubTestServer } from '../test/github-graphql-server.ts';
import type { Benchmark } from './benchmarks.ts';

const PULL_REQUESTS = 1000;

/**
 * A first sync of one repository with 1,000 PRs (and 1,000 commits, 100 deployments) from the local GraphQL
 * server, which charges GitHub's cost formula. The REST equivalent costs about one request per PR for its
 * reviews and commits, i.e. ~1,000 requests per 1,000 PRs before listing them.
 */
export const githubCollectorBenchmark: Benchmark = {
  name: 'github-collector',
  async run({ database }) {
    const server = await startGithubTestServer(generatedOrganization(1, PULL_REQUESTS));
    try {
      const clock = fixedClock(new Date('2026-12-05T00:00:00Z'));
      const config = loadConfig({
        env: { GITHUB_API_URL: server.url, GITHUB_TOKEN: 'bench' },
        cwd: mkdtempSync(path.join(os.tmpdir(), 'groundwork-bench-')),
        fallbackOrganization: () => ({
          organization: 'big',
          teams: [],
          sources: { github: { repositories: ['big/repo-0'] } },
        }),
      });
      const client = createGithubClient({
        baseUrl: server.url,
        token: 'bench',
        clock,
        sleep: async () => undefined,
        minRequestSpacingMs: 0,
      });
      const start = performance.now();
      const result = await runGithubCollector({ db: database.db, config, clock, client });
      const seconds = (performance.now() - start) / 1000;
      if (!result.started || result.status !== 'success')
        throw new Error(`sync failed: ${JSON.stringify(result)}`);
      // The first page of pull requests comes in the combined first-page query, the rest in PR pages.
      const pullRequestPoints = server.received
        .filter((q) => ['RepositoryFirstPages', 'PullRequestsPage'].includes(q.operationName ?? ''))
        .reduce((sum, q) => sum + q.cost, 0);
      const per1000 = 1000 / PULL_REQUESTS;
      const again = await runGithubCollector({ db: database.db, config, clock, client });
      if (!again.started) throw new Error(`re-sync not started: ${again.reason}`);
      return [
        {
          name: 'points per 1,000 PRs (PR pages; REST: ~1,000 requests)',
          value: pullRequestPoints * per1000,
          unit: 'points',
        },
        {
          name: 'points per 1,000 PRs, whole sync incl. commits, deployments, links',
          value: result.costPoints * per1000,
          unit: 'points',
        },
        { name: 'requests, whole sync', value: result.itemCounts['pages'] ?? 0, unit: 'requests' },
        { name: 'a re-sync with nothing new', value: again.costPoints, unit: 'points' },
        { name: `first sync of ${PULL_REQUESTS} PRs (no network wait)`, value: seconds, unit: 's' },
      ];
    } finally {
      await server.close();
    }
  },
};
