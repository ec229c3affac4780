/**
 * Compile-time only (never imported by the app, so never bundled): `tsc -p web` fails when the types the
 * dashboard mirrors no longer fit the server's response schemas.
 */
import type { Static } from 'typebox';
import type { TeamMetricsSchema } from '../../../../server/routes/metrics.schemas.ts';
import type { TeamMetrics } from './metrics.types.ts';

type Assert<T extends true> = T;
type Fits<Mirror, Server> = [Mirror] extends [Server] ? true : false;

export type TeamMetricsFitsServer = Assert<Fits<TeamMetrics, Static<typeof TeamMetricsSchema>>>;
