import { Fragment } from 'react';
import { Link, navigate, useLocation, withQuery } from '../../lib/router.tsx';
import { teamPath } from '../teams/teams.api.ts';
import type { FrictionReport, FrictionRow, TeamFriction } from './friction.types.ts';
import { formatHoursPerWeek, surveyText } from './friction-format.ts';

/**
 * The ranking as the server ordered it. Each hours figure opens the teams behind it — every source shown
 * separately, with links to the rows behind each (survey results, ticket drill-down, PR and deploy samples).
 * The open one is in the URL (`friction=<id>`), so the overview's figures can link straight to it.
 */
export function FrictionTable({ report }: { report: FrictionReport }) {
  const location = useLocation();
  const open = location.search.get('friction');
  const toggle = (id: string) =>
    navigate(withQuery(location, { friction: open === id ? null : id }), { replace: true, keepScroll: true });
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Friction ranking, scrollable">
      <table className="friction-table">
        <caption className="visually-hidden">Friction points ranked by hours lost</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Friction</th>
            <th scope="col">Hours lost</th>
            <th scope="col">Teams affected</th>
            <th scope="col">Confidence</th>
            <th scope="col">Survey · tickets (calendar → blocked) · delivery</th>
            <th scope="col">Previous period</th>
          </tr>
        </thead>
        <tbody>
          {report.frictions.map((row) => (
            <Fragment key={row.friction.id}>
              <tr>
                <td>{row.rank}</td>
                <th scope="row">{row.friction.title}</th>
                <td>
                  {row.hoursPerWeek === null ? (
                    '—'
                  ) : (
                    <button
                      type="button"
                      className="link-button"
                      aria-expanded={open === row.friction.id}
                      aria-controls={`teams-${row.friction.id}`}
                      onClick={() => toggle(row.friction.id)}
                    >
                      {formatHoursPerWeek(row.hoursPerWeek)}
                    </button>
                  )}
                </td>
                <td>
                  {row.breadth.affectedTeams} of {row.breadth.teams}
                </td>
                <td>
                  <span title={row.confidenceReasons.join('; ')}>{row.confidence}</span>
                  {row.disagreement.flagged ? ' · sources disagree' : ''}
                </td>
                <td>{sourcesText(row)}</td>
                <td>{formatHoursPerWeek(row.trend.previousHoursPerWeek)}</td>
              </tr>
              {open === row.friction.id ? (
                <tr id={`teams-${row.friction.id}`}>
                  <td colSpan={7}>
                    <TeamBreakdown row={row} period={report.period} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function sourcesText(row: FrictionRow): string {
  const s = row.sources;
  return [
    s.surveyHoursPerWeek === null ? 'survey —' : `survey ${formatHoursPerWeek(s.surveyHoursPerWeek)}`,
    s.ticketCalendarHoursPerWeek === null
      ? null
      : `tickets ${formatHoursPerWeek(s.ticketCalendarHoursPerWeek)} → ${formatHoursPerWeek(s.ticketBlockedHoursPerWeek)}`,
    s.deliveryHoursPerWeek === null ? null : `delivery ${formatHoursPerWeek(s.deliveryHoursPerWeek)}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

function TeamBreakdown({ row, period }: { row: FrictionRow; period: string }) {
  const teams = [...row.teams].sort((a, b) => (b.hoursPerWeek ?? -1) - (a.hoursPerWeek ?? -1));
  return (
    <table className="chart-table team-breakdown" aria-label={`${row.friction.title} by team`}>
      <thead>
        <tr>
          <th scope="col">Team</th>
          <th scope="col">Hours lost</th>
          <th scope="col">Survey</th>
          <th scope="col">Tickets</th>
          <th scope="col">Delivery</th>
          <th scope="col">Confidence</th>
          <th scope="col">Rows behind it</th>
        </tr>
      </thead>
      <tbody>
        {teams.map((team) => (
          <tr key={team.team.slug}>
            <th scope="row">
              <Link href={teamPath(team.team.slug, period)}>{team.team.name}</Link>
            </th>
            <td>
              {formatHoursPerWeek(team.hoursPerWeek)}
              {team.basis ? <span className="muted small"> ({team.basis})</span> : null}
            </td>
            <td>{surveyText(team)}</td>
            <td>{ticketText(team)}</td>
            <td>{deliveryText(team)}</td>
            <td>
              <span title={team.confidenceReasons.join('; ')}>{team.confidence}</span>
              {team.disagreement?.flagged ? ' · disagree' : ''}
            </td>
            <td>
              {team.evidence.map((link, i) => (
                <span key={link.href}>
                  {i > 0 ? ' · ' : ''}
                  <a href={link.href}>{link.label}</a>
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ticketText(team: TeamFriction): string {
  const t = team.tickets;
  if (!t) return '—';
  if (t.calendarHoursPerWeek === null) return t.reason ?? '—';
  return `${t.tickets} requests: ${formatHoursPerWeek(t.calendarHoursPerWeek)} waiting → ${formatHoursPerWeek(t.blockedHoursPerWeek)} blocked`;
}

function deliveryText(team: TeamFriction): string {
  const parts = team.telemetry.map((m) =>
    m.hoursPerWeek === null
      ? `${m.label}: ${m.reason ?? '—'}`
      : `${m.label}: ${formatHoursPerWeek(m.hoursPerWeek)}`,
  );
  return parts.length > 0 ? parts.join('; ') : '—';
}
