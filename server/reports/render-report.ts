import type { FrictionContext } from '../friction/friction-analysis.ts';
import { frictionReportModel, renderCsv, renderMarkdown } from './friction-report.ts';
import type { ReportFormat } from './friction-report.ts';
import { renderHtml } from './friction-report-html.ts';
import { htmlToPdf } from './pdf.ts';

export interface RenderedReport {
  body: string | Buffer;
  contentType: string;
  filename: string;
}

const TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

/** The quarterly friction report in one format; what the API route and `groundwork report friction` share. */
export async function renderFrictionReport(
  ctx: FrictionContext,
  options: { period: string | undefined; format: ReportFormat; chromiumPath: string },
): Promise<RenderedReport> {
  const model = await frictionReportModel(ctx, options.period);
  const body =
    options.format === 'md'
      ? renderMarkdown(model)
      : options.format === 'csv'
        ? renderCsv(model)
        : options.format === 'html'
          ? renderHtml(model)
          : await htmlToPdf(renderHtml(model), options.chromiumPath);
  return {
    body,
    contentType: TYPES[options.format],
    filename: `friction-report-${model.friction.period}.${options.format}`,
  };
}
