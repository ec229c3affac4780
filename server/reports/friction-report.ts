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
import {
  hoursText,
  moneyText,
  rankingTable,
  readinessTable,
  recommendationsTable,
  teamTable,
} from './report-tables.ts';
import type { ReportTable } from './report-tables.ts';

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
const markdownTable = ({ head, rows }: ReportTable) => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
];

export function renderMarkdown(model: FrictionReportModel): string {
  const { friction, readiness } = model;
  const lines = [
    `# Friction report: ${model.organization}, ${friction.period}`,
    '',
    reportDates(model),
    '',
    '## Executive summary',
    '',
    ...executiveSummary(model).map((line) => `- ${line}`),
    '',
    '## Where developers lose time',
    '',
    hoursDefinition(model),
    '',
    ...markdownTable(rankingTable(model)),
    '',
    '## What to build next',
    '',
    valueDefinition(model),
    '',
    ...markdownTable(recommendationsTable(model)),
    '',
    `## Readiness: ${VERDICT_TITLE[readiness.verdict]}`,
    '',
    readiness.summary,
    '',
    ...markdownTable(readinessTable(model)),
    '',
    '## Appendix: teams',
    ...model.teams.flatMap((team) => {
      const table = teamTable(team);
      return [
        '',
        `### ${team.name} (${team.developers} developers)`,
        '',
        ...(table ? markdownTable(table) : [NO_TEAM_FRICTION]),
      ];
    }),
    '',
  ];
  return lines.join('\n');
}

export const NO_TEAM_FRICTION = 'No friction point costs this team measurable hours.';

export const reportDates = ({ friction, generatedAt }: FrictionReportModel) =>
  `${friction.from.slice(0, 10)} to ${friction.to.slice(0, 10)} (UTC), ${friction.weeks} weeks counted to ${friction.asOf.slice(0, 10)}; generated ${generatedAt}.`;

export const hoursDefinition = ({ friction }: FrictionReportModel) =>
  `Developer-hours lost per week: the survey's S = developers × mean hours where it publishes a team, else tickets B = C × ${friction.settings.ticketBlockedFactor} plus delivery telemetry T.`;

export const valueDefinition = ({ recommendations }: FrictionReportModel) =>
  `Value per year = recovered hours × ${recommendations.settings.workingWeeksPerYear} weeks × ${moneyText(recommendations.settings.hourlyCost, recommendations.settings.currency)}; payback = effort × ${recommendations.settings.platformTeamSize} people × 40 h ÷ recovered hours.`;

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
