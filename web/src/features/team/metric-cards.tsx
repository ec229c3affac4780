import { ChangeNote } from '../../components/change-note.tsx';
import { TierBadge } from '../../components/tier-badge.tsx';
import { Link, useLocation, withQuery } from '../../lib/router.tsx';
import { deliveryFigures } from '../metrics/metric-figures.ts';
import type { SampleMetric } from '../metrics/metrics.types.ts';

/**
 * The five DORA figures as cards: value with its unit, sample size, tier (or why there is none), the
 * reason when there is no figure, and a link to the rows behind it. Every number on a card (the value, its
 * change, its sample size) opens those rows.
 */
export function MetricCards({
  metrics,
  drill,
}: {
  metrics: Parameters<typeof deliveryFigures>[0];
  drill: SampleMetric | null;
}) {
  const location = useLocation();
  return (
    <ul className="metric-cards">
      {deliveryFigures(metrics).map((figure) => {
        const rows = withQuery(location, { drill: figure.metric, page: null, sort: null, order: null });
        const label = `${figure.title.toLowerCase()}`;
        return (
          <li
            key={figure.metric}
            className={drill === figure.metric ? 'metric-card metric-card-open' : 'metric-card'}
          >
            <h3>{figure.title}</h3>
            <p className="metric-value">
              <Link href={rows} keepScroll aria-label={`${figure.value}: the rows behind ${label}`}>
                {figure.value}
              </Link>
            </p>
            <p className="metric-unit">{figure.unit}</p>
            {figure.change !== undefined ? (
              <p className="metric-change">
                <ChangeNote change={figure.change} href={rows} />
              </p>
            ) : null}
            {figure.reason ? <p className="metric-reason">No figure: {figure.reason}</p> : null}
            <ul className="metric-details">
              {figure.details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
            <p className="metric-sample">
              <Link href={rows} keepScroll>
                {figure.sample}
              </Link>
              {figure.smallSample ? (
                <span className="few-samples"> · few samples: read with care</span>
              ) : null}
            </p>
            {figure.tiered ? (
              <TierBadge tier={figure.tier} reason={figure.tierReason} />
            ) : (
              <span className="tier tier-none">
                <span className="tier-label">No benchmark tier</span>
                <span className="tier-reason">the benchmark tables do not tier rework rate</span>
              </span>
            )}
            <Link
              className="metric-drill"
              href={withQuery(location, {
                drill: drill === figure.metric ? null : figure.metric,
                page: null,
                sort: null,
                order: null,
              })}
              keepScroll
              aria-expanded={drill === figure.metric}
            >
              {drill === figure.metric ? 'Hide the rows' : 'Show the rows behind it'}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
