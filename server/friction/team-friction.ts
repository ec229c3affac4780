import type { FrictionConfig } from '../config/friction.schema.ts';
import type { DeliveryMetrics } from '../metrics/delivery-metrics.ts';
import { FRICTION_MEASURES } from '../metrics/friction-measures.ts';
import type { TicketWaitSumRow } from '../metrics/ticket-friction.metric.ts';
import type { Suppressed } from '../surveys/survey-results.ts';
import type { FrictionPoint } from '../../scorecards/friction.schema.ts';
import { round2 } from './statistics.ts';
import type { DriverEvidence, TeamSurveyEvidence } from './survey-evidence.ts';

/**
 * One friction point's cost to one team, in developer-hours per week, each source separately:
 * - survey S = N × h̄ (N developers at the period's end), with h̄'s t-interval scaled by N;
 * - tickets C = Σ wait before start ÷ weeks (calendar hours) and B = C × ticketBlockedFactor;
 * - delivery T = events per week × median hours × the catalogue's factor, per measure.
 * The figure is S where the survey publishes the team, else B + ΣT — never an average of the two — with a
 * disagreement flag when the larger of S and B + ΣT exceeds `disagreementRatio` times the smaller, and a
 * confidence with the tests that set it.
 */

export type Confidence = 'high' | 'medium' | 'low';

export interface FrictionSettings extends FrictionConfig {
  minSampleForTier: number;
}

export interface SurveyFigure {
  suppressed: false;
  round: string;
  respondents: number;
  responseRatePercent: number | null;
  meanHoursPerDeveloper: number;
  hoursPerWeek: number;
  interval: { low: number; high: number } | null;
}

export interface TicketFigure {
  categories: string[];
  tickets: number;
  calendarHoursPerWeek: number | null;
  blockedHoursPerWeek: number | null;
  blockedFactor: number;
  reason?: string;
}

export interface TelemetryFigure {
  measure: string;
  label: string;
  events: string;
  sampleSize: number;
  eventsPerWeek: number | null;
  medianHours: number | null;
  factor: number;
  hoursPerWeek: number | null;
  reason?: string;
}

export interface TeamFriction {
  team: { slug: string; name: string };
  developers: number;
  survey: SurveyFigure | Suppressed | null;
  drivers: DriverEvidence[];
  tickets: TicketFigure | null;
  telemetry: TelemetryFigure[];
  /** B + ΣT over the telemetry that has a figure; null when none has. */
  telemetryHoursPerWeek: number | null;
  hoursPerWeek: number | null;
  basis: 'survey' | 'telemetry' | null;
  hoursPerDeveloper: number | null;
  affected: boolean;
  disagreement: { flagged: boolean; ratio: number | null } | null;
  confidence: Confidence;
  confidenceReasons: string[];
  /** The same figure in the previous period, when a trend was asked for. */
  previousHoursPerWeek: number | null;
  /** Half-width of S's interval (for the organisation's), 0 when S is not the basis. */
  halfWidth: number;
}

export interface TeamInputs {
  team: { slug: string; name: string; developers: number };
  weeks: number;
  survey: { round: string; evidence: TeamSurveyEvidence | undefined } | null;
  tickets: { available: boolean; rows: readonly TicketWaitSumRow[] };
  delivery: DeliveryMetrics | undefined;
  settings: FrictionSettings;
}

