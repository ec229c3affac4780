import { useEffect } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { ApiView, Empty } from '../../components/status.tsx';
import { formatCount, formatDateTime } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';
import type {
  CollectorStatus,
  Collectors,
  DataSources,
  LastEvent,
  Unattributed,
} from './data-sources.types.ts';

const AUTH: Record<LastEvent['authMethod'], string> = {
  token: 'token',
  signature: 'shared-secret signature',
  'github-signature': 'GitHub webhook signature',
};

function CollectorRow({ collector }: { collector: CollectorStatus }) {
  const run = collector.lastRun;
  return (
    <tr>
      <th scope="row">{collector.collector}</th>
      <td>
        {collector.running
          ? 'Running now'
          : !collector.configured
            ? 'Not configured'
            : collector.missingCredentials.length > 0
              ? 'Cannot run: missing credentials'
              : 'Configured'}
        {collector.configured ? null : (
          <span className="figure-sample">
            name what to collect under <code>{collector.configKey}</code> in groundwork.yaml
          </span>
        )}
        {collector.configured && collector.credentialsHint ? (
          <span className="figure-sample">
            missing {collector.missingCredentials.map((name) => name).join(', ')}: {collector.credentialsHint}
          </span>
        ) : null}
      </td>
      <td>
        {run ? (
          <>
            <span className={`run-status run-${run.status}`}>{run.status}</span>
            <span className="figure-sample">started {formatDateTime(run.startedAt)}</span>
          </>
        ) : (
          'never run'
        )}
      </td>
      <td>{formatDateTime(collector.lastSuccessAt)}</td>
      <td>
        {collector.lastError ? (
          <>
            <span className="figure-sample">{formatDateTime(collector.lastError.at)}</span>{' '}
            {collector.lastError.message}
          </>
        ) : (
          'none'
        )}
      </td>
      <td>
        {collector.nextRunAt ? formatDateTime(collector.nextRunAt) : 'not scheduled'}
        {collector.schedule ? <span className="figure-sample">cron {collector.schedule} (UTC)</span> : null}
      </td>
    </tr>
  );
}

function CollectorsTable({ collectors }: { collectors: CollectorStatus[] }) {
  return (
    <div className="table-scroll">
      <table className="sources-table">
        <caption>Collectors: what Groundwork pulls itself, on a schedule or on demand</caption>
        <thead>
          <tr>
            <th scope="col">Collector</th>
            <th scope="col">Status</th>
            <th scope="col">Last run</th>
            <th scope="col">Last success</th>
            <th scope="col">Last error</th>
            <th scope="col">Next run</th>
          </tr>
        </thead>
        <tbody>
          {collectors.map((collector) => (
            <CollectorRow key={collector.collector} collector={collector} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PushersTable({ pushers }: { pushers: DataSources['pushers'] }) {
  if (pushers.length === 0) {
    return (
      <Empty>
        <strong>Nothing has been pushed yet.</strong> CI/CD systems send deployments and incidents to{' '}
        <code>POST /api/v1/events/deployments</code> and <code>/api/v1/events/incidents</code> with a token
        from <code>npx groundwork token create --name ci --scope ingest</code> (see “Sending deployments and
        incidents” in the README); GitHub sends <code>deployment_status</code> to{' '}
        <code>/api/v1/webhooks/github</code>.
      </Empty>
    );
  }
  return (
    <div className="table-scroll">
      <table className="sources-table">
        <caption>Pushes: the last event each source sent, per token or signature</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Sent with</th>
            <th scope="col">Last received</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          {pushers.map((pusher) => (
            <tr key={`${pusher.source}:${pusher.authMethod}:${pusher.tokenName ?? ''}`}>
              <th scope="row">{pusher.source}</th>
              <td>{pusher.tokenName ? `token “${pusher.tokenName}”` : AUTH[pusher.authMethod]}</td>
              <td>{formatDateTime(pusher.receivedAt)}</td>
              <td>
                {pusher.kind}, {formatCount(pusher.itemCount, 'item')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StoredTable({ sources }: { sources: DataSources['sources'] }) {
  return (
    <div className="table-scroll">
      <table className="sources-table">
        <caption>
          Stored events per source (unattributed: no team owned the service or repository then)
        </caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Deployments</th>
            <th scope="col">Incidents</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => (
            <tr key={source.source}>
              <th scope="row">{source.source}</th>
              {(['deployments', 'incidents'] as const).map((table) => (
                <td key={table}>
                  {formatCount(source[table].total, table.slice(0, -1))}
                  {source[table].unattributed > 0 ? (
                    <span className="figure-reason">{source[table].unattributed} unattributed</span>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UnattributedList({ what, unattributed }: { what: string; unattributed: Unattributed }) {
  if (unattributed.count === 0) return <p>Every stored {what.slice(0, -1)} belongs to a team.</p>;
  return (
    <>
      <p>
        <strong>{formatCount(unattributed.count, what.slice(0, -1))}</strong> no team owns: they count for the
        organisation, not for any team, until groundwork.yaml names an owner. The commonest:
      </p>
      <ul>
        {unattributed.examples.map((example) => (
          <li key={`${example.service ?? ''}:${example.repository ?? ''}`}>
            {example.service ? (
              <>
                service <code>{example.service}</code>
              </>
            ) : null}
            {example.service && example.repository ? ', ' : null}
            {example.repository ? (
              <>
                repository <code>{example.repository}</code>
              </>
            ) : null}
            : {formatCount(example.count, what.slice(0, -1))}
          </li>
        ))}
      </ul>
    </>
  );
}

/** `/data-sources`: why a number is missing — collectors, pushes and what no team owns. */
export default function DataSourcesPage() {
  const sources = useApi<DataSources>('/api/v1/data-sources');
  const collectors = useApi<Collectors>('/api/v1/collectors');
  useEffect(() => {
    document.title = 'Data sources · Groundwork';
  }, []);
  return (
    <>
      <div className="page-heading">
        <div>
          <PageHeading>Data sources</PageHeading>
          <p className="lede">
            Where every number comes from: each collector’s runs, the last push from each CI/CD token, and the
            events no team owns yet — so a missing figure has a visible reason.
          </p>
        </div>
      </div>
      <section className="panel" aria-labelledby="collectors-heading">
        <h2 id="collectors-heading">Collectors</h2>
        <ApiView state={collectors} what="the collectors’ status">
          {(data) => <CollectorsTable collectors={data.collectors} />}
        </ApiView>
      </section>
      <ApiView state={sources} what="the data sources">
        {(data) => (
          <>
            <section className="panel" aria-labelledby="pushes-heading">
              <h2 id="pushes-heading">Pushed events</h2>
              <PushersTable pushers={data.pushers} />
            </section>
            <section className="panel" aria-labelledby="stored-heading">
              <h2 id="stored-heading">Stored events</h2>
              {data.sources.length === 0 ? (
                <Empty>No deployment or incident is stored yet.</Empty>
              ) : (
                <StoredTable sources={data.sources} />
              )}
            </section>
            <section className="panel" aria-labelledby="unattributed-heading">
              <h2 id="unattributed-heading">Unattributed events</h2>
              <UnattributedList what="deployments" unattributed={data.unattributed.deployments} />
              <UnattributedList what="incidents" unattributed={data.unattributed.incidents} />
            </section>
          </>
        )}
      </ApiView>
    </>
  );
}
