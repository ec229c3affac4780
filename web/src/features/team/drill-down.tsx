import { useEffect, useRef, useState } from 'react';
import { ApiView, Empty } from '../../components/status.tsx';
import { formatCount } from '../../lib/format.ts';
import { Link, useLocation, withQuery } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { samplesUrl } from '../metrics/metrics.api.ts';
import type { SampleMetric, SamplesPage } from '../metrics/metrics.types.ts';
import { columnsFor, formatCell } from './sample-columns.ts';

const PAGE_SIZE = 50;

export const DRILL_TITLES: Record<SampleMetric, { title: string; rows: [string, string] }> = {
  deploymentFrequency: {
    title: 'Deployment frequency',
    rows: ['successful production deployment', 'successful production deployments'],
  },
  changeFailureRate: {
    title: 'Change failure rate',
    rows: ['successful production deployment', 'successful production deployments'],
  },
  reworkRate: { title: 'Deployment rework rate', rows: ['production deployment', 'production deployments'] },
  leadTime: { title: 'Lead time for changes', rows: ['change', 'changes'] },
  recoveryTime: { title: 'Failed deployment recovery time', rows: ['incident', 'incidents'] },
  pullRequests: { title: 'Merged pull requests', rows: ['merged pull request', 'merged pull requests'] },
  ci: { title: 'Build and test', rows: ['CI run attempt', 'CI run attempts'] },
  ciTimeToGreen: {
    title: 'Time to green',
    rows: ['red stretch of a default branch', 'red stretches of a default branch'],
  },
};

export function isSampleMetric(value: string | null): value is SampleMetric {
  return value !== null && value in DRILL_TITLES;
}

/**
 * The rows behind one figure (`?drill=<metric>` in the URL, so a drill-down can be shared), a page at a
 * time, oldest first, with every row's own duration, and the whole list as CSV. Give it a `key` of metric
 * and period so its page resets when either changes.
 */
export function DrillDown({ team, metric, period }: { team: string; metric: SampleMetric; period: string }) {
  const location = useLocation();
  const [offset, setOffset] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const state = useApi<SamplesPage>(samplesUrl(team, metric, period, { limit: PAGE_SIZE, offset }));
  const { title, rows } = DRILL_TITLES[metric];

  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [metric]);

  return (
    <section className="panel drill-down" aria-labelledby="drill-heading">
      <div className="panel-heading">
        <h2 id="drill-heading" ref={heading} tabIndex={-1}>
          Behind “{title}”
        </h2>
        <div className="actions">
          <a href={samplesUrl(team, metric, period, { format: 'csv', limit: 5000 })} download>
            Download CSV
          </a>
          <Link href={withQuery(location, { drill: null })} replace>
            Close
          </Link>
        </div>
      </div>
      <ApiView state={state} what="the rows behind this figure">
        {(page) => {
          if (page.total === 0) return <Empty>No {rows[1]} in this period.</Empty>;
          const columns = columnsFor(metric, page.samples);
          const last = Math.min(offset + page.samples.length, page.total);
          return (
            <>
              {/* A wide table scrolls sideways: focusable, so a keyboard can scroll it too. */}
              <div className="table-scroll" tabIndex={0} role="region" aria-label={`Rows behind ${title}`}>
                <table className="samples-table">
                  <caption>
                    {formatCount(page.total, rows[0], rows[1])}, oldest first — rows {offset + 1}–{last}
                  </caption>
                  <thead>
                    <tr>
                      {columns.map((column) => (
                        <th scope="col" key={column.key}>
                          {column.label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {page.samples.map((row, index) => (
                      <tr key={offset + index}>
                        {columns.map((column) => (
                          <td key={column.key} className={`cell-${column.kind}`}>
                            {formatCell(column, row[column.key])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="pager">
                <button
                  type="button"
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
                >
                  Previous {PAGE_SIZE}
                </button>
                <button
                  type="button"
                  disabled={last >= page.total}
                  onClick={() => setOffset(offset + PAGE_SIZE)}
                >
                  Next {PAGE_SIZE}
                </button>
              </div>
            </>
          );
        }}
      </ApiView>
    </section>
  );
}
