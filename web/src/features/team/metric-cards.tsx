import { ChangeNote } from '../../components/change-note.tsx';
import { FigureCard } from '../../components/figure-card.tsx';
import { TierBadge } from '../../components/tier-badge.tsx';
import { useLocation, withQuery } from '../../lib/router.tsx';
import { deliveryFigures } from '../metrics/metric-figures.ts';
import type { SampleMetric } from '../metrics/metrics.types.ts';

/**
 * The five DORA figures as cards: value with its unit, its change, sample size, tier (or why there is none),
 * the reason when there is no figure, and a link to the rows behind it. Every number on a card (the value,
 * its change, its sample size) opens those rows.
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
      {deliveryFigures(metrics).map((figure) => (
        <FigureCard
          key={figure.metric}
          {...figure}
          reason={figure.reason ?? null}
          drill={figure.metric}
          open={drill === figure.metric}
          rows="rows"
          afterValue={
            figure.change !== undefined ? (
              <p className="metric-change">
                <ChangeNote
                  change={figure.change}
                  href={withQuery(location, { drill: figure.metric, page: null, sort: null, order: null })}
                />
              </p>
            ) : null
          }
          afterSample={
            figure.smallSample ? <span className="few-samples"> · few samples: read with care</span> : null
          }
          footer={
            figure.tiered ? (
              <TierBadge tier={figure.tier} reason={figure.tierReason} />
            ) : (
              <span className="tier tier-none">
                <span className="tier-label">No benchmark tier</span>
                <span className="tier-reason">the benchmark tables do not tier rework rate</span>
              </span>
            )
          }
        />
      ))}
    </ul>
  );
}
