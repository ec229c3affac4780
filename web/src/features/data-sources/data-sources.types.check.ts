/**
 * Compile-time only (never imported by the app, so never bundled): `tsc -p web` fails when the types the
 * dashboard mirrors no longer fit the server's response schema.
 */
import type { Static } from 'typebox';
import type { DataSourcesSchema } from '../../../../server/routes/data-sources.routes.ts';
import type { DataSources } from './data-sources.types.ts';

type Assert<T extends true> = T;
type Fits<Mirror, Server> = [Mirror] extends [Server] ? true : false;

export type DataSourcesFitServer = Assert<Fits<DataSources, Static<typeof DataSourcesSchema>>>;
