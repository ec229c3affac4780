import type { Static } from 'typebox';
import type {
  DrillResponse,
  WaitTimesResponse,
  WaitTimesSeriesResponse,
} from '../../../../server/routes/tickets.schemas.ts';
import type { DrillMeasure } from '../../../../server/metrics/ticket-measures.ts';

// The ticket wait-time API's answers, straight from the server's response schemas (types only: nothing of
// the server reaches the bundle).

export type WaitTimes = Static<typeof WaitTimesResponse>;
export type WaitFigures = WaitTimes['overall'];
export type WaitGroup = WaitTimes['groups'][number];
export type GroupBy = WaitTimes['groupBy'];
export type WaitSeries = Static<typeof WaitTimesSeriesResponse>;
export type TicketDrill = Static<typeof DrillResponse>;
export type DrillTicket = TicketDrill['tickets'][number];
export type { DrillMeasure };
