import type { FastifyTypebox } from '../app.ts';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { DatabaseHealth } from '../db/database-errors.ts';
import type { MetricsContext } from '../metrics/metrics.service.ts';
import type { Scorecard } from '../../scorecards/scorecard.schema.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import type { FrictionCatalogue } from '../../scorecards/friction.schema.ts';
import type { GithubCollectorService } from '../../collectors/github/service.ts';
import type { CollectorService } from '../../collectors/shared/collector-service.ts';
import { registerAlertRoutes } from './alerts.routes.ts';
import { registerCollectorRoutes } from './collectors.routes.ts';
import { registerDataSourceRoutes } from './data-sources.routes.ts';
import { registerEventRoutes } from './events.routes.ts';
import { registerFrictionRoutes } from './friction.routes.ts';
import { registerGithubWebhookRoutes } from './github-webhook.routes.ts';
import { registerHealthRoutes } from './health.routes.ts';
import { registerMetricsRoutes } from './metrics.routes.ts';
import { registerScorecardRoutes } from './scorecards.routes.ts';
import { registerSurveyRoutes } from './surveys.routes.ts';
import { registerTeamRoutes } from './teams.routes.ts';
import { registerTicketRoutes } from './tickets.routes.ts';
import { registerTokenRoutes } from './tokens.routes.ts';

/** What routes need: the database, the configuration, the clock, and the metrics context built from them. */
export interface RouteContext {
  database: DatabaseHandle;
  /** Whether writes are failing now (for /readyz). */
  databaseHealth: DatabaseHealth;
  config: AppConfig;
  clock: Clock;
  metrics: MetricsContext;
  /** The validated scorecards (scorecards/cards/*.yaml). */
  scorecards: readonly Scorecard[];
  /** The validated survey rounds (scorecards/surveys/*.yaml), oldest first. */
  surveys: readonly Survey[];
  /** The validated friction and capability catalogues (scorecards/friction, scorecards/capabilities). */
  frictionCatalogue: FrictionCatalogue;
  /** The GitHub collector: on-demand runs and its schedule. */
  githubCollector: GithubCollectorService;
  /** The ticket collectors (Jira, GitHub Issues): on-demand runs and their schedules. */
  ticketCollectors: readonly CollectorService[];
}

/** Every API route, registered in one place so the list reads as the API's table of contents. */
export function registerRoutes(app: FastifyTypebox, context: RouteContext): void {
  registerHealthRoutes(app, context.database, context.databaseHealth);
  registerTeamRoutes(app, context.database);
  registerMetricsRoutes(app, context.metrics);
  registerEventRoutes(app, context);
  registerGithubWebhookRoutes(app, context);
  registerDataSourceRoutes(app, context.database);
  registerScorecardRoutes(app, { metrics: context.metrics, cards: context.scorecards });
  registerSurveyRoutes(app, context);
  registerCollectorRoutes(app, context);
  registerTokenRoutes(app, context);
  registerAlertRoutes(app, context);
  registerTicketRoutes(app, {
    db: context.database.read,
    tickets: context.config.org.tickets,
    now: () => context.clock.now(),
    excludeDemo: context.metrics.excludeDemo ?? false,
  });
  registerFrictionRoutes(
    app,
    {
      db: context.database.read,
      org: context.config.org,
      metrics: context.metrics,
      surveys: context.surveys,
      catalogue: context.frictionCatalogue,
      now: () => context.clock.now(),
    },
    { chromiumPath: context.config.chromiumPath },
  );
}
