import { ApiView, Empty } from '../../components/status.tsx';
import { Link } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { buildNextPath, frictionUrl } from './friction.api.ts';
import type { FrictionReport } from './friction.types.ts';
import { formatHoursPerWeek, surveyText } from './friction-format.ts';

const TOP = 3;

/** A team's costliest friction points in the period, ranked by the server on the team's own hours. */
export function TeamFrictionPanel({ team, period }: { team: string; period: string }) {
  const friction = useApi<FrictionReport>(frictionUrl(period, team));
  return (
    <ApiView state={friction} what="the team’s friction">
      {(data) => {
        const rows = data.frictions
          .filter((row) => row.hoursPerWeek !== null && row.hoursPerWeek > 0)
          .slice(0, TOP);
        if (rows.length === 0) return <Empty>No friction point costs this team measurable hours.</Empty>;
        return (
          <>
            <ol className="attention-list">
              {rows.map((row) => {
                const own = row.teams[0];
                return (
                  <li key={row.friction.id}>
                    <strong>{row.friction.title}</strong>: {formatHoursPerWeek(row.hoursPerWeek)} (
                    {row.confidence} confidence{own ? `; survey ${surveyText(own)}` : ''}).{' '}
                    {row.friction.directFix}
                  </li>
                );
              })}
            </ol>
            <p className="muted">
              <Link href={buildNextPath(data.period)}>What to build next</Link> ranks these across all teams.
            </p>
          </>
        );
      }}
    </ApiView>
  );
}
