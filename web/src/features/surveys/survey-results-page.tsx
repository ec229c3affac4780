import { Fragment, useEffect } from 'react';
import type { ReactElement } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { ApiView, Empty } from '../../components/status.tsx';
import { apiUrl } from '../../lib/api-client.ts';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { OrganizationDetails, Participation } from './survey-details.tsx';
import { surveyTables } from './survey-tables.ts';
import type { HeatmapCell, HoursCell, SurveyTableRow } from './survey-tables.ts';
import { surveyResultsUrl, surveyUrl } from './surveys.api.ts';
import type { SurveyResultsByTeam } from './surveys.types.ts';

/**
 * `/surveys/:id/results`: the team × driver heatmap of % favourable and the hours lost per friction
 * category. Cells the server withheld for anonymity say so in words; the page never computes or infers a
 * figure itself.
 */
export default function SurveyResultsPage({ id }: { id: string }) {
  const results = useApi<SurveyResultsByTeam>(surveyResultsUrl(id));
  useEffect(() => {
    document.title = `Survey results · ${id} · Groundwork`;
  }, [id]);
  return (
    <>
      <p className="breadcrumb">
        <Link href="/surveys">Surveys</Link>
      </p>
      <ApiView state={results} what="the survey results">
        {(data) => <Results data={data} />}
      </ApiView>
    </>
  );
}

function Results({ data }: { data: SurveyResultsByTeam }) {
  const tables = surveyTables(data);
  const { survey, minGroupSize } = data;
  return (
    <>
      <PageHeading>{survey.title}: results</PageHeading>
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
            .
          </p>
          <SurveyTable
            caption={`% favourable by team and driver, ${survey.quarter}`}
            columns={tables.drivers.map((d) => ({ key: d.driver, title: d.title, hint: d.dimension }))}
            rows={tables.heatmap}
            renderCell={(cell: HeatmapCell) =>
              cell.kind === 'figure' ? (
                <td className={`heat heat-${cell.shade}`} title={cell.label}>
                  {cell.favourablePercent}%<span className="figure-sample"> n={cell.respondents}</span>
                  <span className="figure-sample"> mean {cell.meanScore}</span>
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
          <OrganizationDetails results={data} />
        </>
      )}
      <Participation />
    </>
  );
}

function SurveyTable<Cell>({
  caption,
  columns,
  rows,
  renderCell,
}: {
  caption: string;
  columns: { key: string; title: string; hint?: string }[];
  rows: SurveyTableRow<Cell>[];
  renderCell: (cell: Cell) => ReactElement;
}) {
  return (
    // Wide heatmaps scroll sideways: focusable so a keyboard can scroll them too.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="survey-heatmap">
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
    </div>
  );
}
