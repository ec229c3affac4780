import Type from 'typebox';

/** Schemas of the friction, recommendations, readiness and impact routes (validation, serialisation, OpenAPI). */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const HoursPerWeek = Nullable(Type.Number({ description: 'developer-hours lost per week' }));
const TeamRef = Type.Object({ slug: Type.String(), name: Type.String() });
const Confidence = Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]);
const Interval = Nullable(Type.Object({ low: Type.Number(), high: Type.Number() }));
const Suppressed = Type.Object({ suppressed: Type.Literal(true), reason: Type.String() });
const Link = Type.Object({
  label: Type.String(),
  href: Type.String({ description: 'the rows behind the figure' }),
});

export const FrictionPeriodQuery = Type.Object({
  period: Type.Optional(
    Type.String({ description: 'a quarter (2026-Q4, the current one by default), month, year or last-Nd' }),
  ),
  format: Type.Optional(Type.Literal('csv')),
});

export const FrictionQuery = Type.Object({
  ...FrictionPeriodQuery.properties,
  team: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'one team’s friction (slug)' }),
  ),
  rank: Type.Optional(
    Type.Union([Type.Literal('hours'), Type.Literal('hours-breadth')], {
      description: 'hours lost (default) or hours × breadth',
    }),
  ),
});

const PeriodHeader = {
  period: Type.String(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  asOf: Type.String({ format: 'date-time', description: 'weeks are counted from `from` to here' }),
  weeks: Type.Number(),
  surveyRound: Nullable(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      quarter: Type.String(),
      note: Type.String({ description: 'why this round' }),
    }),
  ),
};

const SurveyFigure = Type.Object({
  suppressed: Type.Literal(false),
  round: Type.String(),
  respondents: Type.Integer(),
  responseRatePercent: Nullable(Type.Number()),
  meanHoursPerDeveloper: Type.Number({
    description: 'h̄: mean hours per respondent, summed over the categories',
  }),
  hoursPerWeek: Type.Number({ description: 'S = developers × h̄' }),
  interval: Interval,
});

const DriverEvidence = Type.Object({
  driver: Type.String(),
  title: Type.String(),
  result: Type.Union([
    Type.Object({
      suppressed: Type.Literal(false),
      respondents: Type.Integer(),
      favourablePercent: Type.Number(),
    }),
    Suppressed,
  ]),
});

const TicketFigure = Type.Object({
  categories: Type.Array(Type.String()),
  tickets: Type.Integer({ description: 'requests whose work started in the period' }),
  calendarHoursPerWeek: Nullable(
    Type.Number({ description: 'C: calendar hours waited before start, per week' }),
  ),
  blockedHoursPerWeek: Nullable(Type.Number({ description: 'B = C × ticketBlockedFactor' })),
  blockedFactor: Type.Number(),
  reason: Type.Optional(Type.String()),
});

const TelemetryFigure = Type.Object({
  measure: Type.String({ description: 'a metric-registry key' }),
  label: Type.String(),
  events: Type.String(),
  sampleSize: Type.Integer(),
  eventsPerWeek: Nullable(Type.Number()),
  medianHours: Nullable(Type.Number()),
  factor: Type.Number(),
  hoursPerWeek: Nullable(Type.Number({ description: 'T = events per week × median hours × factor' })),
  reason: Type.Optional(Type.String()),
});

const TeamFriction = Type.Object({
  team: TeamRef,
  developers: Type.Integer(),
  survey: Type.Union([SurveyFigure, Suppressed, Type.Null()]),
  drivers: Type.Array(DriverEvidence),
  tickets: Nullable(TicketFigure),
  telemetry: Type.Array(TelemetryFigure),
  telemetryHoursPerWeek: HoursPerWeek,
  hoursPerWeek: HoursPerWeek,
  basis: Nullable(Type.Union([Type.Literal('survey'), Type.Literal('telemetry')])),
  hoursPerDeveloper: Nullable(Type.Number()),
  affected: Type.Boolean(),
  disagreement: Nullable(Type.Object({ flagged: Type.Boolean(), ratio: Nullable(Type.Number()) })),
  confidence: Confidence,
  confidenceReasons: Type.Array(Type.String()),
  previousHoursPerWeek: HoursPerWeek,
  evidence: Type.Array(Link),
});

