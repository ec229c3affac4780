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

const DriverFigures = Type.Object({
  suppressed: Type.Literal(false),
  respondents: Type.Integer(),
  answers: Type.Integer(),
  favourablePercent: Type.Number({ description: 'answers of 4 or 5' }),
  neutralPercent: Type.Number(),
  unfavourablePercent: Type.Number(),
  vsOrganization: Change,
  vsPreviousQuarter: Change,
});

const HoursFigures = Type.Object({
  suppressed: Type.Literal(false),
  respondents: Type.Integer(),
  meanHoursPerWeek: Type.Number(),
  vsOrganization: Change,
  vsPreviousQuarter: Change,
});

const ChoiceFigures = Type.Object({
  suppressed: Type.Literal(false),
  respondents: Type.Integer(),
  options: Type.Array(Type.Object({ option: Type.String(), label: Type.String(), percent: Type.Number() })),
});

const CommentFigures = Type.Object({
  suppressed: Type.Literal(false),
  respondents: Type.Integer(),
  comments: Type.Array(Type.String(), { description: 'sorted, never in submission order' }),
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
  oneResponsePerLink: Type.Boolean(),
};

export const SurveyListSchema = Type.Object({ surveys: Type.Array(Type.Object(SurveySummaryFields)) });

export const SurveyDefinitionSchema = Type.Object({
  ...SurveySummaryFields,
  questions: Type.Array(QuestionSchema),
  teams: Type.Array(TeamRef, { description: 'the teams a respondent can pick' }),
});

const ResponseItem = Type.Object(
  {
    team: Type.String({ minLength: 1, maxLength: 200, description: 'a team slug or name' }),
    respondent: Type.Optional(
      Type.String({ maxLength: 320, description: 'for de-duplication only; stored as a keyed hash' }),
    ),
    submittedAt: Type.Optional(
      Type.String({ maxLength: 64, description: 'ISO date or timestamp; default now' }),
    ),
    token: Type.Optional(
      Type.String({ maxLength: 200, description: 'the one-time link token, when the survey asks for one' }),
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
  rejected: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), reason: Type.String() })),
  written: Type.Object({ added: Type.Integer(), replaced: Type.Integer() }),
  mapping: Type.Record(Type.String(), Type.String()),
  ignoredColumns: Type.Array(Type.String()),
});
