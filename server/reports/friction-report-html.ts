import { VERDICT_TITLE } from '../friction/verdicts.ts';
import type { FrictionReport } from '../friction/friction.service.ts';
import {
  executiveSummary,
  hoursDefinition,
  NO_TEAM_FRICTION,
  reportDates,
  valueDefinition,
} from './friction-report.ts';
import type { FrictionReportModel } from './friction-report.ts';
import { hoursText, rankingTable, readinessTable, recommendationsTable, teamTable } from './report-tables.ts';
import type { ReportTable } from './report-tables.ts';

/**
 * The report as one self-contained HTML page: no scripts, no external files, the chart drawn inline as SVG,
 * so it can be mailed, archived, or printed to PDF by Chromium as it is. Every text is escaped.
 */

const escape = (text: string | number): string =>
  String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The row's name (the second column, after its rank) is its header cell. */
const table = ({ caption, head, rows }: ReportTable): string =>
  `<table><caption>${escape(caption)}</caption><thead><tr>${head
    .map((h) => `<th scope="col">${escape(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map(
      (row) =>
        `<tr>${row.map((value, i) => (i === 1 ? `<th scope="row">${escape(value)}</th>` : `<td>${escape(value)}</td>`)).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;

/** Horizontal bars of hours lost per week with the survey's 95 % interval as whiskers, labelled in text. */
export function hoursChartSvg(frictions: FrictionReport['frictions']): string {
  const rows = frictions.filter((row) => row.hoursPerWeek !== null);
  const max = Math.max(1, ...rows.map((row) => row.interval?.high ?? row.hoursPerWeek ?? 0));
  const labelWidth = 230;
  const barWidth = 380;
  const rowHeight = 26;
  const height = rows.length * rowHeight + 30;
  const x = (hours: number) => labelWidth + (hours / max) * barWidth;
  const bars = rows
    .map((row, i) => {
      const y = 10 + i * rowHeight;
      const hours = row.hoursPerWeek ?? 0;
      const whisker = row.interval
        ? `<line x1="${x(row.interval.low).toFixed(1)}" x2="${x(row.interval.high).toFixed(1)}" y1="${y + 9}" y2="${y + 9}" stroke="#1b1f24" stroke-width="1.5"/>`
        : '';
      return `<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end" font-size="12">${escape(row.friction.title)}</text>
<rect x="${labelWidth}" y="${y}" width="${Math.max(1, x(hours) - labelWidth).toFixed(1)}" height="18" fill="#0072B2"/>${whisker}
<text x="${(x(row.interval?.high ?? hours) + 6).toFixed(1)}" y="${y + 13}" font-size="12">${escape(hoursText(hours))}</text>`;
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${labelWidth + barWidth + 90}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 90} ${height}" aria-label="Developer-hours lost per week by friction point">
<title>Developer-hours lost per week by friction point</title>
<line x1="${labelWidth}" x2="${labelWidth}" y1="0" y2="${height - 20}" stroke="#57606a"/>
${bars}
<text x="${labelWidth}" y="${height - 4}" font-size="11" fill="#57606a">0</text>
<text x="${labelWidth + barWidth}" y="${height - 4}" font-size="11" fill="#57606a" text-anchor="end">${escape(hoursText(max))}</text>
</svg>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;margin:2rem;line-height:1.45;max-width:60rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:0.6rem 0;font-size:0.85rem;width:100%}caption{text-align:left;font-weight:600;padding:0.2rem 0}
th,td{border-bottom:1px solid #d0d7de;padding:0.25rem 0.4rem;text-align:left;vertical-align:top}
.verdict{border-left:6px solid #0b5cad;padding:0.4rem 1rem;background:#f6f8fa}
.appendix{page-break-before:always;break-before:page}.team{break-inside:avoid}
@page{size:A4;margin:16mm}`;

export function renderHtml(model: FrictionReportModel): string {
  const { friction, readiness } = model;
  const title = `Friction report: ${model.organization}, ${friction.period}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escape(title)}</h1>
<p>${escape(reportDates(model))}</p>
<h2>Executive summary</h2>
<div class="verdict"><ul>${executiveSummary(model)
    .map((line) => `<li>${escape(line)}</li>`)
    .join('')}</ul></div>
<h2>Where developers lose time</h2>
<p>${escape(`${hoursDefinition(model)} Whiskers: the survey's 95 % interval.`)}</p>
${hoursChartSvg(friction.frictions)}
${table(rankingTable(model))}
<h2>What to build next</h2>
<p>${escape(valueDefinition(model))}</p>
${table(recommendationsTable(model))}
<h2>Readiness: ${escape(VERDICT_TITLE[readiness.verdict])}</h2>
<p>${escape(readiness.summary)}</p>
${table(readinessTable(model))}
<section class="appendix"><h2>Appendix: teams</h2>
${model.teams
  .map((team) => {
    const rows = teamTable(team);
    return `<div class="team"><h3>${escape(`${team.name} (${team.developers} developers)`)}</h3>${
      rows ? table(rows) : `<p>${escape(NO_TEAM_FRICTION)}</p>`
    }</div>`;
  })
  .join('\n')}
</section>
</body></html>
`;
}
