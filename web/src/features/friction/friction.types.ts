import type { Static } from 'typebox';
import type {
  FrictionResponse,
  ReadinessResponse,
  RecommendationsResponse,
} from '../../../../server/routes/friction.schemas.ts';

// The friction API's responses, typed from the server's own schemas (type-only: nothing of the server is
// bundled), so the dashboard cannot drift from what the API serves.
export type FrictionReport = Static<typeof FrictionResponse>;
export type FrictionRow = FrictionReport['frictions'][number];
export type TeamFriction = FrictionRow['teams'][number];
export type RecommendationsReport = Static<typeof RecommendationsResponse>;
export type Recommendation = RecommendationsReport['recommendations'][number];
export type ReadinessReport = Static<typeof ReadinessResponse>;
export type Verdict = ReadinessReport['verdict'];