const FrictionRow = Type.Object({
  rank: Type.Integer(),
  friction: Type.Object({
    id: Type.String(),
    title: Type.String(),
    description: Nullable(Type.String()),
    directFix: Type.String(),
  }),
  hoursPerWeek: HoursPerWeek,
  interval: Interval,
  hoursPerDeveloper: Nullable(Type.Number()),
  developers: Type.Integer(),
  breadth: Type.Object({
    affectedTeams: Type.Integer(),
    teams: Type.Integer(),
    share: Type.Number(),
    affected: Type.Array(Type.String()),
  }),
  score: Nullable(Type.Number()),
  sources: Type.Object({
    surveyHoursPerWeek: HoursPerWeek,
    surveyTeams: Type.Integer(),
    ticketCalendarHoursPerWeek: HoursPerWeek,
    ticketBlockedHoursPerWeek: HoursPerWeek,
    deliveryHoursPerWeek: HoursPerWeek,
  }),
  disagreement: Type.Object({ flagged: Type.Boolean(), teams: Type.Array(Type.String()) }),
  confidence: Confidence,
  confidenceReasons: Type.Array(Type.String()),
  trend: Type.Object({ previousHoursPerWeek: HoursPerWeek, change: Nullable(Type.Number()) }),
  evidence: Type.Array(Link),
  teams: Type.Array(TeamFriction),
});

export const FrictionResponse = Type.Object({
  ...PeriodHeader,
  rank: Type.String(),
  team: Nullable(Type.String()),
  settings: Type.Object({
    ticketBlockedFactor: Type.Number(),
    affectedHoursPerDeveloper: Type.Number(),
    disagreementRatio: Type.Number(),
  }),
  teams: Type.Integer(),
  frictions: Type.Array(FrictionRow),
});

const Verdict = Type.Union([
  Type.Literal('fix-delivery-first'),
  Type.Literal('fix-directly'),
  Type.Literal('build-platform'),
]);

const Recommendation = Type.Object({
  rank: Type.Integer(),
  capability: Type.Object({ id: Type.String(), title: Type.String(), description: Nullable(Type.String()) }),
  recoveredHoursPerWeek: Type.Number({ description: 'R = Σ share × hours of each friction point addressed' }),
  valuePerYear: Type.Number({ description: 'R × 46 working weeks × hourlyCost' }),
  currency: Type.String(),
  effortTeamWeeks: Type.Number(),
  paybackWeeks: Nullable(Type.Number({ description: 'effortTeamWeeks × platformTeamSize × 40 ÷ R' })),
  addresses: Type.Array(
    Type.Object({
      friction: Type.String(),
      title: Type.String(),
      share: Type.Number(),
      hoursPerWeek: HoursPerWeek,
      recoveredHoursPerWeek: Type.Number(),
    }),
  ),
  teamsGainingMost: Type.Array(Type.Object({ team: TeamRef, recoveredHoursPerWeek: Type.Number() })),
  prerequisites: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('capability'), Type.Literal('condition')]),
      id: Type.String(),
      met: Type.Boolean(),
      detail: Type.String(),
    }),
  ),
  unmetPrerequisites: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('buildable'), Type.Literal('blocked'), Type.Literal('shipped')]),
  shipped: Nullable(Type.Object({ shippedOn: Type.String(), adoptingTeams: Type.Array(Type.String()) })),
  vote: Type.Union([
    Type.Object({
      question: Type.String(),
      option: Type.String(),
      label: Type.String(),
      percent: Type.Number({ description: 'share of respondents choosing it' }),
      respondents: Type.Integer(),
      round: Type.String(),
    }),
    Type.Object({
      question: Type.String(),
      option: Type.String(),
      suppressed: Type.Literal(true),
      reason: Type.String(),
      round: Type.String(),
    }),
    Type.Null(),
  ]),
});

