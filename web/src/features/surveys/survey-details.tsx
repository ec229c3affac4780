import { ApiView } from '../../components/status.tsx';
import { FewResponses } from './few-responses.tsx';
import { choiceBars } from './survey-tables.ts';
import { useApi } from '../../lib/use-api.ts';
import { SURVEYS_URL } from './surveys.api.ts';
import type { SurveyParticipation, SurveyResultsByTeam } from './surveys.types.ts';

const SCALE = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];

/**
 * Each choice question — single ("what slows you down most") and multiple ("which would help you most") —
 * as bars in the server's ranking: the organisation's share of respondents per option, with its interval.
 */
export function ChoiceRankings({ results }: { results: SurveyResultsByTeam }) {
  const org = results.organization.result;
  if (org.suppressed) return null;
  const questions = choiceBars(org);
  if (questions.length === 0) return null;
  return (
    <>
      <h2>Choices</h2>
      <p className="lede">
        The organisation’s share of respondents who picked each option, highest first; several options may be
        picked where the question says so, so those shares add up to more than 100 %.
      </p>
      {questions.map((question) => (
        <section key={question.question} className="choice-ranking" aria-label={question.text}>
          <h3>{question.text}</h3>
          {question.reason !== null ? (
            <p>{question.reason}</p>
          ) : (
            <>
              <p className="figure-sample">
                n = {question.respondents} respondents{question.few ? <FewResponses /> : null}
              </p>
              <ol className="choice-bars">
                {question.bars.map((bar) => (
                  <li key={bar.option}>
                    <span className="choice-label">{bar.label}</span>
                    <span className="choice-track" aria-hidden="true">
                      <span className="choice-bar" style={{ width: `${bar.percent}%` }} />
                    </span>
                    <span className="choice-share">
                      {bar.percent} %<span className="figure-sample"> ({bar.interval})</span>
                    </span>
                  </li>
                ))}
              </ol>
            </>
          )}
        </section>
      ))}
    </>
  );
}

/**
 * The organisation's answers in detail: each driver's spread of answers 1–5 and mean, and — only when the
 * organisation opts in — the comments pooled from the teams shown (sorted by the server).
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
      {results.survey.commentsPublished ? null : (
        <p className="muted">
          Free-text answers are not shown: an organisation opts in with{' '}
          <code>surveys.publishComments: true</code>, and then only teams with at least {results.minGroupSize}{' '}
          responses have theirs published.
        </p>
      )}
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
