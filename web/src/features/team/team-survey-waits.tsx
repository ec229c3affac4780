import { ScrollRegion } from '../../components/scroll-region.tsx';
import { apiUrl } from '../../lib/api-client.ts';
import { ApiView, Empty } from '../../components/status.tsx';
import { formatCount, formatHours, formatSample } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { FewResponses } from '../surveys/few-responses.tsx';
import { SurveyRoundNote } from '../surveys/survey-round.tsx';
import { formatInterval } from '../surveys/survey-tables.ts';
import { SURVEYS_URL, surveyResultsPath, surveysForPeriodUrl, surveyUrl } from '../surveys/surveys.api.ts';
import type { SurveyList, SurveyResultsByDriver } from '../surveys/surveys.types.ts';
import { waitTimesUrl } from '../tickets/tickets.api.ts';
import type { WaitTimes } from '../tickets/tickets.types.ts';

const signed = (points: number) =>
  `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(Math.round(points))}`;

/**
 * The team's survey drivers in the round that overlaps the period (the server picks it, and says why):
 * % favourable against the organisation, with the interval and a "few responses" mark below 10
 * respondents, or why a cell is withheld.
 */
export function TeamSurveyDrivers({ team, period }: { team: string; period: string }) {
  const surveys = useApi<SurveyList>(surveysForPeriodUrl(period));
  const round = surveys.status === 'ready' ? (surveys.data.forPeriod ?? null) : null;
  // Until the server names a round, this asks for the list again (a hook needs a URL) and ignores it.
  const results = useApi<SurveyResultsByDriver>(
    round?.surveyId ? apiUrl(`${surveyUrl(round.surveyId)}/results`, { groupBy: 'driver' }) : SURVEYS_URL,
  );
  if (surveys.status !== 'ready')
    return (
      <ApiView state={surveys} what="the surveys">
        {() => null}
      </ApiView>
    );
  const note = <SurveyRoundNote state={surveys} />;
  if (!round?.surveyId) return <Empty>{note}</Empty>;
  const surveyId = round.surveyId;
  return (
    <>
      {note}
      <ApiView state={results} what="the survey results">
        {(data) => {
          const rows = data.drivers.map((driver) => ({
            driver,
            cell: driver.teams.find((candidate) => candidate.team.slug === team)?.result ?? null,
          }));
          return (
            <ScrollRegion label="Survey drivers: the team against the organisation">
              <table>
                <caption>
                  {data.survey.title}: % favourable (answers of 4–5) per driver, weakest first;{' '}
                  <Link href={surveyResultsPath(surveyId, period)}>all teams</Link>
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Driver</th>
                    <th scope="col">
                      This team<span className="column-unit">% favourable</span>
                    </th>
                    <th scope="col">
                      Against the organisation<span className="column-unit">percentage points</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows
                    .sort(
                      (a, b) =>
                        (a.cell && !a.cell.suppressed ? a.cell.favourablePercent : 101) -
                        (b.cell && !b.cell.suppressed ? b.cell.favourablePercent : 101),
                    )
                    .map(({ driver, cell }) => (
                      <tr key={driver.driver}>
                        <th scope="row">{driver.title}</th>
                        {cell === null ? (
                          <td colSpan={2}>no responses</td>
                        ) : cell.suppressed ? (
                          <td colSpan={2} className="muted">
                            withheld: {cell.reason}
                          </td>
                        ) : (
                          <>
                            <td>
                              {Math.round(cell.favourablePercent)} %
                              {cell.fewResponses ? <FewResponses /> : null}
                              <span className="figure-sample">
                                {formatSample(cell.respondents, 'respondent')}
                                {cell.fewResponses
                                  ? `, 95% interval ${formatInterval(cell.favourableInterval95)}`
                                  : ''}
                              </span>
                            </td>
                            <td>
                              {cell.vsOrganization.difference === null
                                ? (cell.vsOrganization.reason ?? '—')
                                : signed(cell.vsOrganization.difference)}
                            </td>
                          </>
                        )}
                      </tr>
                    ))}
                </tbody>
              </table>
            </ScrollRegion>
          );
        }}
      </ApiView>
    </>
  );
}

/** How long the team's requests to other teams waited in the period, with the tickets behind it. */
export function TeamWaits({ team, period }: { team: string; period: string }) {
  const waits = useApi<WaitTimes>(waitTimesUrl(period, 'requestingTeam'));
  return (
    <ApiView state={waits} what="the team’s waits on other teams">
      {(data) => {
        const group = data.groups.find((candidate) => candidate.key === team);
        if (!group) {
          return (
            <Empty>
              No requests from this team to other teams’ queues in this period (tickets come from Jira or
              GitHub Issues queues; see “Ticket wait times” in the README).
            </Empty>
          );
        }
        const drill = `/waiting?period=${encodeURIComponent(period)}&groupBy=requestingTeam&drill=waitBeforeStart&group=${encodeURIComponent(team)}`;
        return (
          <ul className="waits-summary">
            <li>
              <strong>{formatHours(group.waitBeforeStart.medianHours)}</strong> median wait before work starts
              (all requests: {formatHours(data.overall.waitBeforeStart.medianHours)};{' '}
              {formatSample(group.waitBeforeStart.sampleSize, 'ticket')})
            </li>
            <li>
              <strong>{formatHours(group.totalWait.medianHours)}</strong> median total wait until resolution (
              {formatSample(group.totalWait.sampleSize, 'ticket')})
            </li>
            <li>
              <strong>{formatCount(group.stillWaiting.count, 'request')}</strong> still waiting for work to
              start
            </li>
            <li>
              <Link href={drill}>The tickets behind these figures</Link>
            </li>
          </ul>
        );
      }}
    </ApiView>
  );
}
