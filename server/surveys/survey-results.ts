import { surveyDriver } from '../../scorecards/survey-drivers.ts';
import type { SurveyDimension } from '../../scorecards/survey-drivers.ts';
import type { SurveyOption } from '../../scorecards/survey.schema.ts';
import { OTHER } from './survey-answers.ts';
import { commentMeasure, commentQuestions, ORG, roundFigures } from './survey-round-figures.ts';
import type { Cell, RoundFigures, Suppressed, SurveyRound, SurveyTeam } from './survey-round-figures.ts';

export type { Suppressed, SurveyRound, SurveyTeam } from './survey-round-figures.ts';

/**
 * Survey results per team and for the organisation, with anonymity applied once, here, for every view
 * (groupBy=team, groupBy=driver, CSV): a result is either figures or `{ suppressed: true, reason }` with no
 * numbers at all, not even its response count.
 *
 * - Likert drivers: % favourable (4–5, "top-2 box"), neutral (3) and unfavourable (1–2) over the answers
 *   to the driver's statements; a group's size is the respondents who answered at least one of them.
 * - Hours lost: mean hours per week per friction category over those who answered.
 * - Choices: the share of respondents who picked each option; comments: free text, sorted (never in
 *   submission order).
 * - Change against the previous quarter (by driver, category and question key, so rewording keeps the
 *   trend) and against the organisation, only when both sides are visible; a difference is between the
 *   figures as shown (rounded to 0.1), so it adds up for a reader.
 */

export interface Change {
  /** This minus the other (percentage points, or hours); null with a reason when either side is hidden. */
  difference: number | null;
  reason: string | null;
}

export interface DriverFigures {
  suppressed: false;
  respondents: number;
  answers: number;
  favourablePercent: number;
  neutralPercent: number;
  unfavourablePercent: number;
  /** Shares of answers 1 to 5 (strongly disagree to strongly agree). */
  distributionPercent: number[];
  /** The mean answer, 1 to 5. */
  meanScore: number;
  vsOrganization: Change;
  vsPreviousQuarter: Change;
}

export interface HoursFigures {
  suppressed: false;
  respondents: number;
  meanHoursPerWeek: number;
  /** The 95% confidence interval of the mean (Student's t), not below 0. */
  interval95: { low: number; high: number };
  vsOrganization: Change;
  vsPreviousQuarter: Change;
}

export interface ChoiceFigures {
  suppressed: false;
  respondents: number;
  /** Ranked by share, highest first; "other" counts answers that were not an option. */
  options: { option: string; label: string; percent: number; rank: number }[];
}

export interface CommentFigures {
  suppressed: false;
  respondents: number;
  comments: string[];
}

export interface DriverCell {
  driver: string;
  title: string;
  dimension: SurveyDimension;
  result: DriverFigures | Suppressed;
}
export interface HoursCell {
  category: string;
  result: HoursFigures | Suppressed;
}
export interface ChoiceCell {
  question: string;
  text: string;
  result: ChoiceFigures | Suppressed;
}
export interface CommentCell {
  question: string;
  text: string;
  result: CommentFigures | Suppressed;
}

export interface GroupFigures {
  suppressed: false;
  responses: number;
  /** Responses ÷ current members; null when the team size is unknown (or the organisation has none). */
  responseRatePercent: number | null;
  drivers: DriverCell[];
  hoursLost: HoursCell[];
  choices: ChoiceCell[];
  comments: CommentCell[];
}

export interface SurveyResults {
  survey: {
    id: string;
    title: string;
    quarter: string;
    previousSurveyId: string | null;
    /** What the survey asks about, so a view can list every driver and category even when all is withheld. */
    drivers: { driver: string; title: string; dimension: SurveyDimension }[];
    frictionCategories: string[];
  };
  minGroupSize: number;
  organization: { teamSize: number; result: GroupFigures | Suppressed };
  teams: { team: { slug: string; name: string }; teamSize: number; result: GroupFigures | Suppressed }[];
}

