import { ScrollRegion } from '../../components/scroll-region.tsx';
import { useEffect, useId } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { PeriodPicker } from '../../components/period-picker.tsx';
import { ApiView, Empty } from '../../components/status.tsx';
import { formatRange } from '../../lib/format.ts';
import { describePeriod, periodFromSearch, periodPhrase } from '../../lib/period.ts';
import { Link, navigate, useLocation, withQuery } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import type { ApiState } from '../../lib/use-api.ts';
import { NO_GROUP, waitSeriesUrl, waitTimesUrl } from './tickets.api.ts';
import type { GroupBy, WaitFigures, WaitSeries, WaitTimes } from './tickets.types.ts';
import { TicketDrillDown } from './ticket-drill-down.tsx';
import { WaitChart } from './wait-chart.tsx';
import { waitTrend } from './wait-series.ts';
import { WaitTrendChart } from './wait-trend-chart.tsx';
import {
  chartRows,
  COLUMNS,
  drillMeasureFrom,
  figureViews,
  GROUP_BY_OPTIONS,
  groupByFrom,
} from './wait-figures.ts';

function GroupByPicker({ groupBy }: { groupBy: GroupBy }) {
  const id = useId();
  const location = useLocation();
  return (
    <div className="picker">
      <label htmlFor={id}>Group by</label>
      <select
        id={id}
        value={groupBy}
        onChange={(event) =>
          navigate(withQuery(location, { groupBy: event.target.value, drill: null, group: null }), {
            keepScroll: true,
          })
        }
      >
        {GROUP_BY_OPTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A row of figures; each figure with tickets behind it links to them. */
function FigureRow({
  header,
  figures,
  group,
}: {
  header: string;
  figures: WaitFigures;
  group: string | null;
}) {
  const location = useLocation();
  return (
    <tr>
      <th scope="row">{header}</th>
      {figureViews(figures).map((figure) => (
        <td key={figure.measure} className="figure-cell">
          {figure.count > 0 ? (
            <Link
              href={withQuery(location, { drill: figure.measure, group })}
              keepScroll
              className="figure-value"
              aria-label={`${figure.value}: show the tickets behind it`}
            >
              {figure.value}
            </Link>
          ) : (
            <span className="figure-value">{figure.value}</span>
          )}
          {figure.detail ? <span className="figure-sample">{figure.detail}</span> : null}
          {figure.sample ? <span className="figure-sample">{figure.sample}</span> : null}
          {figure.reason ? <span className="figure-reason">{figure.reason}</span> : null}
        </td>
      ))}
    </tr>
  );
}

function WaitTable({ data, noun }: { data: WaitTimes; noun: string }) {
  return (
    <ScrollRegion label="Wait times by group">
      <table className="teams-table wait-table">
        <caption>
          {data.groups.length} {noun === 'category' ? 'categories' : `${noun}s`}, slowest first (by median
          wait before start); select a figure for the tickets behind it
        </caption>
        <thead>
          <tr>
            <th scope="col">{noun.charAt(0).toUpperCase() + noun.slice(1)}</th>
            {COLUMNS.map((column) => (
              <th scope="col" key={column.measure}>
                {column.title}
                <span className="column-unit">{column.unit}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.groups.map((group) => (
            <FigureRow
              key={group.key ?? NO_GROUP}
              header={group.label}
              figures={group}
              group={group.key ?? NO_GROUP}
            />
          ))}
        </tbody>
        <tfoot>
          <FigureRow header="All tickets" figures={data.overall} group={null} />
        </tfoot>
      </table>
    </ScrollRegion>
  );
}

/** The weekly series chart of the slowest groups, once the series has loaded. */
function WeeklyWaits({
  series,
  order,
  noun,
}: {
  series: ApiState<WaitSeries>;
  order: (string | null)[];
  noun: string;
}) {
  return (
    <section className="panel" aria-label="Weekly chart">
      <ApiView state={series} what="the weekly wait times">
        {(data) => {
          const trend = waitTrend(data, order);
          return trend.groups.length === 0 ? (
            <Empty>No ticket started in any week of the period.</Empty>
          ) : (
            <WaitTrendChart trend={trend} noun={noun} />
          );
        }}
      </ApiView>
    </section>
  );
}

/**
 * `/waiting?period=…&groupBy=…&drill=…&group=…`: how long teams wait on other teams' queues (ops, platform,
 * DBAs) for routine requests, slowest request categories first, with the tickets behind every figure.
 */
export default function WaitingPage() {
  const location = useLocation();
  const period = periodFromSearch(location.search);
  const groupBy = groupByFrom(location.search);
  const drill = drillMeasureFrom(location.search);
  const group = location.search.get('group');
  const state = useApi<WaitTimes>(waitTimesUrl(period, groupBy));
  const series = useApi<WaitSeries>(waitSeriesUrl(period, groupBy));
  const option = GROUP_BY_OPTIONS.find((candidate) => candidate.value === groupBy) ?? GROUP_BY_OPTIONS[0]!;

  useEffect(() => {
    document.title = `Waiting on others · ${describePeriod(period)} · Groundwork`;
  }, [period]);

  return (
    <>
      <div className="page-heading">
        <PageHeading>Waiting on others</PageHeading>
        <div className="toolbar">
          <GroupByPicker groupBy={groupBy} />
          <PeriodPicker period={period} />
        </div>
      </div>
      <p className="lede">
        How long teams wait on another team’s queue — environments, access, database changes, DNS, deploy help
        — before anyone starts on their request. This is the waiting a self-service platform removes. All
        times are calendar hours; wait counts only time in waiting statuses (To Do by default).
      </p>
      <ApiView state={state} what="ticket wait times">
        {(data) => {
          const rows = chartRows(data.groups);
          const drillGroup =
            group === null
              ? null
              : (data.groups.find((candidate) => (candidate.key ?? NO_GROUP) === group) ?? null);
          return (
            <>
              <p className="period-line">
                {describePeriod(period)}: {formatRange(data.from, data.to)} (UTC) · still waiting as of{' '}
                {new Date(data.asOf).toISOString().slice(0, 16).replace('T', ' ')} UTC
              </p>
              {data.groups.length === 0 ? (
                <Empty>
                  No tickets in {periodPhrase(period)}. Configure a Jira project (<code>sources.jira</code>)
                  or a GitHub repository used as a request queue (<code>sources.githubIssues</code>), then run{' '}
                  <code>npx groundwork collect jira</code>.
                </Empty>
              ) : (
                <>
                  <WaitTable data={data} noun={option.noun} />
                  {drill ? (
                    <TicketDrillDown
                      key={`${drill}|${group ?? ''}|${period}|${groupBy}`}
                      period={period}
                      groupBy={groupBy}
                      group={group}
                      groupLabel={drillGroup?.label ?? 'all tickets'}
                      measure={drill}
                    />
                  ) : null}
                  {rows.length > 0 ? (
                    <section className="panel" aria-label="Chart">
                      <WaitChart rows={rows} noun={option.noun} />
                    </section>
                  ) : null}
                  <WeeklyWaits series={series} order={data.groups.map((g) => g.key)} noun={option.noun} />
                </>
              )}
            </>
          );
        }}
      </ApiView>
    </>
  );
}
