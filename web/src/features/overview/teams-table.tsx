import type { ReactNode } from 'react';
import { TierBadge } from '../../components/tier-badge.tsx';
import { Link } from '../../lib/router.tsx';
import { deliveryFigures } from '../metrics/metric-figures.ts';
import type { FigureView } from '../metrics/metric-figures.ts';
import type { DeliveryMetrics, TeamMetrics } from '../metrics/metrics.types.ts';
import { teamPath } from '../teams/teams.api.ts';

const COLUMNS = [
  { title: 'Deployment frequency', unit: 'per week' },
  { title: 'Lead time for changes', unit: 'median' },
  { title: 'Change failure rate', unit: 'share of deployments' },
  { title: 'Recovery time', unit: 'median, failed deployments' },
  { title: 'Rework rate', unit: 'hotfixes + rollbacks; no tiers' },
];

function FigureCell({ figure }: { figure: FigureView }) {
  return (
    <td className="figure-cell">
      <span className="figure-value">{figure.value}</span>
      <span className="figure-sample">{figure.sample}</span>
      {figure.reason ? <span className="figure-reason">{figure.reason}</span> : null}
      {figure.tiered ? <TierBadge tier={figure.tier} reason={figure.tierReason} /> : null}
    </td>
  );
}

function Row({ header, metrics }: { header: ReactNode; metrics: DeliveryMetrics }) {
  return (
    <tr>
      <th scope="row">{header}</th>
      {deliveryFigures(metrics).map((figure) => (
        <FigureCell key={figure.metric} figure={figure} />
      ))}
    </tr>
  );
}

export function TeamsTable({
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
  return (
    <div className="table-scroll">
      <table className="teams-table">
        <caption>
          {teams.length === 0
            ? 'No active teams: declare them in groundwork.yaml (see groundwork.example.yaml).'
            : `${teams.length} teams and the organisation (pooled from every team’s samples, not an average of teams)`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Team</th>
            {COLUMNS.map((column) => (
              <th scope="col" key={column.title}>
                {column.title}
                <span className="column-unit">{column.unit}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {teams.map((team) => (
            <Row
              key={team.team}
              header={<Link href={teamPath(team.team, period)}>{names.get(team.team) ?? team.team}</Link>}
              metrics={team}
            />
          ))}
        </tbody>
        <tfoot>
          <Row header="Organisation" metrics={organization} />
        </tfoot>
      </table>
    </div>
  );
}
