import Type from 'typebox';
import type { Static } from 'typebox';

/** As many responses as one request may carry (the events API's batch size). Kept here, free of server
 * imports, so the dashboard can take its types from this file. */
const MAX_RESPONSES_PER_REQUEST = 1000;

const Suppressed = Type.Object({
  suppressed: Type.Literal(true),
  reason: Type.String({
    description: 'e.g. "fewer than 5 responses"; no figure, not even a count, is given',
  }),
});

const Change = Type.Object({
  difference: Type.Union([Type.Number(), Type.Null()], {
    description: 'this minus the other: percentage points (drivers) or hours (hours lost)',
  }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'why there is no difference' }),
});

const FewResponses = Type.Boolean({
  description: 'fewer than 10 respondents: a small sample, shown with its interval or a "few responses" mark',
});

const DriverFigures = Type.Object({
  suppressed: Type.Literal(false),
  respondents: Type.Integer(),
  answers: Type.Integer(),
  favourablePercent: Type.Number({ description: 'answers of 4 or 5' }),
  favourableInterval95: Type.Object(
    { low: Type.Number(), high: Type.Number() },
    { description: '95% Wilson score interval of the share, in percent' },
  ),
  fewResponses: FewResponses,
  neutralPercent: Type.Number(),
  unfavourablePercent: Type.Number(),
  distributionPercent: Type.Array(Type.Number(), {
    minItems: 5,
    maxItems: 5,
    description: 'shares of answers 1 to 5 (strongly disagree to strongly agree)',
  }),
  meanScore: Type.Number({ description: 'the mean answer, 1 to 5' }),
  vsOrganization: Change,
  vsPreviousQuarter: Change,
});

const HoursFigures = Type.Object({
  suppressed: Type.Literal(false),
  respondents: Type.Integer(),
  meanHoursPerWeek: Type.Number(),
  interval95: Type.Object(
    { low: Type.Number(), high: Type.Number() },
    { description: "95% confidence interval of the mean (Student's t), not below 0" },
  ),
  fewResponses: FewResponses,
  vsOrganization: Change,
  vsPreviousQuarter: Change,
});

const ChoiceFigures = Type.Object({
  suppressed: Type.Literal(false),
  respondents: Type.Integer(),
  fewResponses: FewResponses,
  options: Type.Array(
    Type.Object({
      option: Type.String(),
      label: Type.String(),
      percent: Type.Number(),
      interval95: Type.Object(
        { low: Type.Number(), high: Type.Number() },
        { description: '95% Wilson score interval of the share, in percent' },
      ),
      rank: Type.Integer({ description: 'the server’s ranking, 1 first' }),
    }),
    { description: 'ranked by share, highest first; "other": answers that were not an option' },
  ),
});

const CommentFigures = Type.Object({
  suppressed: Type.Literal(false),
  respondents: Type.Integer(),
  comments: Type.Array(Type.String(), {
    description: "sorted, never in submission order; the organisation's list pools only the teams shown",
  }),
});

export const DriverCellSchema = Type.Object({
  driver: Type.String(),
  title: Type.String(),
  dimension: Type.String({ description: 'feedback-loops, cognitive-load or flow-state' }),
  result: Type.Union([DriverFigures, Suppressed]),
});

const GroupFigures = Type.Object({
  suppressed: Type.Literal(false),
  responses: Type.Integer(),
  responseRatePercent: Type.Union([Type.Number(), Type.Null()]),
  drivers: Type.Array(DriverCellSchema),
  hoursLost: Type.Array(
    Type.Object({ category: Type.String(), result: Type.Union([HoursFigures, Suppressed]) }),
  ),
  choices: Type.Array(
    Type.Object({
      question: Type.String(),
      text: Type.String(),
      result: Type.Union([ChoiceFigures, Suppressed]),
    }),
  ),
  comments: Type.Array(
    Type.Object({
      question: Type.String(),
      text: Type.String(),
      result: Type.Union([CommentFigures, Suppressed]),
    }),
  ),
});

const SurveyHeader = Type.Object({
  id: Type.String(),
  title: Type.String(),
  quarter: Type.String(),
  previousSurveyId: Type.Union([Type.String(), Type.Null()]),
  drivers: Type.Array(
    Type.Object({ driver: Type.String(), title: Type.String(), dimension: Type.String() }),
    {
      description: "the survey's drivers, in order",
    },
  ),
  frictionCategories: Type.Array(Type.String(), { description: 'the hours-lost categories, in order' }),
  commentsPublished: Type.Boolean({
    description: 'free-text answers are served only with surveys.publishComments: true (else none)',
  }),
});

const TeamRef = Type.Object({ slug: Type.String(), name: Type.String() });

export const ResultsByTeamSchema = Type.Object({
  survey: SurveyHeader,
  minGroupSize: Type.Integer(),
  organization: Type.Object({ teamSize: Type.Integer(), result: Type.Union([GroupFigures, Suppressed]) }),
  teams: Type.Array(
    Type.Object({ team: TeamRef, teamSize: Type.Integer(), result: Type.Union([GroupFigures, Suppressed]) }),
  ),
});

