import Type from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const RuleResultSchema = Type.Object({
  metric: Type.String({ description: 'a key of the metric registry' }),
  label: Type.String(),
  unit: Type.String(),
  op: Type.String({ description: '<, <=, > or >=' }),
  threshold: Type.Number(),
  weight: Type.Number(),
  description: Type.String(),
  status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('unknown')]),
  value: Nullable(
    Type.Number({ description: "the team's value; null (status unknown) when there is no data" }),
  ),
  sampleSize: Type.Integer(),
  reason: Type.Optional(Type.String({ description: 'why the value is null' })),
});

const ScorecardResultFields = {
  id: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  level: Nullable(Type.String({ description: 'the highest level earned; null when none' })),
  levelTitle: Nullable(Type.String()),
  levels: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      passed: Type.Boolean({ description: 'every rule of this level passes' }),
      rules: Type.Array(RuleResultSchema),
    }),
  ),
  nextLevel: Nullable(Type.String()),
  missingForNextLevel: Type.Array(RuleResultSchema, {
    description: "the next level's failing or unknown rules, highest weight first",
  }),
};

export const HistoryPointSchema = Type.Object({
  month: Type.String({ description: 'a closed calendar month, YYYY-MM (UTC)' }),
  level: Nullable(Type.String()),
  evaluatedAt: Type.String({ format: 'date-time' }),
});

const PeriodFields = {
  period: Type.String(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
};

export const TeamScorecardsSchema = Type.Object({
  team: Type.String(),
  name: Type.String(),
  ...PeriodFields,
  scorecards: Type.Array(
    Type.Object({
      ...ScorecardResultFields,
      history: Type.Array(HistoryPointSchema, { description: 'the last 6 closed months, oldest first' }),
    }),
  ),
});

export const AllTeamScorecardsSchema = Type.Object({
  ...PeriodFields,
  teams: Type.Array(
    Type.Object({
      team: Type.String(),
      name: Type.String(),
      scorecards: Type.Array(Type.Object(ScorecardResultFields)),
    }),
  ),
});
