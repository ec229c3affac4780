import { apiUrl } from '../../lib/api-client.ts';
import { formatHours } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import type { DeliveryMetrics, OrganizationMetrics, TeamMetrics } from '../metrics/metrics.types.ts';
import { latestSurvey, SURVEYS_URL, surveyUrl } from '../surveys/surveys.api.ts';
import type { SurveyList, SurveyResultsByDriver } from '../surveys/surveys.types.ts';
import { teamPath } from '../teams/teams.api.ts';
import { waitTimesUrl } from '../tickets/tickets.api.ts';
import type { WaitTimes } from '../tickets/tickets.types.ts';
import {
  deliveryAttention,
  previousRange,
  rankAttention,
  surveyAttention,
  waitAttention,
} from './attention.ts';
import type { AttentionItem } from './attention.ts';

const KIND_LABEL: Record<AttentionItem['kind'], string> = {
  metric: 'Delivery',
  survey: 'Survey',
  waits: 'Waiting on others',
};

interface Props {
  organization: DeliveryMetrics;
  teams: TeamMetrics[];
  names: ReadonlyMap<string, string>;
  period: string;
}

/**
 * "Where to look first": the overview's short list of teams that are struggling and on what — delivery
 * metrics, waits on other teams, survey drivers — then the slowest request categories and the weakest
 * survey drivers of the whole organisation.
 */
export function AttentionPanel({ organization, teams, names, period }: Props) {
  const previous = useApi<OrganizationMetrics>(
    apiUrl('/api/v1/metrics', { ...previousRange(organization.from, organization.to), groupBy: 'team' }),
  );
  const waitsByTeam = useApi<WaitTimes>(waitTimesUrl(period, 'requestingTeam'));
  const waitsByCategory = useApi<WaitTimes>(waitTimesUrl(period, 'category'));
  const surveys = useApi<SurveyList>(SURVEYS_URL);
  const survey = latestSurvey(surveys.status === 'ready' ? surveys.data : null);
  // Until the list names a survey, this asks for the list again (a hook needs a URL) and ignores it.
  const results = useApi<SurveyResultsByDriver>(
    survey ? apiUrl(`${surveyUrl(survey.id)}/results`, { groupBy: 'driver' }) : SURVEYS_URL,
  );
  const driverResults = survey && results.status === 'ready' ? results.data : null;

  const before = new Map(
    previous.status === 'ready' ? (previous.data.teams ?? []).map((team) => [team.team, team]) : [],
  );
  const items = rankAttention([
    ...deliveryAttention(teams, before, 'the previous period'),
    ...(waitsByTeam.status === 'ready'
      ? waitAttention(waitsByTeam.data.groups, waitsByTeam.data.overall.waitBeforeStart.medianHours)
      : []),
    ...(driverResults?.drivers ? surveyAttention(driverResults.drivers) : []),
  ]);
  const slowest =
    waitsByCategory.status === 'ready'
      ? waitsByCategory.data.groups.filter((group) => group.waitBeforeStart.medianHours !== null).slice(0, 3)
      : [];
  const weakest = (driverResults?.drivers ?? [])
    .flatMap((driver) =>
      driver.organization.suppressed
        ? []
        : [{ title: driver.title, favourable: driver.organization.favourablePercent }],
    )
    .sort((a, b) => a.favourable - b.favourable)
    .slice(0, 3);

  return (
    <section className="attention" aria-labelledby="attention-heading">
      <h2 id="attention-heading">Where to look first</h2>
      {previous.status === 'loading' ? (
        <p className="muted" role="status">
          Comparing with the previous period…
        </p>
      ) : items.length === 0 ? (
        <p>
          No team has a metric in the bottom tier, a large move against the previous period, a long wait on
          other teams or a survey driver far below the organisation.
        </p>
      ) : (
        <ul className="attention-list">
          {items.map((item) => (
            <li key={`${item.team}:${item.text}`}>
              <span className={`attention-kind attention-${item.kind}`}>{KIND_LABEL[item.kind]}</span>{' '}
              <Link href={teamPath(item.team, period)}>{names.get(item.team) ?? item.team}</Link>: {item.text}
            </li>
          ))}
        </ul>
      )}
      {slowest.length > 0 ? (
        <p className="attention-summary">
          <strong>Slowest request categories</strong> (median wait before work starts):{' '}
          {slowest
            .map((group) => `${group.label} ${formatHours(group.waitBeforeStart.medianHours)}`)
            .join(', ')}{' '}
          — <Link href={`/waiting?period=${encodeURIComponent(period)}`}>Waiting on others</Link>
        </p>
      ) : null}
      {survey && weakest.length > 0 ? (
        <p className="attention-summary">
          <strong>Weakest survey drivers</strong> ({survey.title}, % favourable):{' '}
          {weakest.map((driver) => `${driver.title} ${Math.round(driver.favourable)} %`).join(', ')} —{' '}
          <Link href={`/surveys/${encodeURIComponent(survey.id)}/results`}>survey results</Link>
        </p>
      ) : null}
    </section>
  );
}
