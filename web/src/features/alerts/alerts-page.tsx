import { PageHeading } from '../../components/page-heading.tsx';
import { ApiView, Empty } from '../../components/status.tsx';
import { formatDate, formatHours } from '../../lib/format.ts';
import { Link, useLocation, withQuery } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { alertsUrl, METRIC_TITLES } from './alerts.api.ts';
import { formatAlertChange, formatAlertFigure } from './alert-format.ts';
import type { Alert, AlertList } from './alerts.types.ts';

const STATUSES = [
  { value: null, label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'acknowledged', label: 'Acknowledged' },
  { value: 'resolved', label: 'Resolved' },
] as const;

type Window = Alert['fired']['recent'];

/** A survey round's figure with its respondents, e.g. "80.0 % favourable in 2026-Q1 (10 respondents)". */
function roundFigure(window: Window): string {
  const quarter = window.round?.quarter ?? 'no published round';
  if (window.value === null) return `withheld or no result in ${quarter}`;
  return `${formatAlertFigure('surveyDriver', window.value)} in ${quarter} (${window.samples} respondents)`;
}

/** What drove a survey driver's alert: the driver, both rounds, and the published results behind them. */
function SurveyDriverDrivers({ alert }: { alert: Alert }) {
  const { fired, drivers } = alert;
  const survey = drivers.survey;
  return (
    <>
      <p>
        The driver <strong>{survey?.title ?? 'unknown'}</strong>: {roundFigure(fired.baseline)} →{' '}
        {roundFigure(fired.recent)}.
      </p>
      <p>
        {[fired.baseline.round, fired.recent.round].map((round, index) =>
          round ? (
            <span key={round.surveyId}>
              {index > 0 ? ' · ' : ''}
              <Link href={`/surveys/${encodeURIComponent(round.surveyId)}/results`}>
                {round.quarter} survey results
              </Link>
            </span>
          ) : null,
        )}
      </p>
    </>
  );
}

const STAGE_NAMES: Record<string, string> = {
  coding: 'coding',
  pickup: 'review pickup',
  review: 'review',
  deployWait: 'deploy wait',
};

function AlertCard({ alert }: { alert: Alert }) {
  const { fired, latest, drivers } = alert;
  const title = `${METRIC_TITLES[alert.metric] ?? alert.metric}: ${alert.team.name}`;
  const survey = alert.metric === 'surveyDriver';
  const samples =
    alert.metric === 'ticketWait' || survey
      ? null
      : `/api/v1/teams/${encodeURIComponent(alert.team.slug)}/metrics/${alert.metric}/samples?from=${encodeURIComponent(alert.firedWindow.from)}&to=${encodeURIComponent(alert.firedWindow.to)}`;
  return (
    <article
      className={`panel alert-card alert-${alert.status}`}
      id={`alert-${alert.id}`}
      aria-labelledby={`alert-${alert.id}-title`}
    >
      <h2 id={`alert-${alert.id}-title`}>
        {title} <span className={`badge severity-${alert.severity}`}>{alert.severity}</span>{' '}
        <span className="badge">{alert.status}</span>
      </h2>
      <p>
        Fired {formatDate(alert.openedAt)} (rule <code>{alert.rule}</code>): baseline{' '}
        {formatAlertFigure(alert.metric, fired.baseline.value)} →{' '}
        {formatAlertFigure(alert.metric, fired.recent.value)}{' '}
        <strong>{formatAlertChange(alert.metric, fired.change)}</strong>,{' '}
        {survey
          ? `${fired.recent.samples} respondents in the latest round, ${fired.baseline.samples} in the round before`
          : `${fired.recent.samples} samples in the last window, ${fired.baseline.samples} in the baseline`}
        {fired.qValue === null
          ? ''
          : fired.qValue < 0.001
            ? ', q < 0.001'
            : `, q = ${fired.qValue.toFixed(3)}`}
        .{alert.resolvedAt ? ` Resolved ${formatDate(alert.resolvedAt)}.` : ''}
        {alert.acknowledgedAt
          ? ` Acknowledged ${formatDate(alert.acknowledgedAt)} by ${alert.acknowledgedBy ?? 'admin'}.`
          : ''}
      </p>
      {alert.status !== 'resolved' && latest.recent.to !== fired.recent.to ? (
        <p>
          Latest evaluation: {formatAlertFigure(alert.metric, latest.recent.value)} (
          {formatAlertChange(alert.metric, latest.change)}).
        </p>
      ) : null}
      {alert.lateDataNote ? <p className="note">Updated: {alert.lateDataNote}.</p> : null}
      <h3>What drove it</h3>
      {drivers.stage ? (
        <p>
          The stage that moved: <strong>{STAGE_NAMES[drivers.stage.name] ?? drivers.stage.name}</strong>,
          median {formatHours(drivers.stage.baselineHours)} → {formatHours(drivers.stage.recentHours)}.
        </p>
      ) : null}
      {survey ? (
        <SurveyDriverDrivers alert={alert} />
      ) : drivers.top.length > 0 ? (
        <ol className="alert-drivers" aria-label={`Slowest in the window for ${alert.team.name}`}>
          {drivers.top.map((row) => (
            <li key={`${row.label}-${row.at}`}>
              {row.label}: {formatAlertFigure(alert.metric, row.value)} ({formatDate(row.at)})
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No single change stands out.</p>
      )}
      <p>
        <Link href={`/teams/${encodeURIComponent(alert.team.slug)}`}>Team page</Link>
        {samples ? (
          <>
            {' · '}
            <a href={samples}>The samples behind it (JSON)</a>
          </>
        ) : null}
      </p>
      {alert.events.length > 0 ? (
        <details>
          <summary>History ({alert.events.length})</summary>
          <ul>
            {alert.events.map((event, index) => (
              <li key={index}>
                {formatDate(event.at)}: {event.kind}, {event.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </article>
  );
}

/** Alerts on regressed metrics: open first, each with what drove it. */
export default function AlertsPage() {
  const location = useLocation();
  const status = location.search.get('status') ?? undefined;
  const state = useApi<AlertList>(alertsUrl({ status }));
  return (
    <>
      <PageHeading>Alerts</PageHeading>
      <p className="lead">
        A rule fires when a team's metric is worse than its baseline by the rule's threshold and the change is
        significant after correcting for testing every team at once. Rules live in <code>alerts:</code> in
        groundwork.yaml.
      </p>
      <nav aria-label="Alert status" className="alert-status-filter">
        {STATUSES.map((option) => (
          <Link
            key={option.label}
            href={withQuery(location, { status: option.value })}
            aria-current={(status ?? null) === option.value ? 'page' : undefined}
          >
            {option.label}
          </Link>
        ))}
      </nav>
      <ApiView state={state} what="the alerts">
        {(data) => (
          <>
            <p>
              {data.counts.open} open, {data.counts.acknowledged} acknowledged, {data.counts.resolved}{' '}
              resolved.
            </p>
            {data.alerts.length === 0 ? (
              <Empty>No alerts{status ? ` with status ${status}` : ''}: no team's metrics regressed.</Empty>
            ) : (
              data.alerts.map((alert) => <AlertCard key={alert.id} alert={alert} />)
            )}
          </>
        )}
      </ApiView>
    </>
  );
}