export function teamFriction(point: FrictionPoint, inputs: TeamInputs): TeamFriction {
  const { team, weeks, settings } = inputs;
  const survey = surveyFigure(inputs);
  const tickets = ticketFigure(point, inputs);
  const telemetry = point.delivery.map((evidence) => telemetryFigure(evidence, inputs));
  const telemetryParts = [
    ...(tickets?.blockedHoursPerWeek !== null && tickets?.blockedHoursPerWeek !== undefined
      ? [tickets.blockedHoursPerWeek]
      : []),
    ...telemetry.flatMap((t) => (t.hoursPerWeek === null ? [] : [t.hoursPerWeek])),
  ];
  const telemetryHours = telemetryParts.length > 0 ? round2(telemetryParts.reduce((a, b) => a + b, 0)) : null;
  const published = survey && !survey.suppressed ? survey : null;
  const hoursPerWeek = published ? published.hoursPerWeek : telemetryHours;
  const basis = published ? 'survey' : telemetryHours !== null ? 'telemetry' : null;
  const hoursPerDeveloper =
    hoursPerWeek !== null && team.developers > 0 ? round2(hoursPerWeek / team.developers) : null;
  const disagreement =
    published && telemetryHours !== null ? compare(published.hoursPerWeek, telemetryHours, settings) : null;
  const { confidence, reasons } = confidenceOf({
    published,
    tickets,
    telemetry,
    disagreement,
    basis,
    settings,
  });
  return {
    team: { slug: team.slug, name: team.name },
    developers: team.developers,
    survey,
    drivers: inputs.survey?.evidence?.drivers ?? [],
    tickets,
    telemetry,
    telemetryHoursPerWeek: telemetryHours,
    hoursPerWeek,
    basis,
    hoursPerDeveloper,
    affected:
      hoursPerDeveloper !== null && hoursPerDeveloper >= settings.affectedHoursPerDeveloper && weeks > 0,
    disagreement,
    confidence,
    confidenceReasons: reasons,
    previousHoursPerWeek: null,
    halfWidth: published?.interval ? round2((published.interval.high - published.interval.low) / 2) : 0,
  };
}

function surveyFigure(inputs: TeamInputs): SurveyFigure | Suppressed | null {
  const hours = inputs.survey?.evidence?.hours;
  if (!inputs.survey || !hours) return null;
  if (hours.suppressed) return hours;
  const n = inputs.team.developers;
  const s = round2(n * hours.meanHoursPerWeek);
  return {
    suppressed: false,
    round: inputs.survey.round,
    respondents: hours.respondents,
    responseRatePercent: hours.responseRatePercent,
    meanHoursPerDeveloper: round2(hours.meanHoursPerWeek),
    hoursPerWeek: s,
    interval:
      hours.halfWidth === null
        ? null
        : {
            low: round2(Math.max(0, n * (hours.meanHoursPerWeek - hours.halfWidth))),
            high: round2(n * (hours.meanHoursPerWeek + hours.halfWidth)),
          },
  };
}

function ticketFigure(point: FrictionPoint, inputs: TeamInputs): TicketFigure | null {
  if (point.ticketCategories.length === 0) return null;
  const base = { categories: point.ticketCategories, blockedFactor: inputs.settings.ticketBlockedFactor };
  if (!inputs.tickets.available || inputs.weeks <= 0)
    return {
      ...base,
      tickets: 0,
      calendarHoursPerWeek: null,
      blockedHoursPerWeek: null,
      reason: 'no ticket started in the period',
    };
  const rows = inputs.tickets.rows.filter(
    (row) => row.requestingTeam === inputs.team.slug && point.ticketCategories.includes(row.category),
  );
  const tickets = rows.reduce((sum, row) => sum + row.started, 0);
  const calendar = rows.reduce((sum, row) => sum + row.waitBeforeStartSumHours, 0) / inputs.weeks;
  return {
    ...base,
    tickets,
    calendarHoursPerWeek: round2(calendar),
    blockedHoursPerWeek: round2(calendar * inputs.settings.ticketBlockedFactor),
  };
}

function telemetryFigure(evidence: FrictionPoint['delivery'][number], inputs: TeamInputs): TelemetryFigure {
  const measure = FRICTION_MEASURES.get(evidence.measure)!; // the catalogue is validated against this table
  const base = {
    measure: measure.key,
    label: measure.label,
    events: measure.events,
    factor: evidence.factor,
  };
  const reading = inputs.delivery ? measure.read(inputs.delivery) : null;
  if (!reading || reading.sampleSize === 0 || inputs.weeks <= 0)
    return {
      ...base,
      sampleSize: 0,
      eventsPerWeek: null,
      medianHours: null,
      hoursPerWeek: null,
      reason: 'no samples in the period',
    };
  const eventsPerWeek = reading.events / inputs.weeks;
  if (reading.events > 0 && reading.medianHours === null)
    return {
      ...base,
      sampleSize: reading.sampleSize,
      eventsPerWeek: round2(eventsPerWeek),
      medianHours: null,
      hoursPerWeek: null,
      reason: 'no median hours for its events',
    };
  const medianHours = reading.medianHours ?? 0;
  return {
    ...base,
    sampleSize: reading.sampleSize,
    eventsPerWeek: round2(eventsPerWeek),
    medianHours: round2(medianHours),
    hoursPerWeek: round2(eventsPerWeek * medianHours * evidence.factor),
  };
}

