// `node --import tsx bench/explain.ts [--period last-30d] [--team checkout]`: EXPLAIN (ANALYZE, BUFFERS) of
// every organisation-wide metric query (grouped by team) and of one team's, on the database in DATABASE_URL
// (e.g. after `groundwork demo --teams 200 --days 365`). What docs/performance.md records came from here.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { openDatabase } from '../server/db/database.ts';
import { leadTimeSamples } from '../server/metrics/lead-time.metric.ts';
import { namedPeriod } from '../server/metrics/period.ts';
import { productionDeploymentSamples } from '../server/metrics/production-deployments.samples.ts';
import { mergedPullRequestSamples } from '../server/metrics/pull-request-hygiene.metric.ts';
import { incidentSamples } from '../server/metrics/recovery-time.metric.ts';
import { aggregate } from '../server/metrics/scope.ts';
import type { MetricScope } from '../server/metrics/scope.ts';

const { values } = parseArgs({
  options: { period: { type: 'string' }, team: { type: 'string' }, now: { type: 'string' } },
});
const url = process.env['DATABASE_URL'];
if (!url) throw new Error('set DATABASE_URL to the database to explain');
const database = await openDatabase({ url, dataDir: 'memory', role: 'explain' });
const now = new Date(values.now ?? '2026-11-01T00:00:00Z');
const period = namedPeriod(values.period ?? 'last-30d', now);
const team = await database.db
  .selectFrom('teams')
  .select('id')
  .where('slug', '=', values.team ?? 'checkout')
  .executeTakeFirstOrThrow();
const queries: Record<string, (scope: MetricScope) => RawBuilder<unknown>> = {
  deployments: productionDeploymentSamples,
  leadTime: leadTimeSamples,
  incidents: incidentSamples,
  pullRequests: mergedPullRequestSamples,
};
try {
  for (const [name, samples] of Object.entries(queries)) {
    for (const scope of [
      { period, now, productionEnvironments: ['production'], byTeam: true },
      { period, now, productionEnvironments: ['production'], teamId: team.id },
    ] satisfies MetricScope[]) {
      const query = aggregate(samples(scope), scope, sql`count(*)`);
      const plan = await sql<{
        'QUERY PLAN': string;
      }>`explain (analyze, buffers, format text) ${query}`.execute(database.db);
      console.log(`\n### ${name}, ${scope.byTeam ? 'every team (group by team)' : 'one team'}`);
      for (const row of plan.rows) console.log(row['QUERY PLAN']);
    }
  }
} finally {
  await database.close();
}
