import { assertAlertDriversAsked } from './alerts/survey-share.ts';
import type { AppConfig } from './config/config.ts';
import { buildApp } from './app.ts';
import { clockFor } from './clock.ts';
import type { Clock } from './clock.ts';
import { openDatabase } from './db/database.ts';
import type { DatabaseHandle } from './db/database.ts';
import { organizationToServe } from './demo/bundled-organization.ts';
import { migrateToLatest } from './db/migrate.ts';
import { hasDeliveryData } from './db/delivery-data.repository.ts';
import { loadDemo } from './demo/load-demo.ts';
import { demoRowCounts } from './demo/purge-demo.ts';
import { syncOrganization } from './org/organization-sync.ts';
import { evaluateAlerts } from './alerts/evaluator.ts';
import { startOfUtcDay } from './time.ts';
import { cardsFolder, loadScorecards } from '../scorecards/load-cards.ts';
import { loadSurveys } from '../scorecards/load-surveys.ts';
import { loadFrictionCatalogue } from '../scorecards/load-friction.ts';
import type { CatalogueInputs } from '../scorecards/load-friction.ts';
import { collectorReadiness } from '../collectors/shared/readiness.ts';

/** The organisation `npm start` loads into an empty embedded database when no configuration is given. */
export const BUNDLED_DEMO = { teams: 8, days: 180, seed: 42 } as const;

/**
 * Syncs the organisation into a migrated database and, on a first run of the embedded database without
 * configuration, loads the bundled demo. `config.org` is what `organizationToServe` chose.
 */
export async function loadOrganization(
  database: DatabaseHandle,
  config: AppConfig,
  clock: Clock,
  log: (details: object, message: string) => void,
): Promise<void> {
  const sync = await syncOrganization(database.db, config.org, clock.now());
  log(
    { config: config.configPath ?? 'bundled demo organisation', teams: config.org.teams.length, ...sync },
    'organisation loaded',
  );
  if (config.configPath === null && database.engine === 'pglite' && !(await hasDeliveryData(database.db))) {
    log(BUNDLED_DEMO, 'empty embedded database and no configuration: loading the demo organisation');
    const summary = await loadDemo(
      database.db,
      { ...BUNDLED_DEMO, until: startOfUtcDay(clock.now()) },
      clock.now(),
    );
    log(summary, 'demo organisation loaded');
    // Evaluate the alert rules on the fresh history at once, rather than at the next scheduled run.
    const evaluated = await evaluateAlerts({ db: database.db, clock, config });
    if (evaluated.ran)
      log({ rules: evaluated.report.rules.map((rule) => rule.outcomes) }, 'demo alerts evaluated');
  }
}

/**
 * Starts the service: database, migrations, organisation sync, demo data on a first run without
 * configuration, then HTTP. SIGTERM/SIGINT let in-flight requests finish before the database closes.
 */
export async function serve(
  config: AppConfig,
  options: {
    scorecardsFolder?: string;
    catalogue?: Pick<CatalogueInputs, 'frictionFolder' | 'capabilitiesFolder'>;
    /** false: HTTP only (`serve --no-jobs`); the scheduled jobs run in `groundwork worker`s. */
    jobs?: boolean;
  } = {},
): Promise<void> {
  // A bad scorecard stops start-up (a ConfigError naming the file and key path) before anything is opened.
  const scorecards = loadScorecards(options.scorecardsFolder ?? cardsFolder);
  const surveys = loadSurveys(config.surveysDir); // likewise a bad survey file
  assertAlertDriversAsked(config, surveys); // and an alert rule on a driver no round asks about
  const catalogueWarnings: string[] = [];
  const frictionCatalogue = loadFrictionCatalogue(
    { ...options.catalogue, surveys, org: config.org }, // and a bad friction or capability file
    (warning) => catalogueWarnings.push(warning),
  );
  const clock = clockFor(config.fixedNow);
  const database = await openDatabase({
    url: config.database.url,
    readUrl: config.database.readUrl,
    dataDir: config.database.dataDir,
    role: 'server',
  });
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    const applied = await migrateToLatest(database.db);
    const served = { ...config, org: await organizationToServe(database.db, config) };
    app = await buildApp({
      config: served,
      database,
      clock,
      scorecards,
      surveys,
      frictionCatalogue,
      // `serve --no-jobs`: HTTP only, the scheduled jobs run in `groundwork worker`s.
      scheduleCollectors: options.jobs ?? true,
    });
    for (const warning of catalogueWarnings) app.log.warn(warning);
    app.log.info({ database: database.location, migrationsApplied: applied }, 'database ready');
    app.log.info(
      { authMode: config.auth.mode, because: config.auth.modeSource },
      config.auth.mode === 'open'
        ? 'auth mode open: anyone who can reach the port reads every figure (set auth.mode to change it)'
        : `auth mode ${config.auth.mode}: reads need sign-in or a token`,
    );
    const { log } = app;
    await loadOrganization(database, served, clock, (details, message) => log.info(details, message));
    for (const source of collectorReadiness(config)) {
      if (source.configured && source.credentialsHint) {
        app.log.warn(
          `${source.collector} collector cannot run: ${source.configKey} is configured but ${source.missingCredentials.join(', ')} is not set (${source.credentialsHint})`,
        );
      }
    }
    if (config.configPath !== null) {
      const demo = await demoRowCounts(database.db);
      if (demo.deployments + demo.surveyResponses + demo.tickets > 0) {
        app.log.warn(
          demo,
          `this data folder still holds the demo's rows; they count in no figure now that ${config.configPath} is loaded; groundwork demo --purge deletes them`,
        );
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
  console.log(`Groundwork is running at ${url} (API docs at ${url}/docs); auth mode ${config.auth.mode}`);
  if (config.configPath === null) {
    console.log(
      'Showing the bundled demo organisation. For your own: write groundwork.yaml (see groundwork.example.yaml), ' +
        'run "groundwork demo --purge" to delete the demo data, and start again.',
    );
  }

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
