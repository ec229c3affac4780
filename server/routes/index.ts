import type { FastifyTypebox } from '../app.ts';
import type { Clock } from '../clock.ts';
import type { AppConfig } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { MetricsContext } from '../metrics/metrics.service.ts';
import { registerHealthRoutes } from './health.routes.ts';
import { registerMetricsRoutes } from './metrics.routes.ts';
import { registerTeamRoutes } from './teams.routes.ts';

/** What routes need: the database, the configuration, the clock, and the metrics context built from them. */
export interface RouteContext {
  database: DatabaseHandle;
  config: AppConfig;
  clock: Clock;
  metrics: MetricsContext;
}

/** Every API route, registered in one place so the list reads as the API's table of contents. */
export function registerRoutes(app: FastifyTypebox, context: RouteContext): void {
  registerHealthRoutes(app, context.database);
  registerTeamRoutes(app, context.database);
  registerMetricsRoutes(app, context.metrics);
}
