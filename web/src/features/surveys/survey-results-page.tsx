import { useEffect } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { ApiView } from '../../components/status.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { surveyHeatmap } from './survey-heatmap.ts';
import { surveyResultsUrl } from './surveys.api.ts';
import type { SurveyResultsByDriver } from './surveys.types.ts';

/**
 * `/surveys/:id/results`: the team × driver heatmap of % favourable. Cells the server withheld for
 * anonymity say so in words; the page never computes or infers a figure itself.
 */
export default function SurveyResultsPage({ id }: { id: string }) {
  const results = useApi<SurveyResultsByDriver>(surveyResultsUrl(id));
  useEffect(() => {
    document.title = `Survey results · ${id} · Groundwork`;
  }, [id]);
  return (
    <ApiView state={results} what="the survey results">
      {(data) => {
        const heatmap = surveyHeatmap(data);
        return (
          <>
            <p className="breadcrumb">
              <Link href="/surveys">Surveys</Link>
            </p>
            <PageHeading>{data.survey.title}: results</PageHeading>
            <p className="lede">
              Share of favourable answers (4 or 5 of 5) per driver. A group with fewer than{' '}
              {data.minGroupSize} responses is never shown, nor is a group that could be worked out from the
              others.
              {data.survey.previousSurveyId
                ? ` Compared with ${data.survey.previousSurveyId} in the API.`
                : ''}
            </p>
            <div className="table-scroll">
              <table className="survey-heatmap">
                <caption>% favourable by team and driver, {data.survey.quarter}</caption>
                <thead>
                  <tr>
                    <th scope="col">Team</th>
                    {heatmap.drivers.map((driver) => (
                      <th scope="col" key={driver.driver} title={driver.dimension}>
                        {driver.title}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {heatmap.rows.map((row) => (
                    <tr key={row.slug}>
                      <th scope="row">{row.name}</th>
                      {row.cells.map((cell, index) =>
                        cell.kind === 'figure' ? (
                          <td key={index} className={`heat heat-${cell.shade}`} title={cell.label}>
                            {cell.favourablePercent}%
                            <span className="figure-sample"> n={cell.respondents}</span>
                          </td>
                        ) : (
                          <td key={index} className="heat heat-suppressed" title={cell.label}>
                            {cell.reason}
                          </td>
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        );
      }}
    </ApiView>
  );
}
