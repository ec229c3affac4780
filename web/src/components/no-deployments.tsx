import { Empty } from './status.tsx';

/** The empty state of every delivery view: what is missing and how to send it. */
export function NoDeployments({ who, period }: { who: string; period: string }) {
  return (
    <Empty>
      <strong>
        No deployments reported for {who} in {period} yet
      </strong>{' '}
      — send them to <code>POST /api/v1/events/deployments</code> from your CI/CD (see “Sending deployments
      and incidents” in the README).
    </Empty>
  );
}
