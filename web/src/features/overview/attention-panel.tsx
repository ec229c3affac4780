import { Link } from '../../lib/router.tsx';
import { alertsUrl, METRIC_TITLES } from '../alerts/alerts.api.ts';
import { formatAlertChange, formatAlertFigure } from '../alerts/alert-format.ts';
import type { Alert, AlertList } from '../alerts/alerts.types.ts';
import { useApi } from '../../lib/use-api.ts';
import { buildNextPath, frictionUrl } from '../friction/friction.api.ts';
import type { FrictionReport } from '../friction/friction.types.ts';
import { formatHoursPerWeek } from '../friction/friction-format.ts';
import { formatHours } from '../../lib/format.ts';
import { teamPath } from '../teams/teams.api.ts';
import { NO_GROUP, waitTimesUrl } from '../tickets/tickets.api.ts';
import type { WaitTimes } from '../tickets/tickets.types.ts';

/** How many friction points and, per point, how many of its costliest teams the overview names. */
const POINTS = 5;
const TEAMS_PER_POINT = 3;

/**
 * "Where to look first": first the regressions the alerting confirmed (open alerts: a large regression is
 * never buried under survey items), then the friction points that cost developers the most hours this period, as the
 * server ranked them (GET /api/v1/friction), each with the teams it costs most, then the slowest request
 * categories as the wait-time API ordered them. Each figure links to what is behind it: a point's hours to
 * its breakdown on "What to build next", a team's to its page, a wait to the tickets behind it.
 */
export function AttentionPanel({ period }: { period: string }) {
  const friction = useApi<FrictionReport>(frictionUrl(period));
  const open = useApi<AlertList>(alertsUrl({ status: 'open' }));
  const regressions = open.status === 'ready' ? open.data.alerts : [];
  const waitsByCategory = useApi<WaitTimes>(waitTimesUrl(period, 'category'));
  const points =
    friction.status === 'ready'
      ? friction.data.frictions
          .filter((row) => row.hoursPerWeek !== null && row.hoursPerWeek > 0)
          .slice(0, POINTS)
      : [];
  const slowest =
    waitsByCategory.status === 'ready'
      ? waitsByCategory.data.groups.filter((group) => group.waitBeforeStart.medianHours !== null).slice(0, 3)
      : [];

  return (
    <section className="attention" aria-labelledby="attention-heading">
      <h2 id="attention-heading">Where to look first</h2>
      {regressions.length > 0 ? (
        <ul className="attention-list attention-regressions" aria-label="Confirmed regressions">
          {regressions.map((alert) => (
            <RegressionItem key={alert.id} alert={alert} period={period} />
          ))}
        </ul>
      ) : null}
      {friction.status === 'loading' ? (
        <p className="muted" role="status">
          Ranking friction…
        </p>
      ) : friction.status === 'error' ? (
        <p role="alert">Could not rank friction: {friction.error.message}</p>
      ) : points.length === 0 ? (
        <p>No friction point costs developers measurable hours in this period.</p>
      ) : (
        <ol className="attention-list" aria-label="Friction points by hours lost">
          {points.map((row) => {
            const teams = row.teams
              .filter((team) => team.hoursPerWeek !== null && team.hoursPerWeek > 0)
              .sort((a, b) => (b.hoursPerWeek ?? 0) - (a.hoursPerWeek ?? 0))
              .slice(0, TEAMS_PER_POINT);
            return (
              <li key={row.friction.id}>
                <strong>{row.friction.title}</strong>:{' '}
                <Link href={`${buildNextPath(period)}&friction=${encodeURIComponent(row.friction.id)}`}>
                  {formatHoursPerWeek(row.hoursPerWeek)}
                </Link>{' '}
                across {row.breadth.affectedTeams} of {row.breadth.teams} teams ({row.confidence} confidence)
                {teams.length > 0 ? ' — most in ' : ''}
                {teams.map((team, i) => (
                  <span key={team.team.slug}>
                    {i > 0 ? ', ' : ''}
                    <Link href={teamPath(team.team.slug, period)}>
                      {team.team.name} {formatHoursPerWeek(team.hoursPerWeek)}
                    </Link>
                  </span>
                ))}
              </li>
            );
          })}
        </ol>
      )}
      {friction.status === 'ready' ? (
        // The ranking's survey evidence comes from closed rounds only; the server says which, and why.
        <p className="survey-round">
          <strong>Survey round:</strong>{' '}
          {friction.data.surveyRound
            ? `${friction.data.surveyRound.note} (the ranking uses closed rounds only, so its evidence does not move)`
            : 'no survey round has closed by the end of this period: the ranking uses telemetry only'}
          .
        </p>
      ) : null}
      <p className="attention-summary">
        <Link href={buildNextPath(period)}>What to build next</Link>: the readiness verdict and the
        capabilities that would give the most of these hours back.
      </p>
      {slowest.length > 0 ? (
        <p className="attention-summary">
          <strong>Slowest request categories</strong> (median wait before work starts):{' '}
          {slowest.map((group, i) => (
            <span key={group.key ?? NO_GROUP}>
              {i > 0 ? ', ' : ''}
              <Link
                href={`/waiting?${new URLSearchParams({
                  period,
                  groupBy: 'category',
                  drill: 'waitBeforeStart',
                  group: group.key ?? NO_GROUP,
                }).toString()}`}
              >
                {group.label} {formatHours(group.waitBeforeStart.medianHours)}
              </Link>
            </span>
          ))}{' '}
          — <Link href={`/waiting?period=${encodeURIComponent(period)}`}>Waiting on others</Link>
        </p>
      ) : null}
    </section>
  );
}

/** An open alert as one line: the team, the metric, baseline → now and how much worse, and the alert. */
function RegressionItem({ alert, period }: { alert: Alert; period: string }) {
  // The latest evaluation when it has figures, else the ones the alert fired on.
  const figures = alert.latest.change !== null ? alert.latest : alert.fired;
  return (
    <li>
      <strong>Regressed</strong>: <Link href={teamPath(alert.team.slug, period)}>{alert.team.name}</Link>{' '}
      {(METRIC_TITLES[alert.metric] ?? alert.metric).toLowerCase()}{' '}
      {formatAlertFigure(alert.metric, figures.baseline.value)} →{' '}
      {formatAlertFigure(alert.metric, figures.recent.value)}{' '}
      <strong>{formatAlertChange(alert.metric, figures.change)}</strong> ({alert.severity},{' '}
      <Link href={`/alerts?status=open#alert-${alert.id}`}>open alert</Link>)
    </li>
  );
}
