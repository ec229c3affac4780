import { writeFileSync } from 'node:fs';
import { AppError } from './errors.ts';
import { parseArgs } from 'node:util';
import { clockFor } from './clock.ts';
import { ConfigError, loadConfig } from './config/config.ts';
import type { AppConfig } from './config/config.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { DatabaseUnavailableError, openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { demoOrganization } from './demo/demo-organization.ts';
import { loadDemo } from './demo/load-demo.ts';
import { purgeDemo } from './demo/purge-demo.ts';
import { serve } from './serve.ts';
import { describeFindings, runDoctor } from './doctor.ts';
import { startTelemetry, telemetryRequested } from './telemetry.ts';
import { runWorker } from './worker.ts';
import { parseUtcDate, startOfUtcDay } from './time.ts';
import { parseTokenCommand, runTokenCommand } from './token-commands.ts';
import { parseCollectCommand, runCollectCommand } from '../collectors/github/collect-command.ts';
import {
  parseTicketCollectCommand,
  runTicketCollectCommand,
} from '../collectors/shared/collect-tickets-command.ts';
import { parseSurveyCommand, runSurveyCommand, unknownSurvey } from './surveys/survey-commands.ts';
import { createSurveyRound } from './surveys/survey-new.ts';
import { parseAlertCommand, runAlertCommand } from './alerts/alert-commands.ts';
import { assertAlertDriversAsked } from './alerts/survey-share.ts';
import { loadSurveys, surveysFolder } from '../scorecards/load-surveys.ts';
import { syncOrganization } from './org/organization-sync.ts';
import { organizationToServe } from './demo/bundled-organization.ts';
import { cardsFolder, checkScorecards, describeChecks } from '../scorecards/load-cards.ts';
import { loadBenchmarks } from './metrics/tiers.ts';
import { REPORT_FORMATS } from './reports/friction-report.ts';
import type { ReportFormat } from './reports/friction-report.ts';
import { renderFrictionReport } from './reports/render-report.ts';
import {
  catalogueHasProblems,
  loadFrictionCatalogue,
  checkFrictionCatalogue,
  describeCatalogueCheck,
} from '../scorecards/load-friction.ts';
import { collectorReadiness, configSourceName, readinessProblem } from '../collectors/shared/readiness.ts';
import type { CollectorId } from '../collectors/shared/readiness.ts';

