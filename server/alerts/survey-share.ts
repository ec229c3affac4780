import { loadSurveys } from '../../scorecards/load-surveys.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import type { AlertRule } from '../config/alerts-config.ts';
import { ConfigError } from '../config/config.ts';
import type { AppConfig } from '../config/config.ts';
import type { ConfigProblem } from '../config/schema-errors.ts';
import { surveyResults } from '../surveys/surveys.service.ts';
import type { SurveyContext } from '../surveys/surveys.service.ts';
import { DAY_MS } from '../time.ts';
import type { SeriesSample } from './alert-types.ts';

// A survey driver's favourable share, round by round, as the survey results service publishes it: the
// anonymity rules (minGroupSize, complementary suppression) are applied there, once, and an alert never sees
// more than the results page shows. A withheld team's round is a sample without figures.

/** The rounds that ask about `driver`: at least one Likert statement tied to it. */
const asks = (survey: Survey, driver: string) =>
  survey.questions.some((question) => question.kind === 'likert' && question.driver === driver);

/** A round's result is final, and published for alerting, from the day after it closes (UTC). */
export const publishedAt = (survey: Survey) => new Date(Date.parse(`${survey.closes}T00:00:00Z`) + DAY_MS);

/**
 * Every surveyDriver rule's driver must be asked by a survey round in the surveys folder: a ConfigError
 * naming the configuration file and the rule's key path otherwise (checked at start-up, after the surveys
 * are loaded).
 */
export function alertDriverProblems(
  rules: readonly AlertRule[],
  surveys: readonly Survey[],
): ConfigProblem[] {
  return rules.flatMap((rule, i) =>
    rule.metric !== 'surveyDriver' || rule.driver === null || surveys.some((s) => asks(s, rule.driver ?? ''))
      ? []
      : [
          {
            path: `alerts.rules[${i}].driver`,
            message: `no survey round asks about driver "${rule.driver}" (a likert question with driver: ${rule.driver}); rounds: ${surveys.map((s) => s.id).join(', ') || 'none'}`,
          },
        ],
  );
}

export function assertAlertDriversAsked(config: AppConfig, surveys: readonly Survey[]): void {
  const problems = alertDriverProblems(config.org.alerts.rules, surveys);
  if (problems.length > 0) throw new ConfigError(config.configPath ?? 'the configuration', problems);
}

/**
 * One sample per team per round of the rule's driver published by `asOf`: the team's favourable share (0–1)
 * and respondents, or the round withheld. `at` is when the round was published.
 */
export async function surveyShareSamples(
  ctx: Pick<SurveyContext, 'db'> & { config: AppConfig; surveys?: readonly Survey[] | undefined },
  rule: AlertRule,
  asOf: Date,
): Promise<SeriesSample[]> {
  const driver = rule.driver;
  if (driver === null) return [];
  const surveys = ctx.surveys ?? loadSurveys(ctx.config.surveysDir);
  const context: SurveyContext = {
    db: ctx.db,
    surveys,
    minGroupSize: ctx.config.org.surveys.minGroupSize,
    hashKey: null,
    now: () => asOf,
    // As the results page: the demo's responses count only while no configuration is loaded.
    excludeDemo: ctx.config.configPath !== null,
  };
  const teamIds = new Map(
    (await ctx.db.selectFrom('teams').select(['id', 'slug']).execute()).map((team) => [team.slug, team.id]),
  );
  const samples: SeriesSample[] = [];
  for (const survey of surveys) {
    const at = publishedAt(survey);
    if (!asks(survey, driver) || at > asOf) continue;
    const results = await surveyResults(context, survey.id);
    const ref = { surveyId: survey.id, quarter: survey.quarter, opens: survey.opens, closes: survey.closes };
    for (const { team, result } of results.teams) {
      const teamId = teamIds.get(team.slug);
      if (teamId === undefined) continue;
      const cell = result.suppressed ? null : result.drivers.find((d) => d.driver === driver)?.result;
      if (cell === undefined) continue;
      samples.push(
        cell === null || cell.suppressed
          ? { teamId, at, value: 0, label: survey.id, round: { ...ref, suppressed: true } }
          : {
              teamId,
              at,
              value: cell.favourablePercent / 100,
              label: survey.id,
              round: { ...ref, suppressed: false, respondents: cell.respondents },
            },
      );
    }
  }
  return samples;
}
