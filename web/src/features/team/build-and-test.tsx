import { FigureCard } from '../../components/figure-card.tsx';
import { ciFigures } from '../metrics/ci-figures.ts';
import type { CiMetrics, SampleMetric } from '../metrics/metrics.types.ts';

/**
 * "Build and test": the team's CI feedback loop — how long builds take and wait, how often they fail, how
 * often a re-run turns red into green, how long a red default branch stays red — each with its sample size
 * and a link to the runs behind it.
 */
export function BuildAndTest({ ci, drill }: { ci: CiMetrics; drill: SampleMetric | null }) {
  if (ci.attempts === 0) {
    return (
      <p className="muted">
        No CI runs in this period. The GitHub collector reads GitHub Actions runs; any other CI can push its
        runs to <code>POST /api/v1/events/ci-runs</code>.
      </p>
    );
  }
  return (
    <ul className="metric-cards">
      {ciFigures(ci).map(({ key, ...figure }) => (
        <FigureCard
          key={key}
          {...figure}
          reason={figure.reason ?? null}
          open={drill === figure.drill}
          rows="runs"
        />
      ))}
    </ul>
  );
}
