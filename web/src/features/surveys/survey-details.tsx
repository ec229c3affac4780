import { ApiView } from '../../components/status.tsx';
import { useApi } from '../../lib/use-api.ts';
import { SURVEYS_URL } from './surveys.api.ts';
import type { SurveyParticipation, SurveyResultsByTeam } from './surveys.types.ts';

const SCALE = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];

/**
 * The organisation's answers in detail: each driver's spread of answers 1–5 and mean, each choice question
 * ranked as the server ranked it, and the comments pooled from the teams shown (sorted by the server).
 */
export function OrganizationDetails({ results }: { results: SurveyResultsByTeam }) {
  const org = results.organization.result;
  if (org.suppressed) return null;
  return (
    <>
      <h2>Across the organisation</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Answers 1 to 5 by driver">
        <table className="survey-heatmap">
          <caption>Answers 1 to 5 by driver, organisation</caption>
          <thead>
            <tr>
              <th scope="col">Driver</th>
              {SCALE.map((label) => (
                <th scope="col" key={label}>
                  {label}
                </th>
              ))}
              <th scope="col">Mean (1–5)</th>
            </tr>
          </thead>
          <tbody>
            {org.drivers.map((cell) => (
              <tr key={cell.driver}>
                <th scope="row">{cell.title}</th>
                {cell.result.suppressed ? (
                  <td colSpan={6}>{cell.result.reason}</td>
                ) : (
                  <>
                    {cell.result.distributionPercent.map((share, index) => (
                      <td key={SCALE[index]}>{share}%</td>
                    ))}
                    <td>{cell.result.meanScore}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {org.choices.map((choice) => (
        <section key={choice.question} aria-label={choice.text}>
          <h3>{choice.text}</h3>
          {choice.result.suppressed ? (
            <p>{choice.result.reason}</p>
          ) : (
            <ol className="survey-ranking">
              {choice.result.options.map((option) => (
                <li key={option.option}>
                  {option.label}: {option.percent}%
                </li>
              ))}
            </ol>
          )}
        </section>
      ))}
      {org.comments.map((comment) => (
        <section key={comment.question} aria-label={comment.text}>
          <h3>{comment.text}</h3>
          {comment.result.suppressed ? (
            <p>{comment.result.reason}</p>
          ) : comment.result.comments.length === 0 ? (
            <p>No comments.</p>
          ) : (
            <ul className="survey-comments">
              {comment.result.comments.map((text, index) => (
                <li key={index}>{text}</li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

/** Responses per team in every round that has opened: who answers, and whether that is growing. */
export function Participation() {
  const participation = useApi<SurveyParticipation>(`${SURVEYS_URL}/participation`);
  return (
    <ApiView state={participation} what="participation">
      {(data) => (
        <>
          <h2>Participation</h2>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Participation by round">
            <table className="survey-heatmap">
              <caption>Responses and response rate by team and round</caption>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  {data.rounds.map((round) => (
                    <th scope="col" key={round.id}>
                      {round.quarter}
                      {round.status === 'open' ? ' (open)' : ''}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[
                  { team: { slug: '(organization)', name: 'Organisation' }, rounds: data.organization },
                  ...data.teams,
                ].map((row) => (
                  <tr key={row.team.slug}>
                    <th scope="row">{row.team.name}</th>
                    {row.rounds.map((cell) => (
                      <td key={cell.surveyId}>
                        {cell.suppressed
                          ? cell.reason
                          : `${cell.responses}${cell.responseRatePercent === null ? '' : ` (${cell.responseRatePercent}%)`}`}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </ApiView>
  );
}
