/** The ticket wait-time figures a drill-down can list the tickets behind (no imports: the web app reads it). */
export const TICKET_DRILL_MEASURES = [
  'waitBeforeStart',
  'totalWait',
  'flowEfficiency',
  'timeToFirstResponse',
  'timeToResolution',
  'stillWaiting',
] as const;

export type DrillMeasure = (typeof TICKET_DRILL_MEASURES)[number];
