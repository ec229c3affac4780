import { stringify } from 'csv-stringify/sync';
import type { FrictionContext } from '../friction/friction-analysis.ts';
import { frictionCsvRows, readinessCsvRows, recommendationCsvRows } from '../friction/friction-csv.ts';
import {
  decide,
  frictionView,
  recommendationsView,
  resolveFrictionPeriod,
} from '../friction/friction.service.ts';
import type { FrictionReport, ReadinessReport, RecommendationsReport } from '../friction/friction.service.ts';
import { VERDICT_TITLE } from '../friction/verdicts.ts';

/**
 * The quarterly friction report: an executive summary, the ranking with its evidence, the recommendations,
 * the readiness verdict and an appendix per team — one model, computed once by the same services as the
 * API, rendered as Markdown, CSV, HTML (charts inline) or PDF (the HTML printed by Chromium).
 */

export const REPORT_FORMATS = ['md', 'csv', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface FrictionReportModel {
  organization: string;
  generatedAt: string;
  friction: FrictionReport;
  recommendations: RecommendationsReport;
  readiness: ReadinessReport;
  /** Per team: its friction ranked by its own hours (only points that cost it hours). */
  teams: { slug: string; name: string; developers: number; frictions: FrictionReport['frictions'] }[];
}

export async function frictionReportModel(
  ctx: FrictionContext,
  period: string | undefined,
): Promise<FrictionReportModel> {
  const { analysis, readiness, recommendations } = await decide(ctx, resolveFrictionPeriod(ctx, period));
  const friction = frictionView(ctx, analysis, {});
  const header = {
    period: friction.period,
    from: friction.from,
    to: friction.to,
    asOf: friction.asOf,
    weeks: friction.weeks,
    surveyRound: friction.surveyRound,
  };
  return {
    organization: ctx.org.organization,
    generatedAt: ctx.now().toISOString(),
    friction,
    recommendations: recommendationsView(analysis, readiness, recommendations),
    readiness: { ...header, ...readiness },
    teams: analysis.teams.map((team) => ({
      ...team,
      frictions: frictionView(ctx, analysis, { team: team.slug }).frictions.filter(
        (row) => row.hoursPerWeek !== null && row.hoursPerWeek > 0,
      ),
    })),
  };
}

export const hoursText = (hours: number | null | undefined): string =>
  hours === null || hours === undefined
    ? '—'
    : `${hours >= 100 ? Math.round(hours) : Math.round(hours * 10) / 10} h/week`;

export const moneyText = (amount: number, currency: string): string =>
  new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);

/** The few sentences a reader needs if they read nothing else. */
export function executiveSummary(model: FrictionReportModel): string[] {
  const top = model.friction.frictions.filter((row) => row.hoursPerWeek !== null && row.hoursPerWeek > 0);
  const total = top.reduce((sum, row) => sum + (row.hoursPerWeek ?? 0), 0);
  const next = model.recommendations.recommendations.find((r) => r.status === 'buildable');
  return [
    model.readiness.summary,
    `Developers lose about ${hoursText(total)} across ${model.friction.teams} teams to the friction points measured; the costliest are ${
      top
        .slice(0, 3)
        .map(
          (row) =>
            `${row.friction.title.toLowerCase()} (${hoursText(row.hoursPerWeek)}, ${row.confidence} confidence)`,
        )
        .join(', ') || 'none'
    }.`,
    next
      ? `If the platform team builds one thing next: ${next.capability.title}, recovering ${hoursText(next.recoveredHoursPerWeek)} (${moneyText(next.valuePerYear, next.currency)} a year), paying back in ${next.paybackWeeks === null ? '—' : `${Math.round(next.paybackWeeks)} weeks`}.`
      : 'No capability can be built now: each waits on a prerequisite or recovers nothing measured.',
    `Survey evidence: ${model.friction.surveyRound ? model.friction.surveyRound.note : 'no closed survey round'}.`,
  ];
}

const cell = (text: string | number) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (head: string[], rows: (string | number)[][]) => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
];

export function renderMarkdown(model: FrictionReportModel): string {
  const { friction, recommendations, readiness } = model;
  const lines = [
    `# Friction report: ${model.organization}, ${friction.period}`,
    '',
    `${friction.from.slice(0, 10)} to ${friction.to.slice(0, 10)} (UTC), ${friction.weeks} weeks counted to ${friction.asOf.slice(0, 10)}; generated ${model.generatedAt}.`,
    '',
    '## Executive summary',
    '',
    ...executiveSummary(model).map((line) => `- ${line}`),
    '',
    '## Where developers lose time',
    '',
    `Developer-hours lost per week: the survey's S = developers × mean hours where it publishes a team, else tickets B = C × ${friction.settings.ticketBlockedFactor} plus delivery telemetry T.`,
    '',
    ...table(
      [
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
      friction.frictions.map((row) => [
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
    ),
    '',
    '## What to build next',
    '',
    `Value per year = recovered hours × ${recommendations.settings.workingWeeksPerYear} weeks × ${moneyText(recommendations.settings.hourlyCost, recommendations.settings.currency)}; payback = effort × ${recommendations.settings.platformTeamSize} people × 40 h ÷ recovered hours.`,
    '',
    ...table(
      [
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
      recommendations.recommendations.map((r) => [
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
    ),
    '',
    `## Readiness: ${VERDICT_TITLE[readiness.verdict]}`,
    '',
    readiness.summary,
    '',
    ...table(
      ['Test', 'Value', 'Threshold', 'Triggered', 'Detail'],
      readiness.reasons.map((r) => [
        r.test,
        r.value ?? '—',
        r.threshold,
        r.triggered ? 'yes' : 'no',
        r.detail,
      ]),
    ),
    '',
    '## Appendix: teams',
    ...model.teams.flatMap((team) => [
      '',
      `### ${team.name} (${team.developers} developers)`,
      '',
      ...(team.frictions.length === 0
        ? ['No friction point costs this team measurable hours.']
        : table(
            ['Friction', 'Hours lost', 'Basis', 'Survey', 'Tickets blocked', 'Delivery', 'Confidence'],
            team.frictions.map((row) => {
              const own = row.teams[0];
              return [
                row.friction.title,
                hoursText(row.hoursPerWeek),
                own?.basis ?? '—',
                own?.survey === null || own?.survey === undefined
                  ? 'not asked'
                  : own.survey.suppressed
                    ? `withheld (${own.survey.reason})`
                    : `${hoursText(own.survey.hoursPerWeek)}, n = ${own.survey.respondents}`,
                hoursText(own?.tickets?.blockedHoursPerWeek),
                hoursText(row.sources.deliveryHoursPerWeek),
                row.confidence,
              ];
            }),
          )),
    ]),
    '',
  ];
  return lines.join('\n');
}

/** One CSV with a `section` column: the ranking (organisation and teams), the capabilities, the readiness tests. */
export function renderCsv(model: FrictionReportModel): string {
  const sections = [
    ...frictionCsvRows(model.friction).map((row) => ({ section: 'friction', ...row })),
    ...recommendationCsvRows(model.recommendations).map((row) => ({ section: 'recommendation', ...row })),
    ...readinessCsvRows(model.readiness).map((row) => ({ section: 'readiness', ...row })),
  ];
  const columns = [...new Set(sections.flatMap((row) => Object.keys(row)))];
  return stringify(sections, { header: true, columns, cast: { boolean: (b) => String(b) } });
}
