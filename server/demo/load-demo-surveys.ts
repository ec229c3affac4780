import type { Kysely } from 'kysely';
import type { OrganizationConfig } from '#config/config.ts';
import { saveSurveyResponses, surveyTeams } from '#db/survey-responses.repository.ts';
import type { Database } from '#db/tables.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { rowContentHash, teamLookup, validateSurveyResponse } from '../surveys/survey-intake.ts';
import type { NormalizedResponse } from '../surveys/survey-intake.ts';
import { demoTeamArchetype } from './demo-organization.ts';
import { generateDemoSurveyResponses } from './demo-survey-responses.ts';

/**
 * Loads the demo's survey answers for the last two rounds that opened before `until`, through the same
 * validation and storage as the form, the API and CSV imports. Each demo response has a fixed
 * de-duplication key (team and number), so loading again replaces rather than adds. One transaction.
 */
export async function loadDemoSurveyResponses(
  db: Kysely<Database>,
  org: OrganizationConfig,
  surveys: readonly Survey[],
  options: { seed: number; until: Date },
): Promise<number> {
  const untilDay = options.until.toISOString().slice(0, 10);
  const rounds = surveys.filter((survey) => survey.opens < untilDay).slice(-2);
  const teamIds = teamLookup(await surveyTeams(db));
  let written = 0;
  await db.transaction().execute(async (trx) => {
    for (const survey of rounds) {
      const intake = {
        survey,
        teamIds,
        hashKey: null,
        now: options.until,
        source: 'demo' as const,
        teamFixed: true,
      };
      const responses: NormalizedResponse[] = org.teams.flatMap((team) =>
        generateDemoSurveyResponses(team, demoTeamArchetype(team.slug), survey, {
          seed: options.seed,
          until: options.until,
          latestRound: survey === rounds.at(-1),
        }).map((input, index) => {
          const result = validateSurveyResponse(intake, input);
          if ('problems' in result) {
            throw new Error(
              `demo: survey response ${team.slug}#${index} is invalid: ${JSON.stringify(result.problems)}`,
            );
          }
          return {
            ...result.response,
            dedupeHash: rowContentHash(survey.id, `demo\n${team.slug}\n${index}`),
          };
        }),
      );
      written += responses.length;
      await saveSurveyResponses(trx, survey.id, responses);
    }
  });
  return written;
}
