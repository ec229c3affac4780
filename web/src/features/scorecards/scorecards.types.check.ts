/**
 * Compile-time only (never imported by the app, so never bundled): `tsc -p web` fails when the types the
 * dashboard mirrors no longer fit the server's response schema.
 */
import type { Static } from 'typebox';
import type {
  AllTeamScorecardsSchema,
  TeamScorecardsSchema,
} from '../../../../server/routes/scorecards.schemas.ts';
import type { AllTeamScorecards, TeamScorecards } from './scorecards.types.ts';

type Assert<T extends true> = T;
type Fits<Mirror, Server> = [Mirror] extends [Server] ? true : false;

export type TeamScorecardsFitsServer = Assert<Fits<TeamScorecards, Static<typeof TeamScorecardsSchema>>>;
export type AllTeamScorecardsFitsServer = Assert<
  Fits<AllTeamScorecards, Static<typeof AllTeamScorecardsSchema>>
>;
