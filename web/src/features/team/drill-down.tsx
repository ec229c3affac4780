import { ScrollRegion } from '../../components/scroll-region.tsx';
import { SourceLink } from '../../components/source-link.tsx';
import { useEffect, useRef } from 'react';
import { ApiView, Empty } from '../../components/status.tsx';
import { formatCount } from '../../lib/format.ts';
import { Link, useLocation, withQuery } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { samplesUrl } from '../metrics/metrics.api.ts';
import type { SampleMetric, SamplesPage } from '../metrics/metrics.types.ts';
import { columnsFor, formatCell } from './sample-columns.ts';
import { DRILL_TITLES, TEAM_PAGE_PARAMS } from './drill-params.ts';
import type { DrillParams } from './drill-params.ts';

const PAGE_SIZE = 50;

/**
 * The rows behind one figure (`?drill=<metric>` in the URL, so a drill-down can be shared), a page at a
 * time (`page`), oldest first or sorted by any column (`sort`, `order`), with every row's own duration,
 * links out to each row's pull request, commit or deployment at its source, and the whole list as CSV.
 * `team` null: the organisation's figure, every team's rows pooled.
 */
export function DrillDown({
  team,
  metric,
  period,
  params = TEAM_PAGE_PARAMS,
}: {
  team: string | null;
  metric: SampleMetric;
  period: string;
  /** The query parameters for page and order (the overview's own `sort` orders its teams table). */
  params?: DrillParams;
}) {
  const location = useLocation();
  // Page and order live in the URL (`page`, `sort`, `order`), so a sorted page can be shared and Back works.
  const pageNumber = Math.max(1, Number.parseInt(location.search.get(params.page) ?? '1', 10) || 1);
  const offset = (pageNumber - 1) * PAGE_SIZE;
  const sort = location.search.get(params.sort) ?? undefined;
  const order = location.search.get(params.order) === 'desc' ? 'desc' : 'asc';
  const heading = useRef<HTMLHeadingElement>(null);
  const state = useApi<SamplesPage>(
    samplesUrl(team, metric, period, { limit: PAGE_SIZE, offset, ...(sort ? { sort, order } : {}) }),
  );
  const { title, rows } = DRILL_TITLES[metric];

  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [metric]);

  return (
    <section className="panel drill-down" aria-labelledby="drill-heading">
      <div className="panel-heading">
        <h2 id="drill-heading" ref={heading} tabIndex={-1}>
          Behind “{title}”{team === null ? ' · the organisation' : ''}
        </h2>
        <div className="actions">
          <a href={samplesUrl(team, metric, period, { format: 'csv', limit: 5000 })} download>
            Download CSV
          </a>
          <Link
            href={withQuery(location, {
              drill: null,
              [params.page]: null,
              [params.sort]: null,
              [params.order]: null,
            })}
            replace
          >
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
              <ScrollRegion label="The rows behind the figure">
                <table className="samples-table">
                  <caption>
                    {formatCount(page.total, rows[0], rows[1])},{' '}
                    {sort
                      ? `by ${columns.find((column) => column.key === sort)?.label ?? sort}`
                      : 'oldest first'}{' '}
                    — rows {offset + 1}–{last}. Sort by any column.
                  </caption>
                  <thead>
                    <tr>
                      {columns.map((column) => {
                        const active = sort === column.key;
                        // Durations open largest first: the slow rows are the ones worth a look.
                        const first = column.kind === 'hours' ? 'desc' : 'asc';
                        const next = active ? (order === 'asc' ? 'desc' : 'asc') : first;
                        return (
                          <th
                            scope="col"
                            key={column.key}
                            aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
                          >
                            <Link
                              href={withQuery(location, {
                                [params.sort]: column.key,
                                [params.order]: next,
                                [params.page]: null,
                              })}
                              replace
                              keepScroll
                              className="sort-link"
                            >
                              {column.label}
                              <span className="sort-mark" aria-hidden="true">
                                {active ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
                              </span>
                            </Link>
                          </th>
                        );
                      })}
                    </tr>
                  </thead>
                  <tbody>
                    {page.samples.map((row, index) => (
                      <tr key={offset + index}>
                        {columns.map((column) => (
                          <td key={column.key} className={`cell-${column.kind}`}>
                            {column.href ? (
                              <SourceLink
                                href={row[column.href]}
                                label={`${column.label} ${formatCell(column, row[column.key])} at its source`}
                              >
                                {formatCell(column, row[column.key])}
                              </SourceLink>
                            ) : (
                              formatCell(column, row[column.key])
                            )}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
              <div className="pager">
                {pageNumber > 1 ? (
                  <Link
                    href={withQuery(location, {
                      [params.page]: pageNumber === 2 ? null : String(pageNumber - 1),
                    })}
                    keepScroll
                  >
                    Previous {PAGE_SIZE}
                  </Link>
                ) : null}
                <span className="muted">
                  Page {pageNumber} of {Math.max(1, Math.ceil(page.total / PAGE_SIZE))}
                </span>
                {last < page.total ? (
                  <Link href={withQuery(location, { [params.page]: String(pageNumber + 1) })} keepScroll>
                    Next {PAGE_SIZE}
                  </Link>
                ) : null}
              </div>
            </>
          );
        }}
      </ApiView>
    </section>
  );
}
