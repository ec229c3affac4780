import { Link } from '../../lib/router.tsx';
import { teamPath } from '../teams/teams.api.ts';
import type { RecommendationsReport } from './friction.types.ts';
import { formatHoursPerWeek, formatMoney } from './friction-format.ts';

const STATUS: Record<string, string> = {
  buildable: 'ready to build',
  blocked: 'blocked',
  shipped: 'shipped',
};

/** The capabilities in the server's order: hours recovered, value, payback, who gains, what blocks it. */
export function CapabilityTable({ report }: { report: RecommendationsReport }) {
  const { settings } = report;
  return (
    <section aria-labelledby="capabilities-heading">
      <h2 id="capabilities-heading">What the platform team could build, ranked</h2>
      <p className="muted">
        Recovered hours = Σ share × hours lost of each friction point it addresses; value per year = hours ×{' '}
        {settings.workingWeeksPerYear} weeks × {formatMoney(settings.hourlyCost, settings.currency)}; payback
        = effort × {settings.platformTeamSize} people × 40 h ÷ recovered hours.
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Capabilities, scrollable">
        <table className="capability-table">
          <caption className="visually-hidden">Capabilities ranked by payback</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Capability</th>
              <th scope="col">Recovers</th>
              <th scope="col">Value per year</th>
              <th scope="col">Effort</th>
              <th scope="col">Payback</th>
              <th scope="col">Gains most</th>
              <th scope="col">Status</th>
              <th scope="col">Developers’ vote</th>
            </tr>
          </thead>
          <tbody>
            {report.recommendations.map((r) => (
              <tr key={r.capability.id}>
                <td>{r.rank}</td>
                <th scope="row">
                  {r.capability.title}
                  <div className="muted small">
                    {r.addresses
                      .map((a) => `${Math.round(a.share * 100)} % of ${a.title.toLowerCase()}`)
                      .join('; ')}
                  </div>
                </th>
                <td>{formatHoursPerWeek(r.recoveredHoursPerWeek)}</td>
                <td>{formatMoney(r.valuePerYear, r.currency)}</td>
                <td>{r.effortTeamWeeks} team-weeks</td>
                <td>{r.paybackWeeks === null ? '—' : `${Math.round(r.paybackWeeks * 10) / 10} weeks`}</td>
                <td>
                  {r.teamsGainingMost.length === 0
                    ? '—'
                    : r.teamsGainingMost.map((t, i) => (
                        <span key={t.team.slug}>
                          {i > 0 ? ', ' : ''}
                          <Link href={teamPath(t.team.slug, report.period)}>{t.team.name}</Link>
                        </span>
                      ))}
                </td>
                <td>
                  {STATUS[r.status]}
                  {r.unmetPrerequisites.length > 0 ? ` (needs ${r.unmetPrerequisites.join(', ')})` : ''}
                </td>
                <td>
                  {r.vote === null
                    ? 'not asked'
                    : 'suppressed' in r.vote
                      ? `withheld: ${r.vote.reason}`
                      : `${Math.round(r.vote.percent)} % chose “${r.vote.label}”`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
