import type { StoredSurveyResponse } from '../db/survey-responses.repository.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import { otherTextKey } from './survey-answers.ts';
import { suppressedGroups } from './group-suppression.ts';

/**
 * The tallies behind published survey results, with anonymity decided once: which responses are published
 * (while a round is open, a group's figures move only in steps of minGroupSize responses), then, per
 * measure, which groups are withheld (below the threshold, or giving a small group away by subtraction).
 */

export const ORG = '(organization)';

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

export interface SurveyRound {
  survey: Survey;
  /** The responses that count, in the order they arrived. */
  responses: readonly StoredSurveyResponse[];
  /** Still taking answers: published figures move only in steps of minGroupSize responses per team. */
  open?: boolean;
}

/** The raw tallies of one group on one measure (never returned when suppressed). */
export interface Cell {
  respondents: number;
  answers: number;
  favourable: number;
  neutral: number;
  unfavourable: number;
  /** Likert answers of 1 to 5 (index 0 to 4). */
  likert: number[];
  sum: number;
  sumSquares: number;
  choices: Map<string, number>;
  texts: string[];
}

export interface RoundFigures {
  drivers: { driver: string; measure: string }[];
  categories: { category: string; measure: string }[];
  /** The tallies of a visible cell; undefined when suppressed. */
  cell(measure: string, group: string): Cell | undefined;
  hidden(measure: string, group: string): Suppressed;
}

/** The measure of a free-text question, or of the "Other" answers written to a single-choice question. */
export const commentMeasure = (key: string) => `comments:${key}`;

/** The comment measures of a survey: its text questions, then the "Other" text of each single choice. */
export function commentQuestions(survey: Survey): { key: string; stored: string; text: string }[] {
  return [
    ...survey.questions
      .filter((q) => q.kind === 'text')
      .map((q) => ({ key: q.key, stored: q.key, text: q.text })),
    ...survey.questions
      .filter((q) => q.kind === 'single-choice')
      .map((q) => ({ key: otherTextKey(q.key), stored: otherTextKey(q.key), text: `${q.text} (Other)` })),
  ];
}

/**
 * While a round is open, each team publishes only its first responses in whole steps of minGroupSize (5,
 * 10, 15 …), and the organisation is those teams' published responses: so two polls never differ by fewer
 * than minGroupSize answers, and a team below the threshold adds nothing the organisation could give away.
 */
export function publishedResponses(
  round: SurveyRound,
  slugOf: ReadonlyMap<number, string>,
  minGroupSize: number,
): readonly StoredSurveyResponse[] {
  if (!round.open) return round.responses;
  const totals = new Map<number, number>();
  for (const response of round.responses) totals.set(response.teamId, (totals.get(response.teamId) ?? 0) + 1);
  const taken = new Map<number, number>();
  return round.responses.filter((response) => {
    if (!slugOf.has(response.teamId)) return false;
    const total = totals.get(response.teamId) ?? 0;
    const published = Math.floor(total / minGroupSize) * minGroupSize;
    const count = taken.get(response.teamId) ?? 0;
    if (count >= published) return false;
    taken.set(response.teamId, count + 1);
    return true;
  });
}

const emptyCell = (): Cell => ({
  respondents: 0,
  answers: 0,
  favourable: 0,
  neutral: 0,
  unfavourable: 0,
  likert: [0, 0, 0, 0, 0],
  sum: 0,
  sumSquares: 0,
  choices: new Map(),
  texts: [],
});

