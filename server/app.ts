import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Clock } from './clock.ts';
import type { AppConfig } from './config/config.ts';
import type { DatabaseHandle } from './db/database.ts';
import { notFoundBody, registerErrorHandler } from './errors.ts';
import { keepRawJsonBody } from './raw-json-body.ts';
import { registerAdmission } from './http/admission.ts';
import { registerResponseCache } from './http/response-cache.ts';
import { AccessLog } from './access-log.ts';
import { ROLLING_PERIOD_REUSE_MS } from './metrics/metrics.service.ts';
import type { MetricsContext } from './metrics/metrics.service.ts';
import { githubWebUrl } from './metrics/source-links.ts';
import { loadBenchmarks } from './metrics/tiers.ts';
import { SharedFigures } from './cache/shared-figures.ts';
import type { Benchmark } from './metrics/tiers.ts';
import { registerRoutes } from './routes/index.ts';
import { isPublicRoute, registerAccessControl } from './auth/access-control.ts';
import { registerAuditTrail } from './auth/audit.ts';
import { redactTitles } from './auth/title-policy.ts';
import { DatabaseHealth } from './db/database-errors.ts';
import { registerHardening, strictDateTime } from './hardening.ts';
import { traceRequests } from './telemetry.ts';
import { registerAuthRoutes } from './routes/auth.routes.ts';
import { loadScorecards } from '../scorecards/load-cards.ts';
import type { Scorecard } from '../scorecards/scorecard.schema.ts';
import { loadSurveys } from '../scorecards/load-surveys.ts';
import { createGithubCollectorService } from '../collectors/github/service.ts';
import type { GithubCollectorService } from '../collectors/github/service.ts';
import type { Survey } from '../scorecards/survey.schema.ts';
import { loadFrictionCatalogue } from '../scorecards/load-friction.ts';
import type { FrictionCatalogue } from '../scorecards/friction.schema.ts';
import type { CollectorService } from '../collectors/shared/collector-service.ts';
import { createJiraCollectorService } from '../collectors/jira/service.ts';
import { createIssueQueueCollectorService } from '../collectors/github-issues/service.ts';
import { createAlertScheduler } from './alerts/alert-scheduler.ts';

export type FastifyTypebox = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export const defaultWebRoot = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface AppDependencies {
  config: AppConfig;
  database: DatabaseHandle;
  clock: Clock;
  /** The built dashboard; tests point it at a fixture. */
  webRoot?: string;
  /** DORA tier tables; loaded from scorecards/benchmarks when not given. */
  benchmarks?: ReadonlyMap<string, Benchmark>;
  /** Validated scorecards; loaded from scorecards/cards when not given (serve.ts loads them before the database). */
  scorecards?: readonly Scorecard[];
  /** Validated survey rounds; loaded from scorecards/surveys when not given. */
  surveys?: readonly Survey[];
  /** The friction and capability catalogues; loaded from scorecards/friction and scorecards/capabilities when not given. */
  frictionCatalogue?: FrictionCatalogue;
  /** pino options; false for silence. */
  logger?: boolean | { level: string };
  /** Run the collectors on their configured cron schedules (the server does; tests do not). */
  scheduleCollectors?: boolean;
  /** The GitHub collector; built from the configuration when not given (tests inject a fast client). */
  githubCollector?: GithubCollectorService;
  /** The ticket collectors (Jira, GitHub Issues); built from the configuration when not given. */
  ticketCollectors?: readonly CollectorService[];
}

