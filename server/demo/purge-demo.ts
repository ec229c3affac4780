import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '#db/tables.ts';
import { DEMO_SOURCE } from './demo-rows.ts';

/** What `groundwork demo --purge` deleted. */
export interface DemoPurgeSummary {
  deployments: number;
  incidents: number;
  pullRequests: number;
  commits: number;
  tickets: number;
  surveyResponses: number;
  /** CI run attempts (their jobs go with them). */
  ciRuns: number;
  repositories: number;
  teams: number;
}

/** How much demo data a data folder holds (zero everywhere: none). */
export async function demoRowCounts(
  db: Kysely<Database>,
): Promise<{ deployments: number; surveyResponses: number; tickets: number }> {
  const { rows } = await sql<{ deployments: number; surveyResponses: number; tickets: number }>`
    select (select count(*) from deployments where source = ${DEMO_SOURCE})::integer as deployments,
      (select count(*) from survey_responses where source = ${DEMO_SOURCE})::integer as survey_responses,
      (select count(*) from tickets where source = ${DEMO_SOURCE})::integer as tickets`.execute(db);
  return rows[0] ?? { deployments: 0, surveyResponses: 0, tickets: 0 };
}

const count = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

/**
 * Deletes every row `groundwork demo` wrote, in one transaction: its deployments (with their commit links),
 * incidents, tickets and survey responses (source 'demo'), the pull requests and commits of its
 * repositories, then those repositories and the demo teams no configuration declares any more. Real data
 * is never touched: a real incident the demo's deployment was linked to loses only that link, and a demo
 * team or repository something else still refers to is kept.
 */
export async function purgeDemo(db: Kysely<Database>): Promise<DemoPurgeSummary> {
  return db.transaction().execute(async (trx) => {
    const demoRepositories = trx.selectFrom('repositories').select('id').where('demo', '=', true);
    const incidents = count(
      await trx.deleteFrom('incidents').where('source', '=', DEMO_SOURCE).executeTakeFirst(),
    );
    // deployment_commits cascade; incidents of other sources pointing here are set null by the foreign key.
    const deployments = count(
      await trx.deleteFrom('deployments').where('source', '=', DEMO_SOURCE).executeTakeFirst(),
    );
    const pullRequests = count(
      await trx.deleteFrom('pullRequests').where('repositoryId', 'in', demoRepositories).executeTakeFirst(),
    );
    const commits = count(
      await trx.deleteFrom('commits').where('repositoryId', 'in', demoRepositories).executeTakeFirst(),
    );
    const tickets = count(
      await trx.deleteFrom('tickets').where('source', '=', DEMO_SOURCE).executeTakeFirst(),
    );
    // ci_jobs cascade with their runs.
    await trx.deleteFrom('ciRuns').where('source', '=', DEMO_SOURCE).execute();
    const surveyResponses = count(
      await trx.deleteFrom('surveyResponses').where('source', '=', DEMO_SOURCE).executeTakeFirst(),
    );
    // Before the repositories they belong to; ci_jobs cascade.
    const ciRuns = count(await trx.deleteFrom('ciRuns').where('source', '=', DEMO_SOURCE).executeTakeFirst());

    // Repositories and teams go one at a time behind a savepoint: a row that something else still refers
    // to (a real deployment in a demo-named repository, a table added later) stays, and the purge goes on.
    const removable = async (table: 'repositories' | 'teams', ids: number[]) => {
      let removed = 0;
      for (const id of ids) {
        await sql`savepoint purge_row`.execute(trx);
        try {
          if (table === 'teams') {
            await trx.deleteFrom('scorecardMonths').where('teamId', '=', id).execute();
            await trx.deleteFrom('teamOwnerships').where('teamId', '=', id).execute();
            await trx.deleteFrom('teamMemberships').where('teamId', '=', id).execute();
            // A retired demo team's alerts (with their history and outbox) and unused survey links go with it.
            const alerts = trx.selectFrom('alerts').select('id').where('teamId', '=', id);
            await trx.deleteFrom('alertNotifications').where('alertId', 'in', alerts).execute();
            await trx.deleteFrom('alertEvents').where('alertId', 'in', alerts).execute();
            await trx.deleteFrom('alerts').where('teamId', '=', id).execute();
            await trx.deleteFrom('surveyLinkTokens').where('teamId', '=', id).execute();
          }
          removed += count(await trx.deleteFrom(table).where('id', '=', id).executeTakeFirst());
          await sql`release savepoint purge_row`.execute(trx);
        } catch {
          await sql`rollback to savepoint purge_row`.execute(trx);
        }
      }
      return removed;
    };
    const repositoryIds = (await demoRepositories.execute()).map((row) => row.id);
    const repositories = await removable('repositories', repositoryIds);
    // Only teams no configuration declares any more: one an own configuration reuses (same slug) stays.
    const teamIds = (
      await trx
        .selectFrom('teams')
        .select('id')
        .where('demo', '=', true)
        .where('retiredAt', 'is not', null)
        .execute()
    ).map((row) => row.id);
    const teams = await removable('teams', teamIds);
    return {
      deployments,
      incidents,
      pullRequests,
      commits,
      tickets,
      surveyResponses,
      ciRuns,
      repositories,
      teams,
    };
  });
}
