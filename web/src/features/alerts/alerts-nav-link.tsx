import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { alertsUrl } from './alerts.api.ts';
import type { AlertList } from './alerts.types.ts';

/** The navigation's link to the Alerts page, with the number of open alerts. */
export function AlertsNavLink({ current }: { current: boolean }) {
  const state = useApi<AlertList>(alertsUrl({ status: 'open' }));
  const open = state.status === 'ready' ? state.data.counts.open : 0;
  return (
    <Link href="/alerts" aria-current={current ? 'page' : undefined}>
      Alerts
      {open > 0 ? (
        <span className="nav-count" aria-label={`${open} open`}>
          {open}
        </span>
      ) : null}
    </Link>
  );
}
