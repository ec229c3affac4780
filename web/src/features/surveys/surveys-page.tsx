import { ScrollRegion } from '../../components/scroll-region.tsx';
import { useEffect } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { ApiView, Empty } from '../../components/status.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { SURVEYS_URL } from './surveys.api.ts';
import type { SurveyList } from './surveys.types.ts';

/** `/surveys`: every survey round, with links to its form and its results. */
export default function SurveysPage() {
  const surveys = useApi<SurveyList>(SURVEYS_URL);
  useEffect(() => {
    document.title = 'Developer surveys · Groundwork';
  }, []);
  return (
    <>
      <PageHeading>Developer surveys</PageHeading>
      <p className="lede">Where developers say their time and attention go, each quarter, by team.</p>
      <ApiView state={surveys} what="the surveys">
        {(data) =>
          data.surveys.length === 0 ? (
            <Empty>
              No survey rounds are defined yet: add one to <code>scorecards/surveys/</code> (see the README).
            </Empty>
          ) : (
            <ScrollRegion label="Survey rounds">
              <table>
                <caption>Survey rounds, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Survey</th>
                    <th scope="col">Quarter</th>
                    <th scope="col">Open</th>
                    <th scope="col">Status</th>
                    <th scope="col">Links</th>
                  </tr>
                </thead>
                <tbody>
                  {data.surveys.map((survey) => (
                    <tr key={survey.id}>
                      <th scope="row">{survey.title}</th>
                      <td>{survey.quarter}</td>
                      <td>
                        {survey.opens} to {survey.closes}
                      </td>
                      <td>{survey.status}</td>
                      <td>
                        <Link href={`/surveys/${encodeURIComponent(survey.id)}/results`}>Results</Link>
                        {survey.status === 'open' ? (
                          <>
                            {' · '}
                            <Link href={`/surveys/${encodeURIComponent(survey.id)}`}>Form</Link>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )
        }
      </ApiView>
    </>
  );
}
