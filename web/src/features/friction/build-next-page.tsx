import { useEffect } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { PeriodPicker } from '../../components/period-picker.tsx';
import { ApiView } from '../../components/status.tsx';
import { describePeriod } from '../../lib/period.ts';
import { useLocation } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { CapabilityTable } from './capability-table.tsx';
import { frictionUrl, readinessUrl, recommendationsUrl, reportUrl } from './friction.api.ts';
import type { FrictionReport, ReadinessReport, RecommendationsReport } from './friction.types.ts';
import { FrictionChart } from './friction-chart.tsx';
import { FrictionTable } from './friction-table.tsx';
import { VerdictBanner } from './verdict-banner.tsx';

/**
 * `/build-next`: should this organisation build a platform, where do developers lose the most time, and
 * which capability would give the most of it back. Every figure, order and verdict is the server's.
 */
export default function BuildNextPage() {
  const location = useLocation();
  const period = location.search.get('period');
  const friction = useApi<FrictionReport>(frictionUrl(period));
  const readiness = useApi<ReadinessReport>(readinessUrl(period));
  const recommendations = useApi<RecommendationsReport>(recommendationsUrl(period));
  const label = friction.status === 'ready' ? friction.data.period : period;
  useEffect(() => {
    document.title = `What to build next${label ? ` · ${describePeriod(label)}` : ''} · Groundwork`;
  }, [label]);

  return (
    <>
      <div className="page-heading">
        <div>
          <PageHeading>What to build next</PageHeading>
          <p className="lede">
            Where developers lose time, ranked by developer-hours per week, and which platform capability
            would give the most of it back — or whether to fix delivery, or the few friction points, first.
          </p>
        </div>
        {label ? <PeriodPicker period={label} /> : null}
      </div>
      <ApiView state={readiness} what="the readiness verdict">
        {(data) => <VerdictBanner readiness={data} />}
      </ApiView>
      <ApiView state={friction} what="the friction ranking">
        {(data) => (
          <section aria-labelledby="friction-heading">
            <h2 id="friction-heading">Where developers lose time</h2>
            <p className="period-line">
              {describePeriod(data.period)}, {data.weeks} weeks · survey evidence:{' '}
              {data.surveyRound ? data.surveyRound.note : 'no closed survey round'} · report:{' '}
              <a href={reportUrl(data.period, 'html')}>HTML</a>,{' '}
              <a href={reportUrl(data.period, 'pdf')}>PDF</a>,{' '}
              <a href={reportUrl(data.period, 'md')}>Markdown</a>,{' '}
              <a href={reportUrl(data.period, 'csv')}>CSV</a>
            </p>
            <FrictionChart rows={data.frictions} />
            <FrictionTable report={data} />
          </section>
        )}
      </ApiView>
      <ApiView state={recommendations} what="the recommendations">
        {(data) => <CapabilityTable report={data} />}
      </ApiView>
    </>
  );
}