/** Builds the HTTP application without listening, so tests drive it with `app.inject`. */
export async function buildApp(deps: AppDependencies): Promise<FastifyTypebox> {
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level:
              deps.logger === undefined || deps.logger === true ? deps.config.logLevel : deps.logger.level,
            // In order with console output: pino's own asynchronous stream lags behind while the embedded
            // database keeps the thread busy (the demo load), so "running at" would print before its lines.
            stream: process.stdout,
            // Tokens and signatures travel in these headers; they never reach a log line.
            redact: [
              'req.headers.authorization',
              'req.headers["x-groundwork-signature"]',
              'req.headers["x-hub-signature-256"]',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
            ],
          },
    ajv: {
      // strictNumbers: Infinity (offset=1e309) and NaN are not numbers.
      customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false, strictNumbers: true },
      onCreate: strictDateTime,
    },
    logController: new AccessLog(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  traceRequests(app);
  const databaseHealth = new DatabaseHealth();
  registerErrorHandler(app, {
    onDatabaseUnavailable: (error) => databaseHealth.noteUnavailable(error, new Date()),
  });
  app.addHook('onResponse', async (request, reply) => {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && reply.statusCode < 400) {
      databaseHealth.noteWriteSucceeded();
    }
  });
  registerAdmission(app, {
    active: deps.config.server.maxActiveRequests ?? (deps.database.engine === 'pglite' ? 4 : 8),
    queued: deps.config.server.maxQueuedRequests,
    // Below the pg pool's 10 s connection timeout; PGlite has no pool to time out, and its one user is better
    // served waiting than refused.
    maxWaitMs: deps.database.engine === 'pglite' ? 60_000 : 5_000,
  });
  keepRawJsonBody(app); // signed pushes and GitHub webhooks are verified over the raw body
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Groundwork API',
        version: '1',
        description: 'DORA metrics, scorecards, ticket waits and developer surveys, per team.',
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Access control for every route, including those registered below by any area (server/auth).
  await app.register(fastifyCookie);
  await registerHardening(app, deps.config.limits);
  const access = {
    db: deps.database.db,
    clock: deps.clock,
    auth: deps.config.auth,
    sessionHours: deps.config.auth.sessionHours,
  };
  registerAccessControl(app, access);
  registerAuditTrail(app, { db: deps.database.db, clock: deps.clock, isPublic: isPublicRoute });
  // Kept answers (see response-cache.ts): the overview's at 200 teams are ≈ 4 MB of JSON, ≈ 0.5 MB gzipped.
  registerResponseCache(app, {
    db: deps.database.read,
    clock: deps.clock,
    maxBytes: 64 * 2 ** 20,
    reuseMs: ROLLING_PERIOD_REUSE_MS,
  });
  app.addHook('preSerialization', async (request, _reply, payload) =>
    redactTitles(request, deps.config.auth.mode, payload),
  );
  registerAuthRoutes(app, access);

  // Dashboard figures read from the replica when there is one; their data version is read there too, so a
  // lagging replica's figures are never kept under a version it has not replayed yet (docs/scaling.md).
  const metrics: MetricsContext = {
    db: deps.database.read,
    primary: deps.database.db,
    org: deps.config.org,
    benchmarks: deps.benchmarks ?? loadBenchmarks(),
    now: () => deps.clock.now(),
    figures: new SharedFigures(deps.database.read),
    // The demo's rows stay in the data folder when an own configuration replaces it; they count no more.
    excludeDemo: deps.config.configPath !== null,
    githubWebUrl: githubWebUrl(deps.config.github.apiUrl),
  };
  const scorecards = deps.scorecards ?? loadScorecards();
  const githubCollector =
    deps.githubCollector ??
    createGithubCollectorService({
      db: deps.database.db,
      config: deps.config,
      clock: deps.clock,
      schedule: deps.scheduleCollectors ?? false,
      log: (message, details) => app.log.info(details, message),
    });
  // Closing the app stops the schedule and waits for a run it started, before the database closes.
  app.addHook('onClose', async () => githubCollector.stop());
  const ticketCollectorOptions = {
    db: deps.database.db,
    config: deps.config,
    clock: deps.clock,
    scheduled: deps.scheduleCollectors ?? false,
    log: (message: string, details: Record<string, unknown>) => app.log.info(details, message),
  };
  const ticketCollectors = deps.ticketCollectors ?? [
    createJiraCollectorService(ticketCollectorOptions),
    createIssueQueueCollectorService(ticketCollectorOptions),
  ];
  app.addHook('onClose', async () => {
    await Promise.all(ticketCollectors.map((collector) => collector.stop()));
  });
  const surveys = deps.surveys ?? loadSurveys(deps.config.surveysDir);
  // The alert evaluator and the outbox drain run on their schedules in the server, like the collectors.
  const alerts = createAlertScheduler(
    { db: deps.database.db, clock: deps.clock, config: deps.config, surveys },
    {
      scheduled: deps.scheduleCollectors ?? false,
      log: (message, details) => app.log.info(details, message),
    },
  );
  app.addHook('onClose', async () => alerts.stop());
  registerRoutes(app, {
    database: deps.database,
    databaseHealth,
    config: deps.config,
    clock: deps.clock,
    metrics,
    scorecards,
    surveys,
    frictionCatalogue: deps.frictionCatalogue ?? loadFrictionCatalogue({ surveys, org: deps.config.org }),
    githubCollector,
    ticketCollectors,
  });
  await registerDashboard(app, deps.webRoot ?? defaultWebRoot);
  return app;
}

/**
 * Serves the built dashboard at `/`. Files are looked up per request (a rebuild needs no restart); any other
 * GET outside `/api/` gets index.html, so client-side routes survive a reload. Unknown API paths are JSON 404s.
 */
async function registerDashboard(app: FastifyTypebox, webRoot: string): Promise<void> {
  const built = existsSync(webRoot);
  if (built) await app.register(fastifyStatic, { root: webRoot });
  app.setNotFoundHandler((request, reply) => {
    const isPage =
      request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/openapi.json';
    if (!isPage) return reply.status(404).send(notFoundBody(request));
    if (built) return reply.sendFile('index.html');
    return reply
      .status(503)
      .type('text/plain')
      .send(`The dashboard is not built (${webRoot} is missing): run "npm run build" or "npm start".`);
  });
}
