import { formatCount, formatRate } from '../../lib/format.ts';
import type { DeliveryMetrics } from '../metrics/metrics.types.ts';

/** What the figures rest on: how much of the team's delivery data came with what each metric needs. */
export function CoverageNotes({ metrics }: { metrics: DeliveryMetrics }) {
  const { coverage } = metrics.leadTime;
  const { changeFailureRate: cfr, recoveryTime: rt } = metrics;
  if (coverage.deployments === 0) {
    return <p>No successful production deployment in the period, so nothing to measure coverage on.</p>;
  }
  return (
    <ul className="coverage-notes">
      <li>
        <strong>{formatRate(coverage.share)}</strong> of successful production deployments came with the
        commits they shipped ({coverage.deploymentsWithCommits} of{' '}
        {formatCount(coverage.deployments, 'deployment')}); lead time is measured on those only.
      </li>
      <li>
        {formatCount(coverage.fromPullRequests, 'change')} started at their pull request’s first commit
        (squash or merge commits); the others at their commit time.
      </li>
      {coverage.negativeExcluded > 0 ? (
        <li>
          {formatCount(coverage.negativeExcluded, 'change')} left out of lead time: started, or shipped a
          commit dated, after the deployment that shipped it (clock skew or a backdated event).
        </li>
      ) : null}
      {coverage.implausibleStartExcluded > 0 ? (
        <li>
          {formatCount(coverage.implausibleStartExcluded, 'change')} left out of lead time: started before
          2000 (a reset clock, such as 1970).
        </li>
      ) : null}
      {coverage.implausibleDeploymentExcluded > 0 ? (
        <li>
          {formatCount(coverage.implausibleDeploymentExcluded, 'change')} left out of lead time: first shipped
          by a deployment dated before 2000 or more than a day ahead of the server’s clock (deployment counts
          take its date as sent).
        </li>
      ) : null}
      {cfr.failedByInferenceOnly > 0 ? (
        <li>
          {formatCount(cfr.failedByInferenceOnly, 'failed deployment')} counted through an inferred incident
          link only (same service, shortly before the incident), not an explicit <code>deploymentId</code>.
        </li>
      ) : null}
      {rt.unresolved > 0 ? (
        <li>
          {formatCount(rt.unresolved, 'incident')} caused by a deployment still open: counted, not timed.
        </li>
      ) : null}
    </ul>
  );
}
