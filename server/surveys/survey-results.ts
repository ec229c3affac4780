import { surveyDriver } from '../../scorecards/survey-drivers.ts';
import type { SurveyDimension } from '../../scorecards/survey-drivers.ts';
import type { SurveyOption } from '../../scorecards/survey.schema.ts';
import { OTHER } from './survey-answers.ts';
import { FEW_RESPONSES, meanInterval, round1, wilsonInterval } from './survey-intervals.ts';
import { commentMeasure, commentQuestions, ORG, roundFigures } from './survey-round-figures.ts';
import type { Cell, RoundFigures, Suppressed, SurveyRound, SurveyTeam } from './survey-round-figures.ts';

export type { Suppressed, SurveyRound, SurveyTeam } from './survey-round-figures.ts';

/**
 * Survey results per team and for the organisation, with anonymity applied once, here, for every view
 * (groupBy=team, groupBy=driver, CSV): a result is either figures or `{ suppressed: true, reason }` with no
 * numbers at all, not even its response count.
 *
 * - Likert drivers: % favourable (4–5, "top-2 box"), neutral (3) and unfavourable (1–2) over the answers
 *   to the driver's statements, the distribution of answers 1–5 and their mean; a group's size is the
 *   respondents who answered at least one of them.
 * - Hours lost: mean hours per week per friction category over those who answered, with a 95% interval.
 * - Choices: the share of respondents who picked each option, ranked, with "other", each with its 95%
 *   Wilson interval; comments (free text and "Other" answers), only with `surveys.publishComments`: sorted
 *   (never in submission order), and for the organisation pooled from the teams shown only.
 * - Every share and mean carries its 95% interval and `fewResponses` below 10 respondents, so a group of
 *   5–9 looks as small as it is (survey-intervals.ts).
 * - While a round is open, figures move only in steps of minGroupSize responses per team
 *   (survey-round-figures.ts).
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
  /** The 95% Wilson interval of the favourable share, in percent, over the respondents. */
  favourableInterval95: { low: number; high: number };
  /** Fewer than FEW_RESPONSES respondents: show the interval, never rank it above strong telemetry. */
  fewResponses: boolean;
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
  fewResponses: boolean;
  vsOrganization: Change;
  vsPreviousQuarter: Change;
}

export interface ChoiceFigures {
  suppressed: false;
  respondents: number;
  fewResponses: boolean;
  /** Ranked by share, highest first (on the server); "other" counts answers that were not an option. */
  options: {
    option: string;
    label: string;
    percent: number;
    /** The 95% Wilson interval of the share, in percent. */
    interval95: { low: number; high: number };
    rank: number;
  }[];
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
    /** Whether free-text answers are served (`surveys.publishComments`); off, `comments` is empty. */
    commentsPublished: boolean;
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
  /** `surveys.publishComments`: free text is served only when the organisation opts in. */
  publishComments?: boolean;
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
          favourableInterval95: wilsonInterval(cell.favourable / cell.answers, cell.respondents),
          fewResponses: cell.respondents < FEW_RESPONSES,
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
          interval95: meanInterval(cell.respondents, cell.sum, cell.sumSquares),
          fewResponses: cell.respondents < FEW_RESPONSES,
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
          fewResponses: cell.respondents < FEW_RESPONSES,
          options: rankedOptions(options, cell, question?.kind === 'single-choice'),
        };
      }),
      // Sorted, so no list is in the order answers arrived, and the organisation's list pools only the
      // teams shown: it never holds a withheld team's comments. Without the opt-in, no free text at all.
      comments: (input.publishComments ? commentQuestions(input.current.survey) : []).map(({ key, text }) => {
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
      commentsPublished: input.publishComments ?? false,
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

/** Options by share, highest first (ties in the survey's order), with "Other" when anyone wrote one. */
function rankedOptions(options: readonly SurveyOption[], cell: Cell, single: boolean) {
  const all = [...options];
  if (single && (cell.choices.get(OTHER) ?? 0) > 0 && !all.some((o) => o.key === OTHER))
    all.push({ key: OTHER, label: 'Other' });
  return all
    .map((option, order) => {
      const chosen = cell.choices.get(option.key) ?? 0;
      return {
        option: option.key,
        label: option.label,
        percent: percent(chosen, cell.respondents),
        interval95: wilsonInterval(chosen / cell.respondents, cell.respondents),
        order,
      };
    })
    .sort((a, b) => b.percent - a.percent || a.order - b.order)
    .map(({ order: _order, ...option }, index) => ({ ...option, rank: index + 1 }));
}
