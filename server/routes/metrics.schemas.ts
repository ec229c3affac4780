import Type from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Hours = Nullable(Type.Number({ description: 'hours' }));
const TierFields = {
  tier: Nullable(Type.String({ description: 'elite | high | medium | low, from the benchmark table' })),
  tierReason: Type.Optional(Type.String()),
  smallSample: Type.Optional(Type.Literal(true, { description: 'fewer samples than the tier minimum' })),
  reason: Type.Optional(Type.String({ description: 'why a figure is null' })),
};
const open = { additionalProperties: true } as const;
const Minutes = Nullable(Type.Number({ description: 'minutes' }));
const CiDuration = Type.Object(
  { medianMinutes: Minutes, p90Minutes: Minutes, sampleSize: Type.Integer() },
  open,
);
const StageFigure = Type.Object(
  { sampleSize: Type.Integer(), medianHours: Hours, reason: Type.Optional(Type.String()) },
  open,
);

export const DeliveryMetricsSchema = {
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  deploymentFrequency: Type.Object(
    {
      count: Type.Integer(),
      perWeek: Type.Number(),
      perDay: Type.Number(),
      activeWeeksShare: Nullable(Type.Number()),
      wholeWeeks: Type.Integer(),
      sampleSize: Type.Integer(),
      ...TierFields,
    },
    open,
  ),
  leadTime: Type.Object(
    {
      medianHours: Hours,
      p90Hours: Hours,
      sampleSize: Type.Integer(),
      coverage: Type.Object(
        {
          deploymentsWithCommits: Type.Integer({ description: 'deployments that came with their commits' }),
          deployments: Type.Integer(),
          share: Nullable(Type.Number()),
          fromPullRequests: Type.Integer({ description: "changes started at their PR's first commit" }),
          negativeExcluded: Type.Integer({
            description: 'changes left out: they, or their shipped commit, are dated after their deployment',
          }),
          implausibleStartExcluded: Type.Integer({ description: 'changes left out: started before 2000' }),
          implausibleDeploymentExcluded: Type.Integer({
            description: 'changes left out: first deployed before 2000 or over a day after the server clock',
          }),
        },
        open,
      ),
      breakdown: Type.Object({
        coding: StageFigure,
        pickup: StageFigure,
        review: StageFigure,
        deployWait: StageFigure,
      }),
      ...TierFields,
    },
    open,
  ),
  changeFailureRate: Type.Object(
    {
      rate: Nullable(Type.Number()),
      failed: Type.Integer(),
      deployments: Type.Integer(),
      failedByInferenceOnly: Type.Integer(),
      ...TierFields,
    },
    open,
  ),
  recoveryTime: Type.Object(
    {
      medianHours: Hours,
      p90Hours: Hours,
      sampleSize: Type.Integer(),
      unresolved: Type.Integer(),
      allIncidents: Type.Object({}, open),
      ...TierFields,
    },
    open,
  ),
  reworkRate: Type.Object(
    {
      rate: Nullable(Type.Number()),
      reworkDeployments: Type.Integer(),
      deployments: Type.Integer(),
      reason: Type.Optional(Type.String()),
    },
    open,
  ),
  pullRequests: Type.Object({}, open),
  ci: Type.Object(
    {
      sampleSize: Type.Integer({ description: 'CI attempts that passed or failed' }),
      durationMedianMinutes: Minutes,
      durationP90Minutes: Minutes,
      pullRequest: CiDuration,
      defaultBranch: CiDuration,
      queueMedianMinutes: Minutes,
      queueP90Minutes: Minutes,
      queueSampleSize: Type.Integer(),
      failureRate: Nullable(Type.Number({ description: 'failed attempts ÷ attempts that passed or failed' })),
      failedAttempts: Type.Integer(),
      runs: Type.Integer({ description: 'runs with an attempt that passed or failed' }),
      attempts: Type.Integer(),
      flakyRate: Nullable(Type.Number({ description: 'runs that failed, then passed on a re-run ÷ runs' })),
      flakyRuns: Type.Integer(),
      timeToGreen: Type.Object(
        { medianHours: Hours, p90Hours: Hours, sampleSize: Type.Integer(), unresolved: Type.Integer() },
        open,
      ),
      reason: Type.Optional(Type.String()),
    },
    { ...open, description: 'CI pipeline telemetry: build duration, queue time, failures, flaky re-runs' },
  ),
};

export const BenchmarkRefSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  citation: Type.String(),
});

const ChangeSchema = Type.Object({
  previous: Nullable(Type.Number()),
  previousSampleSize: Type.Integer(),
  difference: Nullable(Type.Number({ description: 'current − previous, in the figure’s unit' })),
  ratio: Nullable(Type.Number({ description: 'current ÷ previous' })),
  direction: Nullable(
    Type.Union([Type.Literal('better'), Type.Literal('worse'), Type.Literal('unchanged')], {
      description: 'which way it moved for the team (each metric knows whether higher or lower is better)',
    }),
  ),
  smallSample: Type.Boolean({ description: 'either side has fewer samples than the tier minimum' }),
});

/** With `compare=previous`: each headline figure against the period of the same length just before. */
export const ChangesSchema = Type.Optional(
  Type.Object({
    deploymentFrequency: ChangeSchema,
    leadTime: ChangeSchema,
    changeFailureRate: ChangeSchema,
    recoveryTime: ChangeSchema,
    reworkRate: ChangeSchema,
  }),
);

export const TeamMetricsSchema = Type.Object({
  team: Type.String(),
  period: Type.String(),
  benchmark: BenchmarkRefSchema,
  ...DeliveryMetricsSchema,
  change: ChangesSchema,
});

export const CompareQuerySchema = {
  compare: Type.Optional(
    Type.Literal('previous', { description: 'add each figure’s change against the previous period' }),
  ),
};

export const PeriodQuerySchema = {
  period: Type.Optional(Type.String({ description: '2026-Q4, 2026-11, 2026 or last-30d (default)' })),
  from: Type.Optional(Type.String({ description: 'ISO timestamp, inclusive' })),
  to: Type.Optional(Type.String({ description: 'ISO timestamp, exclusive' })),
  format: Type.Optional(Type.Literal('csv', { description: 'or send Accept: text/csv' })),
};