/** Tallies every measure for every team and the organisation, then applies suppression per measure. */
export function roundFigures(
  round: SurveyRound,
  teams: readonly SurveyTeam[],
  minGroupSize: number,
): RoundFigures {
  const slugOf = new Map(teams.map((team) => [team.id, team.slug]));
  const questions = round.survey.questions;
  const drivers = [...new Set(questions.flatMap((q) => (q.kind === 'likert' ? [q.driver] : [])))];
  const categories = [...new Set(questions.flatMap((q) => (q.kind === 'hours' ? [q.category] : [])))];
  const comments = commentQuestions(round.survey);
  const commentMeasures = new Set(comments.map((c) => commentMeasure(c.key)));
  const measures = [
    'responses',
    ...drivers.map((d) => `driver:${d}`),
    ...categories.map((c) => `hours:${c}`),
    ...questions.filter((q) => q.kind.endsWith('choice')).map((q) => `question:${q.key}`),
    ...commentMeasures,
  ];
  const tallies = new Map<string, Map<string, Cell>>(measures.map((m) => [m, new Map()]));
  const tally = (measure: string, group: string): Cell => {
    const byGroup = tallies.get(measure)!;
    let cell = byGroup.get(group);
    if (!cell) byGroup.set(group, (cell = emptyCell()));
    return cell;
  };
  for (const response of publishedResponses(round, slugOf, minGroupSize)) {
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
          cell.sum += answer.number;
          cell.likert[answer.number - 1]! += 1;
          if (answer.number >= 4) cell.favourable += 1;
          else if (answer.number === 3) cell.neutral += 1;
          else cell.unfavourable += 1;
          touched.add(`driver:${question.driver}`);
        } else if (question.kind === 'hours' && answer.number !== null) {
          const cell = tally(`hours:${question.category}`, group);
          cell.sum += answer.number;
          cell.sumSquares += answer.number * answer.number;
          touched.add(`hours:${question.category}`);
        } else if (
          (question.kind === 'single-choice' || question.kind === 'multiple-choice') &&
          answer.choices
        ) {
          const cell = tally(`question:${question.key}`, group);
          for (const choice of answer.choices) cell.choices.set(choice, (cell.choices.get(choice) ?? 0) + 1);
          touched.add(`question:${question.key}`);
        }
      }
      for (const comment of comments) {
        const text = response.answers.get(comment.stored)?.text;
        if (text === null || text === undefined || text === '') continue;
        tally(commentMeasure(comment.key), group).texts.push(text);
        touched.add(commentMeasure(comment.key));
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
    const groups = teams.map((team) => ({ key: team.slug, respondents: respondentsOf(measure, team.slug) }));
    // Comments are published per team of at least minGroupSize and pooled for the organisation from those
    // teams only, so the pool minus the teams' lists is empty: nothing to protect by withholding more.
    visibility.set(
      measure,
      commentMeasures.has(measure)
        ? {
            suppressed: new Set(
              groups
                .filter((g) => g.respondents < minGroupSize || overall.suppressed.has(g.key))
                .map((g) => g.key),
            ),
            complementary: new Set(),
            parentSuppressed: false,
          }
        : suppressedGroups(groups, minGroupSize, overall.suppressed),
    );
  }
  const small = `fewer than ${minGroupSize} responses`;
  const pooled = new Map<string, Cell | undefined>();
  const pool = (measure: string): Cell | undefined => {
    if (pooled.has(measure)) return pooled.get(measure);
    const rule = visibility.get(measure)!;
    const cells = teams
      .filter((team) => !rule.suppressed.has(team.slug))
      .flatMap((team) => tallies.get(measure)?.get(team.slug) ?? []);
    const cell = cells.length === 0 ? undefined : emptyCell();
    for (const part of cells) {
      cell!.respondents += part.respondents;
      cell!.texts.push(...part.texts);
    }
    pooled.set(measure, cell);
    return cell;
  };
  return {
    drivers: drivers.map((driver) => ({ driver, measure: `driver:${driver}` })),
    categories: categories.map((category) => ({ category, measure: `hours:${category}` })),
    cell(measure, group) {
      const rule = visibility.get(measure);
      if (!rule) return undefined;
      if (group === ORG && commentMeasures.has(measure)) return pool(measure);
      const hidden = group === ORG ? rule.parentSuppressed : rule.suppressed.has(group);
      return hidden ? undefined : tallies.get(measure)?.get(group);
    },
    hidden(measure, group) {
      if (group === ORG && commentMeasures.has(measure)) {
        return {
          suppressed: true,
          reason: `comments are published only for teams with at least ${minGroupSize} responses`,
        };
      }
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
