/** The survey API's shapes, taken type-only from the server's response schemas (server/routes/surveys.schemas.ts). */
import type { Static } from 'typebox';
import type {
  ParticipationSchema,
  ResultsByDriverSchema,
  ResultsByTeamSchema,
  SurveyDefinitionSchema,
  SurveyListSchema,
} from '../../../../server/routes/surveys.schemas.ts';

export type SurveyList = Static<typeof SurveyListSchema>;
export type SurveyDefinition = Static<typeof SurveyDefinitionSchema>;
export type SurveyQuestion = SurveyDefinition['questions'][number];
export type SurveyResultsByTeam = Static<typeof ResultsByTeamSchema>;
export type SurveyResultsByDriver = Static<typeof ResultsByDriverSchema>;
export type SurveyParticipation = Static<typeof ParticipationSchema>;