/** Everything the results API and export serve, for one survey round (and the round before, if any). */
export function computeSurveyResults(input: {
  current: SurveyRound;
  previous: SurveyRound | null;
  teams: readonly SurveyTeam[];
  minGroupSize: number;
}): SurveyResults {
  const { teams, minGroupSize } = input;
  const current = roundFigures(input.current, teams, minGroupSize);
  const previous = input.previous ? roundFigures(input.previous, teams, minGroupSize) : null;
  const previousNote = input.previous ? null : 'no earlier survey';
  const change = (
    measure: string,
    group: string,
    value: number,
    pick: (cell: Cell) => number,
    from: RoundFigures | null,
    missing: string,
  ): Change => {
    if (!from) return { difference: null, reason: previousNote ?? missing };
    const other = from.cell(measure, group);
    if (!other) return { difference: null, reason: missing };
    return { difference: round1(value - pick(other)), reason: null };
  };
  const groupResult = (group: string, size: number): GroupFigures | Suppressed => {
    const overall = current.cell('responses', group);
    if (!overall) return current.hidden('responses', group);
    const driverCells = current.drivers.map(({ driver, measure }): DriverCell => {
      const info = surveyDriver(driver)!;
      const cell = current.cell(measure, group);
      if (!cell)
        return {
          driver,
          title: info.title,
          dimension: info.dimension,
          result: current.hidden(measure, group),
        };
      const favourable = percent(cell.favourable, cell.answers);
      const pick = (c: Cell) => percent(c.favourable, c.answers);
      return {
        driver,
        title: info.title,
        dimension: info.dimension,
        result: {
          suppressed: false,
          respondents: cell.respondents,
          answers: cell.answers,
          favourablePercent: favourable,
          neutralPercent: percent(cell.neutral, cell.answers),
          unfavourablePercent: percent(cell.unfavourable, cell.answers),
          distributionPercent: cell.likert.map((count) => percent(count, cell.answers)),
          meanScore: round1(cell.sum / cell.answers),
          vsOrganization:
            group === ORG
              ? { difference: null, reason: 'this is the organisation' }
              : change(measure, ORG, favourable, pick, current, 'the organisation figure is withheld'),
          vsPreviousQuarter: change(
            measure,
            group,
            favourable,
            pick,
            previous,
            'withheld or not asked last quarter',
          ),
        },
      };
    });
    const hoursCells = current.categories.map(({ category, measure }): HoursCell => {
      const cell = current.cell(measure, group);
      if (!cell) return { category, result: current.hidden(measure, group) };
      const mean = round1(cell.sum / cell.respondents);
      const pick = (c: Cell) => round1(c.sum / c.respondents);
      return {
        category,
        result: {
          suppressed: false,
          respondents: cell.respondents,
          meanHoursPerWeek: mean,
          interval95: meanInterval(cell),
          vsOrganization:
            group === ORG
              ? { difference: null, reason: 'this is the organisation' }
              : change(measure, ORG, mean, pick, current, 'the organisation figure is withheld'),
          vsPreviousQuarter: change(
            measure,
            group,
            mean,
            pick,
            previous,
            'withheld or not asked last quarter',
          ),
        },
      };
    });
    const questionCells = <T>(kinds: string[], build: (cell: Cell, key: string) => T) =>
      input.current.survey.questions
        .filter((question) => kinds.includes(question.kind))
        .map((question) => {
          const measure = `question:${question.key}`;
          const cell = current.cell(measure, group);
          return {
            question: question.key,
            text: question.text,
            result: cell ? build(cell, question.key) : current.hidden(measure, group),
          };
        });
    return {
      suppressed: false,
      responses: overall.respondents,
      responseRatePercent: size > 0 ? percent(overall.respondents, size) : null,
      drivers: driverCells,
      hoursLost: hoursCells,
      choices: questionCells(['single-choice', 'multiple-choice'], (cell, key) => {
        const question = input.current.survey.questions.find((q) => q.key === key);
        const options = question && 'options' in question ? question.options : [];
        return {
          suppressed: false as const,
          respondents: cell.respondents,
          options: rankedOptions(options, cell, question?.kind === 'single-choice'),
        };
      }),
      // Sorted, so no list is in the order answers arrived, and the organisation's list pools only the
      // teams shown: it never holds a withheld team's comments.
      comments: commentQuestions(input.current.survey).map(({ key, text }) => {
        const measure = commentMeasure(key);
        const cell = current.cell(measure, group);
        return {
          question: key,
          text,
          result: cell
            ? {
                suppressed: false as const,
                respondents: cell.respondents,
                comments: [...cell.texts].sort((a, b) => a.localeCompare(b)),
              }
            : current.hidden(measure, group),
        };
      }),
    };
  };
  const orgSize = teams.reduce((sum, team) => sum + team.size, 0);
  return {
    survey: {
      id: input.current.survey.id,
      title: input.current.survey.title,
      quarter: input.current.survey.quarter,
      previousSurveyId: input.previous?.survey.id ?? null,
      drivers: current.drivers.map(({ driver }) => {
        const info = surveyDriver(driver)!;
        return { driver, title: info.title, dimension: info.dimension };
      }),
      frictionCategories: current.categories.map(({ category }) => category),
    },
    minGroupSize,
    organization: { teamSize: orgSize, result: groupResult(ORG, orgSize) },
    teams: [...teams]
      .sort((a, b) => a.slug.localeCompare(b.slug))
      .map((team) => ({
        team: { slug: team.slug, name: team.name },
        teamSize: team.size,
        result: groupResult(team.slug, team.size),
      })),
  };
}

const percent = (part: number, whole: number) => (whole > 0 ? round1((part / whole) * 100) : 0);
const round1 = (value: number) => Math.round(value * 10) / 10;

// Two-sided 95% quantiles of Student's t for 1–30 degrees of freedom, then 40, 60, 120 and the normal limit.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
function t95(df: number): number {
  if (df <= 30) return T95[Math.max(df, 1) - 1]!;
  return df <= 40 ? 2.021 : df <= 60 ? 2.0 : df <= 120 ? 1.98 : 1.96;
}

/** The 95% confidence interval of a mean (Student's t), never below 0 hours. */
function meanInterval(cell: Cell): { low: number; high: number } {
  const n = cell.respondents;
  const mean = cell.sum / n;
  const variance = n > 1 ? Math.max(0, (cell.sumSquares - n * mean * mean) / (n - 1)) : 0;
  const half = t95(n - 1) * Math.sqrt(variance / n);
  return { low: round1(Math.max(0, mean - half)), high: round1(mean + half) };
}

/** Options by share, highest first (ties in the survey's order), with "Other" when anyone wrote one. */
function rankedOptions(options: readonly SurveyOption[], cell: Cell, single: boolean) {
  const all = [...options];
  if (single && (cell.choices.get(OTHER) ?? 0) > 0 && !all.some((o) => o.key === OTHER))
    all.push({ key: OTHER, label: 'Other' });
  return all
    .map((option, order) => ({
      option: option.key,
      label: option.label,
      percent: percent(cell.choices.get(option.key) ?? 0, cell.respondents),
      order,
    }))
    .sort((a, b) => b.percent - a.percent || a.order - b.order)
    .map(({ order: _order, ...option }, index) => ({ ...option, rank: index + 1 }));
}