function compare(
  survey: number,
  telemetry: number,
  settings: FrictionSettings,
): { flagged: boolean; ratio: number | null } {
  const high = Math.max(survey, telemetry);
  const low = Math.min(survey, telemetry);
  if (high === 0) return { flagged: false, ratio: 1 };
  // One side measures nothing while the other measures hours: as far apart as they can be.
  if (low === 0) return { flagged: true, ratio: null };
  const ratio = high / low;
  return { flagged: ratio > settings.disagreementRatio, ratio: round2(ratio) };
}

function confidenceOf(input: {
  published: SurveyFigure | null;
  tickets: TicketFigure | null;
  telemetry: TelemetryFigure[];
  disagreement: { flagged: boolean; ratio: number | null } | null;
  basis: TeamFriction['basis'];
  settings: FrictionSettings;
}): { confidence: Confidence; reasons: string[] } {
  const { published, tickets, telemetry, disagreement, settings } = input;
  const { minResponses, highResponseRate, lowResponseRate } = settings.confidence;
  const minSample = settings.minSampleForTier;
  if (input.basis === null) return { confidence: 'low', reasons: ['no source measures hours for this team'] };
  // Each source with a figure and the sample behind it.
  const sources = [
    ...(published ? [{ name: 'survey', n: published.respondents }] : []),
    ...(tickets && tickets.blockedHoursPerWeek !== null ? [{ name: 'tickets', n: tickets.tickets }] : []),
    ...telemetry.flatMap((t) => (t.hoursPerWeek === null ? [] : [{ name: t.measure, n: t.sampleSize }])),
  ];
  const telemetrySources = sources.filter((s) => s.name !== 'survey');
  const thinTelemetry = telemetrySources.filter((s) => s.n < minSample);
  const rate = published?.responseRatePercent ?? null;
  const low: string[] = [];
  if (sources.length === 1 && sources[0]!.n < minResponses)
    low.push(`only one source (${sources[0]!.name}) with n = ${sources[0]!.n} < ${minResponses}`);
  if (published && rate !== null && rate < lowResponseRate * 100)
    low.push(`response rate ${rate} % < ${lowResponseRate * 100} %`);
  if (input.basis === 'telemetry' && thinTelemetry.length > 0)
    low.push(
      `telemetry samples below minSampleForTier ${minSample}: ${thinTelemetry.map((s) => `${s.name} n = ${s.n}`).join(', ')}`,
    );
  if (low.length > 0) return { confidence: 'low', reasons: low };
  const checks: { ok: boolean; text: string }[] = published
    ? [
        {
          ok: published.respondents >= minResponses,
          text: `n = ${published.respondents} (high needs ≥ ${minResponses})`,
        },
        {
          ok: rate !== null && rate >= highResponseRate * 100,
          text: `response rate ${rate ?? 'unknown'} % (high needs ≥ ${highResponseRate * 100} %)`,
        },
        {
          ok:
            published.interval !== null &&
            (published.interval.high - published.interval.low) / 2 <= published.hoursPerWeek / 2,
          text: published.interval
            ? `interval half-width ${round2((published.interval.high - published.interval.low) / 2)} h (high needs ≤ S/2 = ${round2(published.hoursPerWeek / 2)} h)`
            : 'no interval (one respondent)',
        },
        {
          ok:
            disagreement !== null &&
            !disagreement.flagged &&
            thinTelemetry.length === 0 &&
            telemetrySources.length > 0,
          text:
            disagreement === null
              ? 'no telemetry to corroborate the survey'
              : disagreement.flagged
                ? `survey and telemetry disagree (ratio ${disagreement.ratio ?? '∞'} > ${settings.disagreementRatio})`
                : thinTelemetry.length > 0
                  ? `telemetry agrees (ratio ${disagreement.ratio}) but on samples below ${minSample}`
                  : `telemetry agrees (ratio ${disagreement.ratio} ≤ ${settings.disagreementRatio})`,
        },
      ]
    : [{ ok: false, text: 'no published survey figure: telemetry only' }];
  if (checks.every((c) => c.ok)) return { confidence: 'high', reasons: checks.map((c) => c.text) };
  return { confidence: 'medium', reasons: checks.filter((c) => !c.ok).map((c) => c.text) };
}
