import type { StoredSurveyResponse } from '../db/survey-responses.repository.ts';
import type { SurveyResults, Suppressed } from '../surveys/survey-results.ts';
import type { FrictionPoint } from '../../scorecards/friction.schema.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { meanInterval } from './statistics.ts';

/**
 * The survey's evidence for a friction point, per team, from one round's *published* results: a team's
 * hours figure exists only where the results show the team and every one of the point's hours categories
 * for it — the survey's minGroupSize and complementary suppression decide, here as on the results page.
 * Only then are that team's answers read again, for what the published cells cannot give: each
 * respondent's hours summed over the point's categories (h̄, the mean of those sums, over those who answered
 * at least one) and its spread for a t-interval. With one category, h̄ is the published mean.
 */

export interface SurveyHoursEvidence {
  suppressed: false;
  respondents: number;
  responseRatePercent: number | null;
  /** h̄: mean hours per respondent per week, summed over the point's hours categories. */
  meanHoursPerWeek: number;
  /** Half-width of h̄'s 95 % t-interval; null with one respondent. */
  halfWidth: number | null;
}

export interface DriverEvidence {
  driver: string;
  title: string;
  result: { suppressed: false; respondents: number; favourablePercent: number } | Suppressed;
}

export interface TeamSurveyEvidence {
  /** Null when the round asks about none of the point's hours categories. */
  hours: SurveyHoursEvidence | Suppressed | null;
  drivers: DriverEvidence[];
}

export function surveyEvidence(
  point: FrictionPoint,
  round: { survey: Survey; results: SurveyResults; responses: readonly StoredSurveyResponse[] },
  teamIdsBySlug: ReadonlyMap<string, number>,
): Map<string, TeamSurveyEvidence> {
  const { survey, results } = round;
  const asked = point.surveyHours.filter((c) => results.survey.frictionCategories.includes(c));
  const questionKeys = survey.questions.flatMap((q) =>
    q.kind === 'hours' && asked.includes(q.category) ? [q.key] : [],
  );
  const drivers = results.survey.drivers.filter((d) => point.surveyDrivers.includes(d.driver));
  const evidence = new Map<string, TeamSurveyEvidence>();
  for (const { team, result } of results.teams) {
    if (result.suppressed) {
      const hidden: Suppressed = { suppressed: true, reason: result.reason };
      evidence.set(team.slug, {
        hours: asked.length > 0 ? hidden : null,
        drivers: drivers.map((d) => ({ driver: d.driver, title: d.title, result: hidden })),
      });
      continue;
    }
    const driverEvidence = drivers.map((d): DriverEvidence => {
      const cell = result.drivers.find((c) => c.driver === d.driver)?.result;
      return {
        driver: d.driver,
        title: d.title,
        result:
          !cell || cell.suppressed
            ? (cell ?? { suppressed: true, reason: 'not asked' })
            : { suppressed: false, respondents: cell.respondents, favourablePercent: cell.favourablePercent },
      };
    });
    if (asked.length === 0) {
      evidence.set(team.slug, { hours: null, drivers: driverEvidence });
      continue;
    }
    const withheld = result.hoursLost.find((cell) => asked.includes(cell.category) && cell.result.suppressed);
    if (withheld?.result.suppressed) {
      evidence.set(team.slug, { hours: withheld.result, drivers: driverEvidence });
      continue;
    }
    const teamId = teamIdsBySlug.get(team.slug);
    const sums = round.responses
      .filter((response) => response.teamId === teamId)
      .flatMap((response) => {
        const numbers = questionKeys.flatMap((key) => {
          const value = response.answers.get(key)?.number;
          return value === null || value === undefined ? [] : [value];
        });
        return numbers.length > 0 ? [numbers.reduce((sum, value) => sum + value, 0)] : [];
      });
    if (sums.length === 0) {
      evidence.set(team.slug, { hours: { suppressed: true, reason: 'no answers' }, drivers: driverEvidence });
      continue;
    }
    const { mean, halfWidth } = meanInterval(sums);
    evidence.set(team.slug, {
      hours: {
        suppressed: false,
        respondents: sums.length,
        responseRatePercent: result.responseRatePercent,
        meanHoursPerWeek: mean,
        halfWidth,
      },
      drivers: driverEvidence,
    });
  }
  return evidence;
}
