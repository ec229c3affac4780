import Type from 'typebox';
import type { Static } from 'typebox';

// `ingest:` in groundwork.yaml: how signed pushes are checked.

export const IngestSchema = Type.Object(
  {
    requireTimestamp: Type.Optional(
      Type.Boolean({
        description: 'refuse X-Groundwork-Signature over the body alone; require X-Groundwork-Timestamp',
      }),
    ),
  },
  { additionalProperties: false },
);

export interface IngestConfig {
  /** Off by default until senders sign `timestamp.body`; then on, and a captured push cannot be replayed. */
  requireTimestamp: boolean;
  /** How far X-Groundwork-Timestamp may be from the server's clock. */
  timestampToleranceSeconds: number;
}

export function normalizeIngest(file: Static<typeof IngestSchema> | undefined): IngestConfig {
  return { requireTimestamp: file?.requireTimestamp ?? false, timestampToleranceSeconds: 300 };
}
