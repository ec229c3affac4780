import type { Static } from 'typebox';
import type { AlertListSchema, AlertSchema } from '../../../../server/routes/alerts.schemas.ts';

// The alerts API's answers, straight from the server's response schemas (types only: nothing of the server
// reaches the bundle).

export type AlertList = Static<typeof AlertListSchema>;
export type Alert = Static<typeof AlertSchema>;
