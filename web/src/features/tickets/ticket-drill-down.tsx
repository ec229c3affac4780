import { ScrollRegion } from '../../components/scroll-region.tsx';
import { SourceLink } from '../../components/source-link.tsx';
import { useEffect, useRef, useState } from 'react';
import { ApiView, Empty } from '../../components/status.tsx';
import { formatCount, formatDateTime, formatHours, formatRate } from '../../lib/format.ts';
import { Link, useLocation, withQuery } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { ticketsUrl } from './tickets.api.ts';
import type { DrillMeasure, DrillTicket, GroupBy, TicketDrill } from './tickets.types.ts';
import { COLUMNS } from './wait-figures.ts';

const PAGE_SIZE = 50;

/** The value a ticket contributes to the figure drilled into. */
function valueOf(measure: DrillMeasure, ticket: DrillTicket): string {
  switch (measure) {
    case 'waitBeforeStart':
      return formatHours(ticket.waitBeforeStartHours);
    case 'totalWait':
      return formatHours(ticket.totalWaitHours);
    case 'flowEfficiency':
      return formatRate(ticket.flowEfficiency);
    case 'timeToFirstResponse':
      return formatHours(ticket.timeToFirstResponseHours);
    case 'timeToResolution':
      return formatHours(ticket.timeToResolutionHours);
    case 'stillWaiting':
      return formatHours(ticket.ageHours);
  }
}

/**
 * The tickets behind one figure (`?drill=<measure>&group=<key>` in the URL, so it can be shared), largest
 * first, a page at a time, and the whole list as CSV. Tickets, never people.
 */
export function TicketDrillDown({
  period,
  groupBy,
  group,
  groupLabel,
  measure,
}: {
  period: string;
  groupBy: GroupBy;
  group: string | null;
  groupLabel: string;
  measure: DrillMeasure;
}) {
  const location = useLocation();
  const [offset, setOffset] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const state = useApi<TicketDrill>(
    ticketsUrl(period, groupBy, group, measure, { limit: PAGE_SIZE, offset }),
  );
  const column = COLUMNS.find((candidate) => candidate.measure === measure) ?? COLUMNS[0]!;

  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [measure, group]);

  return (
    <section className="panel drill-down" aria-labelledby="ticket-drill-heading">
      <div className="panel-heading">
        <h2 id="ticket-drill-heading" ref={heading} tabIndex={-1}>
          Behind “{column.title}” · {groupLabel}
        </h2>
        <div className="actions">
          <a href={ticketsUrl(period, groupBy, group, measure, { format: 'csv', limit: 5000 })} download>
            Download CSV
          </a>
          <Link href={withQuery(location, { drill: null, group: null })} replace keepScroll>
            Close
          </Link>
        </div>
      </div>
      <ApiView state={state} what="the tickets behind this figure">
        {(page) => {
          if (page.total === 0) return <Empty>No {column.rows[1]} here in this period.</Empty>;
          const last = Math.min(offset + page.tickets.length, page.total);
          return (
            <>
              <ScrollRegion label="The tickets behind the figure">
                <table className="samples-table">
                  <caption>
                    {formatCount(page.total, column.rows[0], column.rows[1])}, largest first — rows{' '}
                    {offset + 1}–{last}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Ticket</th>
                      <th scope="col">{column.title}</th>
                      <th scope="col">Category</th>
                      <th scope="col">Asked by</th>
                      <th scope="col">Served by</th>
                      <th scope="col">Status</th>
                      <th scope="col">Created (UTC)</th>
                      <th scope="col">Work started (UTC)</th>
                      <th scope="col">Resolved (UTC)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.tickets.map((ticket) => (
                      <tr key={`${ticket.source}:${ticket.key}`}>
                        <th scope="row">
                          <SourceLink href={ticket.url} label={`Ticket ${ticket.key} at its source`}>
                            {ticket.key}
                          </SourceLink>
                          {ticket.title ? <span className="ticket-title">{ticket.title}</span> : null}
                        </th>
                        <td className="cell-duration">{valueOf(measure, ticket)}</td>
                        <td>{ticket.category}</td>
                        <td>{ticket.requestingTeam ?? '—'}</td>
                        <td>{ticket.servingTeam ?? '—'}</td>
                        <td>{ticket.status}</td>
                        <td>{formatDateTime(ticket.createdAt)}</td>
                        <td>{formatDateTime(ticket.workStartedAt)}</td>
                        <td>{formatDateTime(ticket.resolvedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
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
