import { ScrollRegion } from '../../components/scroll-region.tsx';
import type { ReactNode } from 'react';
import { ChangeNote } from '../../components/change-note.tsx';
import { TierBadge } from '../../components/tier-badge.tsx';
import { Link, useLocation, withQuery } from '../../lib/router.tsx';
import { ciTableFigure } from '../metrics/ci-figures.ts';
import { deliveryFigures } from '../metrics/metric-figures.ts';
import type { FigureView } from '../metrics/metric-figures.ts';
import type { DeliveryMetrics } from '../metrics/metrics.types.ts';
import { LevelBadge } from '../scorecards/level-badge.tsx';
import type { TeamScorecard } from '../scorecards/scorecards.types.ts';
import { teamPath } from '../teams/teams.api.ts';
import { sortFromSearch, sortRows, WORST_FIRST } from './teams-sort.ts';
import type { SortKey, TeamRow } from './teams-sort.ts';

const COLUMNS: { key: SortKey; title: string; unit: string }[] = [
  { key: 'deploymentFrequency', title: 'Deployment frequency', unit: 'per week' },
  { key: 'leadTime', title: 'Lead time for changes', unit: 'median' },
  { key: 'changeFailureRate', title: 'Change failure rate', unit: 'share of deployments' },
  { key: 'recoveryTime', title: 'Recovery time', unit: 'median, failed deployments' },
  { key: 'reworkRate', title: 'Rework rate', unit: 'hotfixes + rollbacks; no tiers' },
];

/** Every number in a cell (the figure, its change, its sample size) opens the rows behind it. */
function FigureCell({ figure, rowsHref }: { figure: FigureView; rowsHref: string }) {
  return (
    <td className="figure-cell">
      <span className="figure-value">
        <Link href={rowsHref} aria-label={`Rows behind ${figure.value} (${figure.title.toLowerCase()})`}>
          {figure.value}
        </Link>
      </span>
      {figure.change !== undefined ? <ChangeNote change={figure.change} href={rowsHref} /> : null}
      <span className="figure-sample">
        <Link href={rowsHref}>{figure.sample}</Link>
        {figure.smallSample ? <span className="few-samples"> · few samples</span> : null}
      </span>
      {figure.reason ? <span className="figure-reason">{figure.reason}</span> : null}
      {figure.tiered ? <TierBadge tier={figure.tier} reason={figure.tierReason} /> : null}
    </td>
  );
}

/** The CI column: median build time and flaky rate (the team page's "Build and test" has the rest). */
function CiCell({ metrics, rowsHref }: { metrics: DeliveryMetrics; rowsHref: string }) {
  const figure = ciTableFigure(metrics.ci);
  return (
    <td className="figure-cell">
      <span className="figure-value">
        <Link href={rowsHref} aria-label={`Rows behind ${figure.value} (build and test)`}>
          {figure.value}
        </Link>
      </span>
      {figure.detail ? (
        <span className="figure-sample">
          <Link href={rowsHref}>{figure.detail}</Link>
        </span>
      ) : null}
      <span className="figure-sample">
        <Link href={rowsHref}>{figure.sample}</Link>
      </span>
      {figure.reason ? <span className="figure-reason">{figure.reason}</span> : null}
    </td>
  );
}

function ScorecardCell({ scorecards }: { scorecards: TeamScorecard[] | null }) {
  if (scorecards === null) return <td className="muted">…</td>;
  return (
    <td>
      <ul className="level-list">
        {scorecards.map((card) => (
          <li key={card.id}>
            <span className="level-card">{card.title}</span> <LevelBadge card={card} level={card.level} />
          </li>
        ))}
      </ul>
    </td>
  );
}

function Row({
  header,
  metrics,
  scorecards,
  rowsHref,
}: {
  header: ReactNode;
  metrics: Parameters<typeof deliveryFigures>[0];
  scorecards: TeamScorecard[] | null;
  /** The drill-down for a figure: the team page's, or the overview's own for the organisation. */
  rowsHref: (metric: string) => string;
}) {
  return (
    <tr>
      <th scope="row">{header}</th>
      {deliveryFigures(metrics).map((figure) => (
        <FigureCell key={figure.metric} figure={figure} rowsHref={rowsHref(figure.metric)} />
      ))}
      <CiCell metrics={metrics} rowsHref={rowsHref('ci')} />
      <ScorecardCell scorecards={scorecards} />
    </tr>
  );
}

/** A column heading that sorts the table by it: worst first, then best first on a second click. */
function SortHeading({ column, unit, title }: { column: SortKey; title: string; unit?: string }) {
  const location = useLocation();
  const current = sortFromSearch(location.search);
  const active = current.key === column;
  const order = active ? (current.order === 'asc' ? 'desc' : 'asc') : WORST_FIRST[column];
  const href = withQuery(location, {
    sort: column === 'team' ? null : column,
    order: column === 'team' && order === 'asc' ? null : order,
  });
  return (
    <th scope="col" aria-sort={active ? (current.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <Link href={href} replace keepScroll className="sort-link">
        {title}
        <span className="sort-mark" aria-hidden="true">
          {active ? (current.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
        </span>
      </Link>
      {unit ? <span className="column-unit">{unit}</span> : null}
    </th>
  );
}

export function TeamsTable({
  organization,
  rows,
  scorecardsLoaded,
  period,
}: {
  organization: Parameters<typeof deliveryFigures>[0];
  rows: TeamRow[];
  /** False while the scorecards are still loading (their column shows an ellipsis). */
  scorecardsLoaded: boolean;
  period: string;
}) {
  const location = useLocation();
  const { key, order } = sortFromSearch(location.search);
  const sorted = sortRows(rows, key, order);
  return (
    <ScrollRegion label="Teams and the organisation">
      <table className="teams-table">
        <caption>
          {rows.length === 0
            ? 'No active teams: declare them in groundwork.yaml (see groundwork.example.yaml).'
            : `${rows.length} teams and the organisation (pooled from every team’s samples, not an average of teams). Sort by any column.`}
        </caption>
        <thead>
          <tr>
            <SortHeading column="team" title="Team" />
            {COLUMNS.map((column) => (
              <SortHeading key={column.key} column={column.key} title={column.title} unit={column.unit} />
            ))}
            <SortHeading column="ci" title="Build and test" unit="median CI run, flaky share" />
            <SortHeading column="scorecards" title="Scorecards" unit="level reached" />
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <Row
              key={row.metrics.team}
              header={<Link href={teamPath(row.metrics.team, period)}>{row.name}</Link>}
              metrics={row.metrics}
              scorecards={scorecardsLoaded ? row.scorecards : null}
              rowsHref={(metric) => `${teamPath(row.metrics.team, period)}&drill=${metric}`}
            />
          ))}
        </tbody>
        <tfoot>
          <Row
            header="Organisation"
            metrics={organization}
            scorecards={[]}
            rowsHref={(metric) =>
              withQuery(location, { drill: metric, rowsPage: null, rowsSort: null, rowsOrder: null })
            }
          />
        </tfoot>
      </table>
    </ScrollRegion>
  );
}