export const ResultsByDriverSchema = Type.Object({
  survey: SurveyHeader,
  minGroupSize: Type.Integer(),
  drivers: Type.Array(
    Type.Object({
      driver: Type.String(),
      title: Type.String(),
      dimension: Type.String(),
      organization: Type.Union([DriverFigures, Suppressed]),
      teams: Type.Array(Type.Object({ team: TeamRef, result: Type.Union([DriverFigures, Suppressed]) })),
    }),
  ),
});

const QuestionSchema = Type.Object({
  key: Type.String(),
  version: Type.Integer(),
  kind: Type.String({ description: 'likert, hours, single-choice, multiple-choice or text' }),
  text: Type.String(),
  driver: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  options: Type.Optional(Type.Array(Type.Object({ key: Type.String(), label: Type.String() }))),
});

const SurveySummaryFields = {
  id: Type.String(),
  title: Type.String(),
  quarter: Type.String(),
  opens: Type.String({ description: 'first day, UTC' }),
  closes: Type.String({ description: 'last day, UTC' }),
  status: Type.Union([Type.Literal('upcoming'), Type.Literal('open'), Type.Literal('closed')]),
  oneResponsePerLink: Type.Boolean({ description: 'the form needs a one-time link (unless openForm)' }),
  openForm: Type.Boolean({ description: 'the owner opted out of links: anyone may answer for any team' }),
};

export const SurveyListSchema = Type.Object({
  surveys: Type.Array(Type.Object(SurveySummaryFields)),
  forPeriod: Type.Optional(
    Type.Object(
      {
        period: Type.String(),
        from: Type.String({ format: 'date-time' }),
        to: Type.String({ format: 'date-time' }),
        surveyId: Type.Union([Type.String(), Type.Null()], {
          description: 'the newest round overlapping the period; null when none does',
        }),
        status: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Null()]),
        reason: Type.String({ description: 'why this round, or why none: a sentence to show as it is' }),
      },
      { description: 'with `period` (or from/to): the round a survey panel shows for that period, and why' },
    ),
  ),
});

export const SurveyDefinitionSchema = Type.Object({
  ...SurveySummaryFields,
  questions: Type.Array(QuestionSchema),
  teams: Type.Array(TeamRef, { description: 'the teams a respondent can pick' }),
});

const ResponseItem = Type.Object(
  {
    team: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'a team slug or name; with a one-time link, the link fixes the team',
      }),
    ),
    respondent: Type.Optional(
      Type.String({ maxLength: 320, description: 'for de-duplication only; stored as a keyed hash' }),
    ),
    submittedAt: Type.Optional(
      Type.String({ maxLength: 64, description: 'ISO date or timestamp; default now' }),
    ),
    token: Type.Optional(
      Type.String({ maxLength: 200, description: 'the one-time link token; it fixes the team' }),
    ),
    answers: Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
      description: 'question key → 1–5 or a Likert label, hours 0–40, option key(s) or label(s), or text',
    }),
  },
  { additionalProperties: false },
);

export const ResponseBatchSchema = Type.Union(
  [Type.Array(ResponseItem, { minItems: 1, maxItems: MAX_RESPONSES_PER_REQUEST }), ResponseItem],
  { description: `one response, or an array of 1 to ${MAX_RESPONSES_PER_REQUEST} (all-or-nothing)` },
);
export type ResponseItemBody = Static<typeof ResponseItem>;

export const ImportReportSchema = Type.Object({
  surveyId: Type.String(),
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  accepted: Type.Integer(),
  rejectedRows: Type.Integer({ description: 'rows left out, each counted once' }),
  rejected: Type.Array(
    Type.Object({
      line: Type.Integer(),
      field: Type.String(),
      reason: Type.String(),
      kind: Type.Union(
        [
          Type.Literal('invalid'),
          Type.Literal('double-submission'),
          Type.Literal('partial'),
          Type.Literal('empty'),
        ],
        { description: 'only invalid rows stop an all-or-nothing import' },
      ),
    }),
  ),
  warnings: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), reason: Type.String() }), {
    description: 'cells left out of accepted rows (an hours answer like "40+")',
  }),
  encoding: Type.String({ description: "utf-8, or windows-1252 for Excel's plain CSV" }),
  dateFormat: Type.String({ description: 'the date order used, from csv.dateFormat or detected' }),
  written: Type.Object({ added: Type.Integer(), replaced: Type.Integer() }),
  mapping: Type.Record(Type.String(), Type.String()),
  ignoredColumns: Type.Array(Type.String()),
});

const RoundParticipation = Type.Union([
  Type.Object({
    surveyId: Type.String(),
    suppressed: Type.Literal(false),
    responses: Type.Integer(),
    responseRatePercent: Type.Union([Type.Number(), Type.Null()]),
  }),
  Type.Object({ surveyId: Type.String(), suppressed: Type.Literal(true), reason: Type.String() }),
]);

export const ParticipationSchema = Type.Object({
  minGroupSize: Type.Integer(),
  rounds: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      quarter: Type.String(),
      status: Type.Union([Type.Literal('upcoming'), Type.Literal('open'), Type.Literal('closed')]),
    }),
    { description: 'the rounds that have opened, oldest first' },
  ),
  organization: Type.Array(RoundParticipation),
  teams: Type.Array(Type.Object({ team: TeamRef, rounds: Type.Array(RoundParticipation) })),
});