const USAGE = `Usage: groundwork <command> [options]

Commands:
  serve [--no-jobs]         start the API and dashboard (what "npm start" runs); --no-jobs: HTTP only,
                            the scheduled collectors run in workers
  worker                    run only the scheduled jobs (collectors on their schedules), no HTTP; any
                            number of workers and servers share one PostgreSQL, each tick runs once
  migrate                   apply pending database migrations
  demo [--teams N] [--days D] [--seed S] [--until YYYY-MM-DD]
                            load the deterministic demo organisation (default 8 teams, 180 days,
                            seed 42, the days before today UTC); its rows are marked as demo data
  demo --purge              delete every row the demo wrote (start clean with an own configuration)
  scorecards check [--dir DIR] [--friction-dir DIR] [--capabilities-dir DIR]
                            validate the scorecards (scorecards/cards/*.yaml) against the metric
                            registry, and the friction and capability catalogues
                            (scorecards/friction, scorecards/capabilities) against the surveys,
                            the registry and the configuration; exits 1 when any has a problem
  report friction [--period 2026-Q4] [--format md|csv|html|pdf] [--output FILE]
                            the quarterly friction report (default: this quarter, Markdown to
                            standard output; PDF to friction-report-PERIOD.pdf unless --output)
  token create --name NAME [--scope read|ingest|admin] [--team SLUG] [--expires-days N]
                            create an API token: read (the dashboard and API reads; with --team, a
                            team lead's), ingest (pushing events, the default) or admin (everything);
                            printed once, stored hashed
  token list                list tokens: names, scopes and dates
  token revoke --name NAME  revoke a token (also through the API and the dashboard, with no restart)
  doctor                    check configuration, database, migrations, auth mode and each source's
                            credentials and reachability, saying what to fix
  collect github [--repo OWNER/NAME] [--since YYYY-MM-DD]
                            sync pull requests, commits, deployments, releases and incidents
                            from GitHub now (GITHUB_TOKEN or GITHUB_APP_*, GITHUB_API_URL;
                            repositories from sources.github)
  collect jira [--since YYYY-MM-DD]
                            sync tickets and their status history from Jira now (JIRA_BASE_URL,
                            JIRA_EMAIL, JIRA_API_TOKEN; projects from sources.jira)
  collect github-issues [--repo OWNER/NAME] [--since YYYY-MM-DD]
                            sync request issues and their timelines from GitHub now
                            (repositories from sources.githubIssues)
  alerts evaluate [--dry-run]
                            evaluate the alert rules now and send what they raise (--dry-run:
                            print what would open, update or resolve, and change nothing)
  alerts backtest --rule NAME [--days 365]
                            replay a rule over past data: when it would have fired and resolved,
                            and how often per team per quarter
  alerts test-channel NAME  send a test message to an alert channel
  survey import FILE --survey ID [--dry-run] [--skip-invalid] [--map FIELD=HEADER]...
                            import a form tool's CSV export (all-or-nothing unless --skip-invalid);
                            reports each rejected row by line
  survey links --survey ID --team SLUG [--count N] [--base-url URL]
                            issue one-time form links for a team (N, by default one per member;
                            printed once, stored hashed); they start with --base-url, by default
                            GROUNDWORK_PUBLIC_URL, else http://HOST:PORT
  survey new --from ID --quarter YYYY-QN [--id NEW-ID]
                            start a survey round from an earlier one, in the surveys folder
                            (surveys.dir or GROUNDWORK_SURVEYS_DIR)

Environment: GROUNDWORK_CONFIG, DATABASE_URL, GROUNDWORK_DATA_DIR, PORT, HOST, GROUNDWORK_PUBLIC_URL, GROUNDWORK_NOW,
LOG_LEVEL, GROUNDWORK_AUTH_MODE, GROUNDWORK_OIDC_CLIENT_SECRET, GROUNDWORK_INGEST_SECRET, GITHUB_WEBHOOK_SECRET,
GROUNDWORK_SURVEY_HASH_KEY, GROUNDWORK_SURVEYS_DIR, GITHUB_TOKEN, GITHUB_API_URL, JIRA_BASE_URL, JIRA_EMAIL,
JIRA_API_TOKEN, and the variables alerts.channels names (see README.md).`;

class UsageError extends Error {}

/** A collector that cannot run as configured: one line, exit 1, before any database is opened. */
class NotReadyError extends Error {}

function assertReady(settings: AppConfig, collector: CollectorId): void {
  const readiness = collectorReadiness(settings).find((entry) => entry.collector === collector);
  const problem = readiness && readinessProblem(readiness, configSourceName(settings));
  if (problem) throw new NotReadyError(`cannot collect ${collector}: ${problem}`);
}

/** node:util parseArgs errors (unknown option, missing value) are the user's to fix: usage, not a stack. */
function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
const isReportFormat = (format: string): format is ReportFormat =>
  (REPORT_FORMATS as readonly string[]).includes(format);

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`--${name} expects a positive integer, got "${value}"`);
  return Number(value);
}

function config(): AppConfig {
  return loadConfig({ fallbackOrganization: () => demoOrganization() });
}

