import Type from 'typebox';
import { TICKET_DRILL_MEASURES } from '../metrics/ticket-measures.ts';
import { PeriodQuerySchema } from './metrics.schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Hours = Nullable(Type.Number({ description: 'calendar hours' }));
const Reason = Type.Optional(Type.String({ description: 'why the figure is null' }));

const Duration = Type.Object({
  sampleSize: Type.Integer({ description: 'tickets the figure is computed from' }),
  medianHours: Hours,
  p90Hours: Hours,
  reason: Reason,
});

export const TicketWaitFiguresSchema = {
  counts: Type.Object({
    created: Type.Integer({ description: 'tickets created in the period' }),
    started: Type.Integer({ description: 'tickets whose work first started in the period' }),
    resolved: Type.Integer({ description: 'tickets resolved in the period' }),
  }),
  waitBeforeStart: Duration,
  totalWait: Type.Object({
    sampleSize: Type.Integer(),
    medianHours: Hours,
    p90Hours: Hours,
    totalHours: Hours,
    reason: Reason,
  }),
  flowEfficiency: Type.Object({
    sampleSize: Type.Integer(),
    median: Nullable(Type.Number({ description: 'share 0–1' })),
    pooled: Nullable(
      Type.Number({ description: 'share 0–1: all in-progress hours ÷ in-progress and waiting hours' }),
    ),
    reason: Reason,
  }),
  timeToFirstResponse: Duration,
  timeToResolution: Duration,
  stillWaiting: Type.Object({
    count: Type.Integer({ description: 'tickets neither started nor resolved at asOf' }),
    medianAgeHours: Hours,
    oldestAgeHours: Hours,
  }),
};

export const GroupBy = Type.Union(
  [Type.Literal('category'), Type.Literal('servingTeam'), Type.Literal('requestingTeam')],
  { description: 'category (default), servingTeam or requestingTeam' },
);

export const WaitTimesQuery = Type.Object({ ...PeriodQuerySchema, groupBy: Type.Optional(GroupBy) });

export const WaitTimesResponse = Type.Object({
  period: Type.String(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  asOf: Type.String({ format: 'date-time', description: 'open intervals and ages end here' }),
  groupBy: GroupBy,
  overall: Type.Object(TicketWaitFiguresSchema),
  groups: Type.Array(
    Type.Object({
      key: Nullable(Type.String({ description: 'null: tickets with no category or team' })),
      label: Type.String(),
      ...TicketWaitFiguresSchema,
    }),
  ),
});

export const WaitTimesSeriesResponse = Type.Object({
  period: Type.String(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  groupBy: GroupBy,
  interval: Type.Literal('week'),
  series: Type.Array(
    Type.Object({
      key: Nullable(Type.String()),
      label: Type.String(),
      points: Type.Array(
        Type.Object({
          week: Type.String({ description: 'the Monday (UTC) the week starts on' }),
          from: Type.String({ format: 'date-time' }),
          to: Type.String({ format: 'date-time' }),
          partial: Type.Boolean({ description: 'clipped by the period: fewer than 7 days' }),
          started: Type.Integer(),
          waitBeforeStartMedianHours: Hours,
          resolved: Type.Integer(),
          totalWaitMedianHours: Hours,
        }),
      ),
    }),
  ),
});

export const DrillQuery = Type.Object({
  ...PeriodQuerySchema,
  groupBy: Type.Optional(GroupBy),
  group: Type.Optional(
    Type.String({ minLength: 1, description: 'a group key from wait-times; (none) for tickets with no key' }),
  ),
  measure: Type.Union(
    TICKET_DRILL_MEASURES.map((measure) => Type.Literal(measure)),
    { description: TICKET_DRILL_MEASURES.join(', ') },
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
});

const DateTime = Type.String({ format: 'date-time' });

export const DrillTicket = Type.Object({
  source: Type.String(),
  key: Type.String(),
  url: Nullable(Type.String()),
  title: Nullable(Type.String()),
  queue: Type.String(),
  category: Type.String(),
  servingTeam: Nullable(Type.String()),
  requestingTeam: Nullable(Type.String()),
  status: Type.String(),
  statusCategory: Type.String(),
  createdAt: DateTime,
  firstResponseAt: Nullable(DateTime),
  workStartedAt: Nullable(DateTime),
  resolvedAt: Nullable(DateTime),
  waitBeforeStartHours: Hours,
  totalWaitHours: Type.Number(),
  inProgressHours: Type.Number(),
  flowEfficiency: Nullable(Type.Number()),
  timeToFirstResponseHours: Hours,
  timeToResolutionHours: Hours,
  ageHours: Hours,
});

export const DrillResponse = Type.Object({
  period: Type.String(),
  from: DateTime,
  to: DateTime,
  groupBy: GroupBy,
  group: Nullable(Type.String()),
  measure: Type.String(),
  total: Type.Integer(),
  tickets: Type.Array(DrillTicket),
});
