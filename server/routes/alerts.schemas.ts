import Type from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

const WindowFigures = Type.Object({
  from: DateTime,
  to: DateTime,
  samples: Type.Integer({ description: 'samples in the window; respondents in the round for surveyDriver' }),
  value: Nullable(
    Type.Number({
      description: 'median hours, failed share, deployments per day, or favourable share (0–1)',
    }),
  ),
  round: Type.Optional(
    Type.Object(
      { surveyId: Type.String(), quarter: Type.String(), opens: Type.String(), closes: Type.String() },
      { description: 'surveyDriver: the published survey round these figures are from' },
    ),
  ),
});

export const FiguresSchema = Type.Object({
  recent: WindowFigures,
  baseline: WindowFigures,
  change: Nullable(Type.Number({ description: 'how much worse the recent window is: 0.3 = 30 % worse' })),
  pValue: Nullable(Type.Number({ description: 'one-sided test, uncorrected' })),
  qValue: Nullable(Type.Number({ description: 'after the Benjamini–Hochberg correction across teams' })),
});

const DriversSchema = Type.Object({
  top: Type.Array(Type.Object({ label: Type.String(), value: Type.Number(), at: DateTime }), {
    description: 'the worst samples of the window: the slowest changes, the failed deployments',
  }),
  stage: Nullable(
    Type.Object(
      {
        name: Type.String({ description: 'coding, pickup, review or deployWait' }),
        baselineHours: Type.Number(),
        recentHours: Type.Number(),
      },
      { description: 'lead time: the breakdown stage whose median grew most' },
    ),
  ),
  survey: Type.Optional(
    Type.Object(
      { driver: Type.String(), title: Type.String() },
      { description: 'surveyDriver: the driver whose favourable share dropped' },
    ),
  ),
});

export const AlertSchema = Type.Object({
  id: Type.Integer(),
  rule: Type.String(),
  metric: Type.String(),
  team: Type.Object({ slug: Type.String(), name: Type.String() }),
  status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('resolved')]),
  severity: Type.Union([Type.Literal('warning'), Type.Literal('critical')]),
  openedAt: DateTime,
  acknowledgedAt: Nullable(DateTime),
  acknowledgedBy: Nullable(Type.String()),
  resolvedAt: Nullable(DateTime),
  firedWindow: Type.Object({ from: DateTime, to: DateTime }),
  fired: FiguresSchema,
  latest: FiguresSchema,
  drivers: DriversSchema,
  lateDataNote: Nullable(Type.String()),
  lastEvaluatedAt: DateTime,
  events: Type.Array(Type.Object({ at: DateTime, kind: Type.String(), message: Type.String() })),
  notifications: Type.Array(
    Type.Object({
      deliveryId: Type.String(),
      channel: Type.String(),
      kind: Type.String(),
      status: Type.String({ description: 'pending or delivered' }),
      attempts: Type.Integer(),
      lastError: Nullable(Type.String()),
      deliveredAt: Nullable(DateTime),
    }),
  ),
});

export const AlertListSchema = Type.Object({
  counts: Type.Object({ open: Type.Integer(), acknowledged: Type.Integer(), resolved: Type.Integer() }),
  alerts: Type.Array(AlertSchema),
});

export const EvaluationReportSchema = Type.Object({
  dryRun: Type.Boolean(),
  asOf: DateTime,
  rules: Type.Array(
    Type.Object({
      rule: Type.String(),
      metric: Type.String(),
      asOf: DateTime,
      outcomes: Type.Object({
        fires: Type.Integer(),
        within: Type.Integer(),
        unconfirmed: Type.Integer(),
        'too-few': Type.Integer(),
      }),
      actions: Type.Array(
        Type.Object({
          kind: Type.String({ description: 'open, update, resolve or late-data' }),
          team: Type.String(),
          alertId: Nullable(Type.Integer()),
          message: Type.String(),
        }),
      ),
    }),
  ),
});

export const BacktestSchema = Type.Object({
  rule: Type.String(),
  metric: Type.String(),
  from: DateTime,
  to: DateTime,
  days: Type.Integer(),
  teams: Type.Integer(),
  firings: Type.Array(
    Type.Object({
      team: Type.String(),
      firedAt: Type.String({ description: 'the UTC day of the evaluation that fired' }),
      severity: Type.String(),
      change: Nullable(Type.Number()),
      resolvedAt: Nullable(Type.String()),
    }),
  ),
  perTeamPerQuarter: Type.Array(
    Type.Object({ team: Type.String(), quarter: Type.String(), firings: Type.Integer() }),
  ),
});
