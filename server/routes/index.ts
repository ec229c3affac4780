import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { registerHealthRoutes } from './health.routes.ts';
import { registerTeamRoutes } from './teams.routes.ts';

/** Every API route, registered in one place so the list reads as the API's table of contents. */
export function registerRoutes(app: FastifyTypebox, database: DatabaseHandle): void {
  registerHealthRoutes(app, database);
  registerTeamRoutes(app, database);
}
