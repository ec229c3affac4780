import type { AppConfig } from './config/config.ts';
import { buildApp } from './app.ts';
import { clockFor } from './clock.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { hasDeliveryData } from './db/delivery-data.repository.ts';
import { loadDemo } from './demo/load-demo.ts';
import { syncOrganization } from './org/organization-sync.ts';
import { evaluateAlerts } from './alerts/evaluator.ts';
import { startOfUtcDay } from './time.ts';
import { cardsFolder, loadScorecards } from '../scorecards/load-cards.ts';
import { loadSurveys } from '../scorecards/load-surveys.ts';

/** The organisation `npm start` loads into an empty embedded database when no configuration is given. */
export const BUNDLED_DEMO = { teams: 8, days: 180, seed: 42 } as const;

/**
 * Starts the service: database, migrations, organisation sync, demo data on a first run without
 * configuration, then HTTP. SIGTERM/SIGINT let in-flight requests finish before the database closes.
 */
export async function serve(config: AppConfig, options: { scorecardsFolder?: string } = {}): Promise<void> {
  // A bad scorecard stops start-up (a ConfigError naming the file and key path) before anything is opened.
  const scorecards = loadScorecards(options.scorecardsFolder ?? cardsFolder);
  const surveys = loadSurveys(); // likewise a bad survey file
  const clock = clockFor(config.fixedNow);
  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.database.dataDir,
    role: 'server',
  });
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    const applied = await migrateToLatest(database.db);
    app = await buildApp({ config, database, clock, scorecards, surveys, scheduleCollectors: true });
    app.log.info({ database: database.location, migrationsApplied: applied }, 'database ready');
    const sync = await syncOrganization(database.db, config.org, clock.now());
    app.log.info(
      { config: config.configPath ?? 'bundled demo organisation', ...sync },
      'organisation loaded',
    );
    if (config.configPath === null && database.engine === 'pglite' && !(await hasDeliveryData(database.db))) {
      app.log.info(
        BUNDLED_DEMO,
        'empty embedded database and no configuration: loading the demo organisation',
      );
      const summary = await loadDemo(
        database.db,
        { ...BUNDLED_DEMO, until: startOfUtcDay(clock.now()) },
        clock.now(),
      );
      app.log.info(summary, 'demo organisation loaded');
      // Evaluate the alert rules on the fresh history at once, rather than at the next scheduled run.
      const evaluated = await evaluateAlerts({ db: database.db, clock, config });
      if (evaluated.ran) {
        app.log.info({ rules: evaluated.report.rules.map((rule) => rule.outcomes) }, 'demo alerts evaluated');
      }
    }
    await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }

  const url = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${String(
    (app.server.address() as { port: number }).port,
  )}`;
  console.log(`Groundwork is running at ${url} (API docs at ${url}/docs)`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing || !app) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
