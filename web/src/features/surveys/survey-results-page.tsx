import { ScrollRegion } from '../../components/scroll-region.tsx';
import { Fragment, useEffect } from 'react';
import type { ReactElement } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { ApiView, Empty } from '../../components/status.tsx';
import { apiUrl } from '../../lib/api-client.ts';
import { Link, useLocation } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { FewResponses } from './few-responses.tsx';
import { ChoiceRankings, OrganizationDetails, Participation } from './survey-details.tsx';
import { SurveyRoundNote } from './survey-round.tsx';
import { HEAT_LEGEND, surveyTables } from './survey-tables.ts';
import type { HeatmapCell, HoursCell, SurveyTableRow } from './survey-tables.ts';
import { SURVEYS_URL, surveyResultsUrl, surveysForPeriodUrl, surveyUrl } from './surveys.api.ts';
import type { SurveyList, SurveyResultsByTeam } from './surveys.types.ts';

/**
 * `/surveys/:id/results`: which round and why, the team × driver heatmap of % favourable with its legend,
 * the hours lost per friction category, each choice question as ranked bars, then the organisation's
 * detail. Cells the server withheld for anonymity say so in words; figures from fewer than 10 respondents
 * carry their interval and a "few responses" mark; the page never computes or infers a figure itself.
 */
export default function SurveyResultsPage({ id }: { id: string }) {
  const results = useApi<SurveyResultsByTeam>(surveyResultsUrl(id));
  const period = useLocation().search.get('period');
  useEffect(() => {
    document.title = `Survey results · ${id} · Groundwork`;
  }, [id]);
  return (
    <>
      <p className="breadcrumb">
        <Link href="/surveys">Surveys</Link>
      </p>
      <ApiView state={results} what="the survey results">
        {(data) => (
          <>
            <Results data={data} note={<RoundNote id={id} period={period} />} />
          </>
        )}
      </ApiView>
    </>
  );
}

/**
 * Which round this page shows and why: reached from a panel with a period, the server's sentence for that
 * period; opened from the list, the round chosen there, with its days and whether it is still open.
 */
function RoundNote({ id, period }: { id: string; period: string | null }) {
  const surveys = useApi<SurveyList>(period ? surveysForPeriodUrl(period) : SURVEYS_URL);
  if (surveys.status !== 'ready') return null;
  const round = surveys.data.forPeriod;
  if (round && round.surveyId === id) return <SurveyRoundNote state={surveys} />;
  const chosen = surveys.data.surveys.find((survey) => survey.id === id);
  return (
    <p className="survey-round">
      <strong>Survey round:</strong> {id}
      {chosen
        ? ` (${chosen.opens} to ${chosen.closes}${chosen.status === 'open' ? ', still open' : ''})`
        : ''}
      , chosen from the <Link href="/surveys">list of rounds</Link>
      {round ? `; for the period you came from: ${round.reason}` : '.'}
    </p>
  );
}

function Results({ data, note }: { data: SurveyResultsByTeam; note: ReactElement }) {
  const tables = surveyTables(data);
  const { survey, minGroupSize } = data;
  return (
    <>
      <PageHeading>{survey.title}: results</PageHeading>
      {note}
      <p className="lede">
        No group with fewer than {minGroupSize} responses is ever shown, nor one that could be worked out by
        subtracting the shown teams from the organisation.{' '}
        <a href={apiUrl(`${surveyUrl(survey.id)}/results`, { format: 'csv' })} download>
          Download as CSV
        </a>
      </p>
      {tables.empty ? (
        <Empty>
          No results yet: the organisation has fewer than {minGroupSize} responses to this survey.
        </Empty>
      ) : (
        <>
          <h2>Drivers</h2>
          <p className="lede">
            % favourable: the share of answers of 4 or 5 out of 5, with the number of respondents (n)
            {survey.previousSurveyId
              ? ` and the change in percentage points against ${survey.previousSurveyId}`
              : ''}
            . Below 10 respondents a cell shows its 95% interval and is marked “few responses”.
          </p>
          <HeatLegend />
          <SurveyTable
            className="survey-heatmap heatmap-drivers"
            caption={`% favourable by team and driver, ${survey.quarter}`}
            columns={tables.drivers.map((d) => ({ key: d.driver, title: d.title, hint: d.dimension }))}
            rows={tables.heatmap}
            renderCell={(cell: HeatmapCell) =>
              cell.kind === 'figure' ? (
                <td className={`heat heat-${cell.shade}`} title={cell.label}>
                  <span className="heat-figure">{cell.favourablePercent}%</span>
                  {cell.few ? <FewResponses /> : null}
                  <span className="figure-sample">
                    n={cell.respondents} · mean {cell.meanScore}
                  </span>
                  {cell.few ? <span className="figure-sample">{cell.interval}</span> : null}
                  {cell.change ? <span className="figure-change">{cell.change}</span> : null}
                </td>
              ) : (
                <td className="heat heat-suppressed" title={cell.label}>
                  {cell.reason}
                </td>
              )
            }
          />
          <h2>Hours lost</h2>
          <p className="lede">
            Mean hours lost per week to each friction category, with its 95% interval and the number of
            respondents.
          </p>
          <SurveyTable
            caption={`Hours lost per week by team and category, ${survey.quarter}`}
            columns={tables.categories.map((c) => ({ key: c.category, title: c.title }))}
            rows={tables.hours}
            renderCell={(cell: HoursCell) =>
              cell.kind === 'figure' ? (
                <td className="figure" title={cell.label}>
                  {cell.meanHoursPerWeek} h/week
                  {cell.few ? <FewResponses /> : null}
                  <span className="figure-sample">
                    {' '}
                    ({cell.interval}) n={cell.respondents}
                  </span>
                </td>
              ) : (
                <td className="heat-suppressed" title={cell.label}>
                  {cell.reason}
                </td>
              )
            }
          />
          <ChoiceRankings results={data} />
          <OrganizationDetails results={data} />
        </>
      )}
      <Participation />
    </>
  );
}

/** What each shade of the heatmap stands for; every cell also writes its figure, so colour is never alone. */
function HeatLegend() {
  return (
    <ul className="heat-legend" aria-label="Colour legend: % favourable">
      {HEAT_LEGEND.map((step) => (
        <li key={step.shade}>
          <span className={`heat-swatch heat-${step.shade}`} aria-hidden="true" />
          {step.label}
        </li>
      ))}
      <li>
        <span className="heat-swatch heat-suppressed-swatch" aria-hidden="true" />
        withheld (fewer than the minimum responses)
      </li>
    </ul>
  );
}

function SurveyTable<Cell>({
  className = 'survey-heatmap',
  caption,
  columns,
  rows,
  renderCell,
}: {
  className?: string;
  caption: string;
  columns: { key: string; title: string; hint?: string }[];
  rows: SurveyTableRow<Cell>[];
  renderCell: (cell: Cell) => ReactElement;
}) {
  return (
    // At 1440 px every driver fits (fixed layout, wrapping cells); narrower, the table scrolls in its region.
    <ScrollRegion label={caption}>
      <table className={className}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Responses</th>
            {columns.map((column) => (
              <th scope="col" key={column.key} title={column.hint}>
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.slug}>
              <th scope="row">{row.name}</th>
              <td className="survey-responses">{row.responses}</td>
              {row.cells.map((cell, index) => (
                <Fragment key={columns[index]?.key ?? index}>{renderCell(cell)}</Fragment>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
