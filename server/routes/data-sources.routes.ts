import Type from 'typebox';
import type { FastifyTypebox } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { summarizeDataSources } from '../db/data-sources.repository.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Counts = Type.Object({ total: Type.Integer(), unattributed: Type.Integer() });
const Unattributed = Type.Object({
  count: Type.Integer(),
  examples: Type.Array(
    Type.Object({
      service: Nullable(Type.String()),
      repository: Nullable(Type.String()),
      count: Type.Integer(),
    }),
    { description: 'the commonest services/repositories no team owns: add them to groundwork.yaml' },
  ),
});

const lastEventFields = {
  receivedAt: Type.String({ format: 'date-time' }),
  kind: Type.String({ description: 'deployments, incidents or the GitHub event' }),
  authMethod: Type.Enum(['token', 'signature', 'github-signature']),
  tokenName: Nullable(Type.String({ description: 'the token that pushed it (never the token)' })),
  itemCount: Type.Integer(),
};
const LastEvent = Type.Object(lastEventFields);

export const DataSourcesSchema = Type.Object({
  sources: Type.Array(
    Type.Object({
      source: Type.String({ description: 'api (pushed), github, demo, …' }),
      deployments: Counts,
      incidents: Counts,
      lastEvent: Nullable(LastEvent),
    }),
  ),
  pushers: Type.Array(Type.Object({ source: Type.String(), ...lastEventFields }), {
    description: 'the last push per source and token (or signature), most recent first',
  }),
  unattributed: Type.Object({ deployments: Unattributed, incidents: Unattributed }),
});

export function registerDataSourceRoutes(app: FastifyTypebox, database: DatabaseHandle): void {
  app.get(
    '/api/v1/data-sources',
    {
      schema: {
        summary: 'What each source delivered, when it last pushed, and what no team owns yet',
        tags: ['ingestion'],
        response: { 200: DataSourcesSchema },
      },
    },
    async () => {
      const summary = await summarizeDataSources(database.db);
      return {
        ...summary,
        sources: summary.sources.map(({ lastEvent, ...source }) => ({
          ...source,
          lastEvent: lastEvent && { ...lastEvent, receivedAt: lastEvent.receivedAt.toISOString() },
        })),
        pushers: summary.pushers.map((pusher) => ({
          ...pusher,
          receivedAt: pusher.receivedAt.toISOString(),
        })),
      };
    },
  );
}
