import { apiUrl } from '../../lib/api-client.ts';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import type { DeliveryMetrics, OrganizationMetrics, TeamMetrics } from '../metrics/metrics.types.ts';
import { teamPath } from '../teams/teams.api.ts';
import { deliveryAttention, previousRange, rankAttention } from './attention.ts';
import type { AttentionItem } from './attention.ts';

const KIND_LABEL: Record<AttentionItem['kind'], string> = {
  metric: 'Delivery',
  survey: 'Survey',
  waits: 'Waiting on others',
};

/** "Where to look first": the overview's short list of teams that are struggling, and on what. */
export function AttentionPanel({
  organization,
  teams,
  names,
  period,
}: {
  organization: DeliveryMetrics;
  teams: TeamMetrics[];
  names: ReadonlyMap<string, string>;
  period: string;
}) {
  const previous = useApi<OrganizationMetrics>(
    apiUrl('/api/v1/metrics', { ...previousRange(organization.from, organization.to), groupBy: 'team' }),
  );
  const before = new Map(
    previous.status === 'ready' ? (previous.data.teams ?? []).map((team) => [team.team, team]) : [],
  );
  const items = rankAttention(deliveryAttention(teams, before, 'the previous period'));
  return (
    <section className="attention" aria-labelledby="attention-heading">
      <h2 id="attention-heading">Where to look first</h2>
      {previous.status === 'loading' ? (
        <p className="muted" role="status">
          Comparing with the previous period…
        </p>
      ) : items.length === 0 ? (
        <p>No team has a metric in the bottom tier or a large move against the previous period.</p>
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
    </section>
  );
}