async function withDatabase<T>(
  role: string,
  work: (handle: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
) {
  const { database } = config();
  const handle = await openDatabase({ url: database.url, dataDir: database.dataDir, role });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      // Off unless the standard OTEL_EXPORTER_OTLP_* variables ask for it; then before anything is traced.
      if (telemetryRequested(process.env)) await startTelemetry();
      const { values } = parseArgs({ args: rest, options: { 'no-jobs': { type: 'boolean' } } });
      return serve(config(), { jobs: !values['no-jobs'] });
    }
    case 'worker':
      if (telemetryRequested(process.env)) await startTelemetry();
      return runWorker(config());
    case 'migrate': {
      const applied = await withDatabase('groundwork migrate', (handle) => migrateToLatest(handle.db));
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date');
      return;
    }
    case 'demo': {
      const { values } = parseArgs({
        args: rest,
        options: {
          teams: { type: 'string' },
          days: { type: 'string' },
          seed: { type: 'string' },
          until: { type: 'string' },
          purge: { type: 'boolean' },
        },
      });
      if (values.purge) {
        if (Object.keys(values).length > 1) throw new UsageError('--purge takes no other option');
        const purged = await withDatabase('groundwork demo', async (handle) => {
          await migrateToLatest(handle.db);
          return purgeDemo(handle.db);
        });
        console.log(`Demo data deleted: ${JSON.stringify(purged)}`);
        return;
      }
      const clock = clockFor(config().fixedNow);
      const until = values.until === undefined ? startOfUtcDay(clock.now()) : parseUtcDate(values.until);
      if (!until) throw new UsageError(`--until expects a date like 2026-11-25, got "${values.until}"`);
      const options = {
        teams: positiveInteger(values.teams, 'teams', 8),
        days: positiveInteger(values.days, 'days', 180),
        seed: positiveInteger(values.seed, 'seed', 42),
        until,
      };
      const summary = await withDatabase('groundwork demo', async (handle) => {
        await migrateToLatest(handle.db);
        return loadDemo(handle.db, options, clock.now());
      });
      console.log(`Demo organisation loaded: ${JSON.stringify(summary)}`);
      return;
    }
    case 'scorecards': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          dir: { type: 'string' },
          'friction-dir': { type: 'string' },
          'capabilities-dir': { type: 'string' },
        },
        allowPositionals: true,
      });
      if (positionals.join(' ') !== 'check') throw new UsageError('expected "scorecards check"');
      const checks = checkScorecards(values.dir ?? cardsFolder);
      if (checks.length === 0) console.log(`No scorecards in ${values.dir ?? cardsFolder}`);
      for (const line of describeChecks(checks)) console.log(line);
      const catalogue = checkFrictionCatalogue({
        ...(values['friction-dir'] ? { frictionFolder: values['friction-dir'] } : {}),
        ...(values['capabilities-dir'] ? { capabilitiesFolder: values['capabilities-dir'] } : {}),
        surveys: loadSurveys(),
        org: config().org,
      });
      for (const line of describeCatalogueCheck(catalogue)) console.log(line);
      if (checks.some((check) => check.problems.length > 0) || catalogueHasProblems(catalogue))
        process.exitCode = 1;
      return;
    }
    case 'report': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: {
          period: { type: 'string' },
          format: { type: 'string' },
          output: { type: 'string' },
        },
        allowPositionals: true,
      });
      if (positionals.join(' ') !== 'friction') throw new UsageError('expected "report friction"');
      const format = values.format ?? 'md';
      if (!isReportFormat(format))
        throw new UsageError(`--format expects one of ${REPORT_FORMATS.join(', ')}, got "${format}"`);
      const settings = config();
      const report = await withDatabase('groundwork report', async (handle) => {
        await migrateToLatest(handle.db);
        const now = clockFor(settings.fixedNow).now();
        await syncOrganization(handle.db, settings.org, now);
        const surveys = loadSurveys();
        const metrics = { db: handle.db, org: settings.org, benchmarks: loadBenchmarks(), now: () => now };
        return renderFrictionReport(
          {
            db: handle.db,
            org: settings.org,
            metrics,
            surveys,
            catalogue: loadFrictionCatalogue({ surveys, org: settings.org }),
            now: () => now,
          },
          { period: values.period, format, chromiumPath: settings.chromiumPath },
        );
      });
      const output = values.output ?? (format === 'pdf' ? report.filename : null);
      if (output === null) process.stdout.write(report.body);
      else {
        writeFileSync(output, report.body);
        console.log(`Wrote ${output}`);
      }
      return;
    }
    case 'token': {
      const command = parseTokenCommand(rest);
      if (typeof command === 'string') throw new UsageError(command);
      const output = await withDatabase('groundwork token', async (handle) => {
        await migrateToLatest(handle.db);
        return runTokenCommand(handle.db, command, clockFor(config().fixedNow).now());
      });
      for (const line of output.stdout) console.log(line);
      for (const line of output.stderr) console.error(line);
      process.exitCode = output.exitCode;
      return;
    }
    case 'survey': {
      const settings = config();
      const { host, port, publicUrl } = settings.server;
      const listening = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      const command = parseSurveyCommand(rest, publicUrl ?? listening);
      if (typeof command === 'string') throw new UsageError(command);
      const surveys = loadSurveys(settings.surveysDir);
      // Neither a new round nor an unknown survey id needs the database: nothing is opened or created.
      const early =
        command.action === 'new'
          ? createSurveyRound(surveys, settings.surveysDir ?? surveysFolder, command)
          : unknownSurvey(surveys, command.surveyId);
      if (early) {
        for (const line of early.stdout) console.log(line);
        for (const line of early.stderr) console.error(line);
        process.exitCode = early.exitCode;
        return;
      }
      if (command.action === 'new') return;
      const explicitBase = rest.some((arg) => arg === '--base-url' || arg.startsWith('--base-url='));
      if (command.action === 'links' && !explicitBase && publicUrl === null) {
        // Respondents open these links on their own machines: this server's listening address rarely works there.
        console.error(
          `groundwork: GROUNDWORK_PUBLIC_URL is not set, so the links start with ${listening} (HOST and PORT); ` +
            'set it (or pass --base-url) to the address respondents reach',
        );
      }
      const output = await withDatabase('groundwork survey', async (handle) => {
        await migrateToLatest(handle.db);
        const now = clockFor(settings.fixedNow).now();
        // Respondents pick a configured team: make sure the database knows the teams serve would sync.
        await syncOrganization(handle.db, await organizationToServe(handle.db, settings), now);
        return runSurveyCommand(
          {
            db: handle.db,
            surveys,
            minGroupSize: settings.org.surveys.minGroupSize,
            hashKey: settings.secrets.surveyHashKey,
            now: () => now,
          },
          command,
        );
      });
      for (const line of output.stdout) console.log(line);
      for (const line of output.stderr) console.error(line);
      process.exitCode = output.exitCode;
      return;
    }
    case 'alerts': {
      const command = parseAlertCommand(rest);
      if (typeof command === 'string') throw new UsageError(command);
      const settings = config();
      const surveys = loadSurveys(settings.surveysDir);
      assertAlertDriversAsked(settings, surveys);
      const output = await withDatabase('groundwork alerts', async (handle) => {
        await migrateToLatest(handle.db);
        return runAlertCommand(
          { db: handle.db, clock: clockFor(settings.fixedNow), config: settings, surveys },
          command,
        );
      });
      for (const line of output.stdout) console.log(line);
      for (const line of output.stderr) console.error(line);
      process.exitCode = output.exitCode;
      return;
    }
    case 'collect': {
      const tickets = parseTicketCollectCommand(rest);
      if (typeof tickets === 'string') throw new UsageError(tickets);
      if (tickets) {
        const settings = config();
        assertReady(settings, tickets.source);
        const clock = clockFor(settings.fixedNow);
        process.exitCode = await withDatabase('groundwork collect', async (handle) => {
          await migrateToLatest(handle.db);
          // Tickets are attributed to their requesters' teams: the database must know the teams.
          await syncOrganization(handle.db, await organizationToServe(handle.db, settings), clock.now());
          return runTicketCollectCommand({ db: handle.db, config: settings, clock }, tickets);
        });
        return;
      }
      const command = parseCollectCommand(rest);
      if (typeof command === 'string') throw new UsageError(command);
      const settings = config();
      assertReady(settings, 'github');
      const clock = clockFor(settings.fixedNow);
      process.exitCode = await withDatabase('groundwork collect', async (handle) => {
        await migrateToLatest(handle.db);
        // Deployments and pull requests are attributed to the teams that own their repositories.
        await syncOrganization(handle.db, await organizationToServe(handle.db, settings), clock.now());
        return runCollectCommand({ db: handle.db, config: settings, clock }, command);
      });
      return;
    }
    case 'doctor': {
      const findings = await runDoctor(config);
      for (const line of describeFindings(findings)) console.log(line);
      if (findings.some((finding) => finding.level === 'fail')) process.exitCode = 1;
      return;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  // Errors a user can fix are reported as one clear message, not a stack trace.
  if (error instanceof UsageError || isParseArgsError(error)) {
    console.error(`groundwork: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof DataDirLockedError ||
    error instanceof NotReadyError ||
    error instanceof AppError // a bad --period, a missing Chromium for --format pdf
  ) {
    console.error(`groundwork: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
