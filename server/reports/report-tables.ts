import type { FrictionReportModel } from './friction-report.ts';

/**
 * The report's tables, written once: Markdown and HTML render these same columns and cells, so the two
 * formats never disagree on what a reader sees. The second column names the row (an HTML row header).
 */
export interface ReportTable {
  caption: string;
  head: string[];
  rows: (string | number)[][];
}

export const hoursText = (hours: number | null | undefined): string =>
  hours === null || hours === undefined
    ? '—'
    : `${hours >= 100 ? Math.round(hours) : Math.round(hours * 10) / 10} h/week`;

export const moneyText = (amount: number, currency: string): string =>
  new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);

type TeamSurvey = FrictionReportModel['teams'][number]['frictions'][number]['teams'][number]['survey'];

const surveyCell = (survey: TeamSurvey | undefined) =>
  survey === null || survey === undefined
    ? 'not asked'
    : survey.suppressed
      ? `withheld (${survey.reason})`
      : `${hoursText(survey.hoursPerWeek)}, n = ${survey.respondents}`;

export function rankingTable({ friction }: FrictionReportModel): ReportTable {
  return {
    caption: 'Friction ranking with its evidence',
    head: [
      '#',
      'Friction',
      'Hours lost',
      '95 % interval',
      'Teams affected',
      'Confidence',
      'Survey',
      'Tickets (calendar → blocked)',
      'Delivery',
      'Previous',
    ],
    rows: friction.frictions.map((row) => [
      row.rank,
      row.friction.title,
      hoursText(row.hoursPerWeek),
      row.interval ? `${hoursText(row.interval.low)} – ${hoursText(row.interval.high)}` : '—',
      `${row.breadth.affectedTeams} of ${row.breadth.teams}`,
      `${row.confidence}${row.disagreement.flagged ? ` (sources disagree: ${row.disagreement.teams.join(', ')})` : ''}`,
      hoursText(row.sources.surveyHoursPerWeek),
      row.sources.ticketCalendarHoursPerWeek === null
        ? '—'
        : `${hoursText(row.sources.ticketCalendarHoursPerWeek)} → ${hoursText(row.sources.ticketBlockedHoursPerWeek)}`,
      hoursText(row.sources.deliveryHoursPerWeek),
      hoursText(row.trend.previousHoursPerWeek),
    ]),
  };
}

export function recommendationsTable({ recommendations }: FrictionReportModel): ReportTable {
  return {
    caption: 'Capabilities ranked by payback',
    head: [
      '#',
      'Capability',
      'Recovers',
      'Value per year',
      'Effort',
      'Payback',
      'Gains most',
      'Status',
      'Developers’ vote',
    ],
    rows: recommendations.recommendations.map((r) => [
      r.rank,
      r.capability.title,
      hoursText(r.recoveredHoursPerWeek),
      moneyText(r.valuePerYear, r.currency),
      `${r.effortTeamWeeks} team-weeks`,
      r.paybackWeeks === null ? '—' : `${r.paybackWeeks} weeks`,
      r.teamsGainingMost.map((t) => t.team.name).join(', ') || '—',
      r.status + (r.unmetPrerequisites.length > 0 ? ` (needs ${r.unmetPrerequisites.join(', ')})` : ''),
      r.vote === null ? 'not asked' : 'suppressed' in r.vote ? 'withheld' : `${r.vote.percent} %`,
    ]),
  };
}

export function readinessTable({ readiness }: FrictionReportModel): ReportTable {
  return {
    caption: 'The tests behind the verdict',
    head: ['#', 'Test', 'Value', 'Threshold', 'Triggered', 'Detail'],
    rows: readiness.reasons.map((r, i) => [
      i + 1,
      r.test,
      r.value ?? '—',
      r.threshold,
      r.triggered ? 'yes' : 'no',
      r.detail,
    ]),
  };
}

/** A team's friction by its own hours, or null when none costs it measurable hours. */
export function teamTable(team: FrictionReportModel['teams'][number]): ReportTable | null {
  if (team.frictions.length === 0) return null;
  return {
    caption: `${team.name}: friction by hours lost`,
    head: [
      '#',
      'Friction',
      'Hours lost',
      'Basis',
      'Survey',
      'Tickets blocked',
      'Delivery',
      'Confidence',
      'What the team can do now',
    ],
    rows: team.frictions.map((row, i) => {
      const own = row.teams[0];
      return [
        i + 1,
        row.friction.title,
        hoursText(row.hoursPerWeek),
        own?.basis ?? '—',
        surveyCell(own?.survey),
        hoursText(own?.tickets?.blockedHoursPerWeek),
        hoursText(row.sources.deliveryHoursPerWeek),
        row.confidence,
        row.friction.directFix,
      ];
    }),
  };
}
