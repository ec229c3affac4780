import type { StoredSurveyResponse } from '../db/survey-responses.repository.ts';
import { surveyDriver } from '../../scorecards/survey-drivers.ts';
import type { SurveyDimension } from '../../scorecards/survey-drivers.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { suppressedGroups } from './group-suppression.ts';

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

export interface SurveyTeam {
  id: number;
  slug: string;
  name: string;
  /** Current members, for the response rate; 0 when unknown. */
  size: number;
}

export interface Suppressed {
  suppressed: true;
  reason: string;
}

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
  vsOrganization: Change;
  vsPreviousQuarter: Change;
}

export interface HoursFigures {
  suppressed: false;
  respondents: number;
  meanHoursPerWeek: number;
  vsOrganization: Change;
  vsPreviousQuarter: Change;
}

export interface ChoiceFigures {
  suppressed: false;
  respondents: number;
  options: { option: string; label: string; percent: number }[];
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

export interface SurveyRound {
  survey: Survey;
  responses: readonly StoredSurveyResponse[];
}

const ORG = '(organization)';

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
          options: options.map((option) => ({
            option: option.key,
            label: option.label,
            percent: percent(cell.choices.get(option.key) ?? 0, cell.respondents),
          })),
        };
      }),
      comments: questionCells(['text'], (cell) => ({
        suppressed: false as const,
        respondents: cell.respondents,
        comments: [...cell.texts].sort((a, b) => a.localeCompare(b)),
      })),
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

/** The raw tallies of one group on one measure (never returned when suppressed). */
interface Cell {
  respondents: number;
  answers: number;
  favourable: number;
  neutral: number;
  unfavourable: number;
  sum: number;
  choices: Map<string, number>;
  texts: string[];
}

interface RoundFigures {
  drivers: { driver: string; measure: string }[];
  categories: { category: string; measure: string }[];
  /** The tallies of a visible cell; undefined when suppressed. */
  cell(measure: string, group: string): Cell | undefined;
  hidden(measure: string, group: string): Suppressed;
}

/** Tallies every measure for every team and the organisation, then applies suppression per measure. */
function roundFigures(round: SurveyRound, teams: readonly SurveyTeam[], minGroupSize: number): RoundFigures {
  const slugOf = new Map(teams.map((team) => [team.id, team.slug]));
  const questions = round.survey.questions;
  const drivers = [...new Set(questions.flatMap((q) => (q.kind === 'likert' ? [q.driver] : [])))];
  const categories = [...new Set(questions.flatMap((q) => (q.kind === 'hours' ? [q.category] : [])))];
  const measures = [
    'responses',
    ...drivers.map((d) => `driver:${d}`),
    ...categories.map((c) => `hours:${c}`),
    ...questions
      .filter((q) => q.kind.endsWith('choice') || q.kind === 'text')
      .map((q) => `question:${q.key}`),
  ];
  const tallies = new Map<string, Map<string, Cell>>(measures.map((m) => [m, new Map()]));
  const tally = (measure: string, group: string): Cell => {
    const byGroup = tallies.get(measure)!;
    let cell = byGroup.get(group);
    if (!cell) {
      cell = {
        respondents: 0,
        answers: 0,
        favourable: 0,
        neutral: 0,
        unfavourable: 0,
        sum: 0,
        choices: new Map(),
        texts: [],
      };
      byGroup.set(group, cell);
    }
    return cell;
  };
  for (const response of round.responses) {
    const slug = slugOf.get(response.teamId);
    if (slug === undefined) continue; // a retired team: counted nowhere, so it cannot be derived either
    const touched = new Set<string>(['responses']);
    for (const group of [slug, ORG]) {
      for (const question of questions) {
        const answer = response.answers.get(question.key);
        if (!answer) continue;
        if (question.kind === 'likert' && answer.number !== null) {
          const cell = tally(`driver:${question.driver}`, group);
          cell.answers += 1;
          if (answer.number >= 4) cell.favourable += 1;
          else if (answer.number === 3) cell.neutral += 1;
          else cell.unfavourable += 1;
          touched.add(`driver:${question.driver}`);
        } else if (question.kind === 'hours' && answer.number !== null) {
          tally(`hours:${question.category}`, group).sum += answer.number;
          touched.add(`hours:${question.category}`);
        } else if (
          (question.kind === 'single-choice' || question.kind === 'multiple-choice') &&
          answer.choices
        ) {
          const cell = tally(`question:${question.key}`, group);
          for (const choice of answer.choices) cell.choices.set(choice, (cell.choices.get(choice) ?? 0) + 1);
          touched.add(`question:${question.key}`);
        } else if (question.kind === 'text' && answer.text !== null && answer.text !== '') {
          tally(`question:${question.key}`, group).texts.push(answer.text);
          touched.add(`question:${question.key}`);
        }
      }
      for (const measure of touched) tally(measure, group).respondents += 1;
    }
  }
  const respondentsOf = (measure: string, group: string) =>
    tallies.get(measure)?.get(group)?.respondents ?? 0;
  const visibility = new Map<
    string,
    { suppressed: Set<string>; complementary: Set<string>; parentSuppressed: boolean }
  >();
  const overall = suppressedGroups(
    teams.map((team) => ({ key: team.slug, respondents: respondentsOf('responses', team.slug) })),
    minGroupSize,
  );
  visibility.set('responses', overall);
  for (const measure of measures.slice(1)) {
    visibility.set(
      measure,
      suppressedGroups(
        teams.map((team) => ({ key: team.slug, respondents: respondentsOf(measure, team.slug) })),
        minGroupSize,
        overall.suppressed,
      ),
    );
  }
  const small = `fewer than ${minGroupSize} responses`;
  return {
    drivers: drivers.map((driver) => ({ driver, measure: `driver:${driver}` })),
    categories: categories.map((category) => ({ category, measure: `hours:${category}` })),
    cell(measure, group) {
      const rule = visibility.get(measure);
      if (!rule) return undefined;
      const hidden = group === ORG ? rule.parentSuppressed : rule.suppressed.has(group);
      return hidden ? undefined : tallies.get(measure)?.get(group);
    },
    hidden(measure, group) {
      const rule = visibility.get(measure);
      const complementary =
        group !== ORG &&
        (rule?.complementary.has(group) || (measure !== 'responses' && overall.complementary.has(group)));
      return {
        suppressed: true,
        reason: complementary ? `withheld: it would reveal a group with ${small}` : small,
      };
    },
  };
}

const percent = (part: number, whole: number) => (whole > 0 ? round1((part / whole) * 100) : 0);
const round1 = (value: number) => Math.round(value * 10) / 10;
