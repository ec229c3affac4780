import type { FrictionReport, RecommendationsReport, ReadinessReport } from './friction.service.ts';
import type { CapabilityImpact } from './impact.ts';

/**
 * The CSV exports: one row per friction point for the organisation and per team (a withheld survey figure
 * stays empty, with its reason), per capability, per readiness test, per team of an impact.
 */

const blank = (value: number | null | undefined) => value ?? '';

export function frictionCsvRows(report: FrictionReport): Record<string, unknown>[] {
  return report.frictions.flatMap((row) => [
    {
      period: report.period,
      rank: row.rank,
      friction: row.friction.id,
      team: report.team ?? '(organization)',
      hoursPerWeek: blank(row.hoursPerWeek),
      intervalLow: blank(row.interval?.low),
      intervalHigh: blank(row.interval?.high),
      basis: '',
      surveyHoursPerWeek: blank(row.sources.surveyHoursPerWeek),
      surveyRespondents: '',
      surveySuppressed: '',
      ticketCalendarHoursPerWeek: blank(row.sources.ticketCalendarHoursPerWeek),
      ticketBlockedHoursPerWeek: blank(row.sources.ticketBlockedHoursPerWeek),
      deliveryHoursPerWeek: blank(row.sources.deliveryHoursPerWeek),
      breadth: row.breadth.share,
      confidence: row.confidence,
      disagreement: row.disagreement.flagged,
      previousHoursPerWeek: blank(row.trend.previousHoursPerWeek),
    },
    ...(report.team === null ? row.teams : []).map((team) => ({
      period: report.period,
      rank: row.rank,
      friction: row.friction.id,
      team: team.team.slug,
      hoursPerWeek: blank(team.hoursPerWeek),
      intervalLow: team.survey && !team.survey.suppressed ? blank(team.survey.interval?.low) : '',
      intervalHigh: team.survey && !team.survey.suppressed ? blank(team.survey.interval?.high) : '',
      basis: team.basis ?? '',
      surveyHoursPerWeek: team.survey && !team.survey.suppressed ? team.survey.hoursPerWeek : '',
      surveyRespondents: team.survey && !team.survey.suppressed ? team.survey.respondents : '',
      surveySuppressed: team.survey?.suppressed ? team.survey.reason : '',
      ticketCalendarHoursPerWeek: blank(team.tickets?.calendarHoursPerWeek),
      ticketBlockedHoursPerWeek: blank(team.tickets?.blockedHoursPerWeek),
      deliveryHoursPerWeek: team.telemetry.some((t) => t.hoursPerWeek !== null)
        ? team.telemetry.reduce((sum, t) => sum + (t.hoursPerWeek ?? 0), 0)
        : '',
      breadth: '',
      confidence: team.confidence,
      disagreement: team.disagreement?.flagged ?? '',
      previousHoursPerWeek: blank(team.previousHoursPerWeek),
    })),
  ]);
}

export function recommendationCsvRows(report: RecommendationsReport): Record<string, unknown>[] {
  return report.recommendations.map((r) => ({
    period: report.period,
    rank: r.rank,
    capability: r.capability.id,
    status: r.status,
    recoveredHoursPerWeek: r.recoveredHoursPerWeek,
    valuePerYear: r.valuePerYear,
    currency: r.currency,
    effortTeamWeeks: r.effortTeamWeeks,
    paybackWeeks: blank(r.paybackWeeks),
    unmetPrerequisites: r.unmetPrerequisites.join(' '),
    teamsGainingMost: r.teamsGainingMost.map((t) => t.team.slug).join(' '),
    votePercent: r.vote && !('suppressed' in r.vote) ? r.vote.percent : '',
  }));
}

export function readinessCsvRows(report: ReadinessReport): Record<string, unknown>[] {
  return report.reasons.map((reason) => ({
    period: report.period,
    verdict: report.verdict,
    test: reason.test,
    value: reason.value ?? '',
    threshold: reason.threshold,
    triggered: reason.triggered,
    detail: reason.detail,
  }));
}

export function impactCsvRows(impact: CapabilityImpact): Record<string, unknown>[] {
  return impact.teams.map((team) => ({
    capability: impact.capability.id,
    team: team.team.slug,
    adopter: team.adopter,
    preWeeks: team.preWeeks,
    postWeeks: team.postWeeks,
    preMeanHoursPerWeek: blank(team.preMeanHoursPerWeek),
    postMeanHoursPerWeek: blank(team.postMeanHoursPerWeek),
    change: blank(team.change),
    differenceInDifferences: blank(impact.differenceInDifferences?.estimate),
    verdict: impact.verdict,
  }));
}