export const RecommendationsResponse = Type.Object({
  ...PeriodHeader,
  verdict: Verdict,
  settings: Type.Object({
    hourlyCost: Type.Number(),
    currency: Type.String(),
    platformTeamSize: Type.Integer(),
    workingWeeksPerYear: Type.Integer(),
  }),
  recommendations: Type.Array(Recommendation),
});

export const ReadinessResponse = Type.Object({
  ...PeriodHeader,
  verdict: Verdict,
  summary: Type.String(),
  reasons: Type.Array(
    Type.Object({
      test: Type.String(),
      value: Type.Union([Type.Number(), Type.String(), Type.Null()]),
      threshold: Type.Union([Type.Number(), Type.String()]),
      triggered: Type.Boolean(),
      detail: Type.String(),
    }),
  ),
  unstableTeams: Type.Array(
    Type.Object({
      team: TeamRef,
      developers: Type.Integer(),
      metrics: Type.Array(
        Type.Object({ metric: Type.String(), value: Nullable(Type.Number()), tier: Type.String() }),
      ),
    }),
  ),
  topFriction: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      hoursPerWeek: HoursPerWeek,
      directFix: Type.String(),
    }),
  ),
});

export const CapabilityParams = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 100, description: 'a capability id' }),
});

const Window = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
});

export const ImpactResponse = Type.Object({
  capability: Type.Object({ id: Type.String(), title: Type.String() }),
  shippedOn: Type.String(),
  adoptingTeams: Type.Array(Type.String()),
  measure: Type.String(),
  frictionPoints: Type.Array(Type.String()),
  windows: Type.Object({ pre: Window, post: Window }),
  teams: Type.Array(
    Type.Object({
      team: TeamRef,
      adopter: Type.Boolean(),
      preWeeks: Type.Integer(),
      postWeeks: Type.Integer(),
      preMeanHoursPerWeek: HoursPerWeek,
      postMeanHoursPerWeek: HoursPerWeek,
      change: Nullable(Type.Number()),
      counted: Type.Boolean(),
    }),
  ),
  verdict: Type.Union([
    Type.Literal('improved'),
    Type.Literal('worsened'),
    Type.Literal('no-clear-change'),
    Type.Literal('too-thin-to-tell'),
  ]),
  differenceInDifferences: Nullable(
    Type.Object({
      estimate: Type.Number(),
      low: Type.Number(),
      high: Type.Number(),
      degreesOfFreedom: Type.Number(),
    }),
  ),
  reason: Type.String(),
  survey: Type.Object({
    before: Nullable(Type.String()),
    after: Nullable(Type.String()),
    categories: Type.Array(
      Type.Object({
        category: Type.String(),
        before: Nullable(Type.Number()),
        after: Nullable(Type.Number()),
        note: Nullable(Type.String()),
      }),
    ),
  }),
});

export const FormatQuery = Type.Object({ format: Type.Optional(Type.Literal('csv')) });

export const ReportQuery = Type.Object({
  period: FrictionPeriodQuery.properties.period,
  format: Type.Optional(
    Type.Union([Type.Literal('md'), Type.Literal('csv'), Type.Literal('html'), Type.Literal('pdf')], {
      description: 'md, csv, html (the default; charts inline) or pdf',
    }),
  ),
});

/** The rendered report: Markdown, CSV or HTML text, or PDF bytes. */
export const ReportBody = Type.Unsafe<string | Buffer>({
  type: 'string',
  description: 'text/markdown, text/csv, text/html or application/pdf',
});
