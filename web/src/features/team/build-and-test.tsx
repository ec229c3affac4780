import { Link, useLocation, withQuery } from '../../lib/router.tsx';
import { ciFigures } from '../metrics/ci-figures.ts';
import type { CiMetrics, SampleMetric } from '../metrics/metrics.types.ts';

/**
 * "Build and test": the team's CI feedback loop — how long builds take and wait, how often they fail, how
 * often a re-run turns red into green, how long a red default branch stays red — each with its sample size
 * and a link to the runs behind it.
 */
export function BuildAndTest({ ci, drill }: { ci: CiMetrics; drill: SampleMetric | null }) {
  const location = useLocation();
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
      {ciFigures(ci).map((figure) => {
        const open = drill === figure.drill;
        const rows = withQuery(location, { drill: figure.drill, page: null, sort: null, order: null });
        return (
          <li key={figure.key} className="metric-card">
            <h3>{figure.title}</h3>
            <p className="metric-value">
              <Link
                href={rows}
                keepScroll
                aria-label={`${figure.value}: the runs behind ${figure.title.toLowerCase()}`}
              >
                {figure.value}
              </Link>
            </p>
            <p className="metric-unit">{figure.unit}</p>
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
            </p>
            <Link
              className="metric-drill"
              href={withQuery(location, { drill: open ? null : figure.drill })}
              keepScroll
              aria-expanded={open}
            >
              {open ? 'Hide the runs' : 'Show the runs behind it'}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
