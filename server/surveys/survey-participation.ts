import { surveyTeams } from '../db/survey-responses.repository.ts';
import { computeSurveyResults } from './survey-results.ts';
import type { GroupFigures, Suppressed } from './survey-results.ts';
import { countedRound, surveyStatus } from './surveys.service.ts';
import type { SurveyContext } from './surveys.service.ts';

/** A group's participation in one round, as that round's results publish it (or why not). */
export type RoundParticipation = { surveyId: string } & (
  { suppressed: false; responses: number; responseRatePercent: number | null } | Suppressed
);

export interface SurveyParticipation {
  minGroupSize: number;
  rounds: { id: string; title: string; quarter: string; status: 'upcoming' | 'open' | 'closed' }[];
  organization: RoundParticipation[];
  teams: { team: { slug: string; name: string }; rounds: RoundParticipation[] }[];
}

/**
 * Responses and response rate per team and for the organisation in every round that has opened, oldest
 * first: the trend of who answers. Each figure is the one that round's results publish, with the same
 * anonymity (so it tells nothing the results do not); rates use today's team sizes.
 */
export async function surveyParticipation(context: SurveyContext): Promise<SurveyParticipation> {
  const now = context.now();
  const opened = context.surveys.filter((survey) => surveyStatus(survey, now) !== 'upcoming');
  const teams = await surveyTeams(context.db);
  const published = await Promise.all(
    opened.map(async (survey) =>
      computeSurveyResults({
        current: await countedRound(context, survey),
        previous: null,
        teams,
        minGroupSize: context.minGroupSize,
      }),
    ),
  );
  const participation = (surveyId: string, result: GroupFigures | Suppressed): RoundParticipation =>
    result.suppressed
      ? { surveyId, suppressed: true, reason: result.reason }
      : {
          surveyId,
          suppressed: false,
          responses: result.responses,
          responseRatePercent: result.responseRatePercent,
        };
  return {
    minGroupSize: context.minGroupSize,
    rounds: opened.map((survey) => ({
      id: survey.id,
      title: survey.title,
      quarter: survey.quarter,
      status: surveyStatus(survey, now),
    })),
    organization: published.map((results) => participation(results.survey.id, results.organization.result)),
    teams: [...teams]
      .sort((a, b) => a.slug.localeCompare(b.slug))
      .map((team) => ({
        team: { slug: team.slug, name: team.name },
        rounds: published.map((results) =>
          participation(results.survey.id, results.teams.find((t) => t.team.slug === team.slug)!.result),
        ),
      })),
  };
}
