import { lazy, Suspense } from 'react';
import { PageHeading } from './components/page-heading.tsx';
import { Loading } from './components/status.tsx';
import { OverviewPage } from './features/overview/overview-page.tsx';
import { Link, matchPath, useLocation } from './lib/router.tsx';

// The overview is the first page most people open, so it ships in the main bundle; the team page (and,
// inside it, Recharts) loads when first visited.
const TeamPage = lazy(() => import('./features/team/team-page.tsx'));
const SurveysPage = lazy(() => import('./features/surveys/surveys-page.tsx'));
const SurveyFormPage = lazy(() => import('./features/surveys/survey-form-page.tsx'));
const SurveyResultsPage = lazy(() => import('./features/surveys/survey-results-page.tsx'));
const DataSourcesPage = lazy(() => import('./features/data-sources/data-sources-page.tsx'));
const WaitingPage = lazy(() => import('./features/tickets/waiting-page.tsx'));
const BuildNextPage = lazy(() => import('./features/friction/build-next-page.tsx'));

function NotFound({ pathname }: { pathname: string }) {
  return (
    <>
      <PageHeading>Page not found</PageHeading>
      <p>
        Nothing lives at <code>{pathname}</code>. <Link href="/">Go to the overview.</Link>
      </p>
    </>
  );
}

function Route({ pathname }: { pathname: string }) {
  if (pathname === '/') return <OverviewPage />;
  const team = matchPath('/teams/:slug', pathname);
  if (team?.['slug']) return <TeamPage key={team['slug']} slug={team['slug']} />;
  if (pathname === '/surveys') return <SurveysPage />;
  const survey = matchPath('/surveys/:id', pathname);
  if (survey?.['id']) return <SurveyFormPage key={survey['id']} id={survey['id']} />;
  const results = matchPath('/surveys/:id/results', pathname);
  if (results?.['id']) return <SurveyResultsPage key={results['id']} id={results['id']} />;
  if (pathname === '/data-sources') return <DataSourcesPage />;
  if (pathname === '/waiting') return <WaitingPage />;
  if (pathname === '/build-next') return <BuildNextPage />;
  return <NotFound pathname={pathname} />;
}

export function App() {
  const { pathname } = useLocation();

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link href="/" className="brand">
          Groundwork
        </Link>
        <span className="tagline">Where developers lose time, per team</span>
        <nav aria-label="Main">
          <Link href="/" aria-current={pathname === '/' ? 'page' : undefined}>
            Overview
          </Link>
          <Link href="/build-next" aria-current={pathname === '/build-next' ? 'page' : undefined}>
            What to build next
          </Link>
          <Link href="/surveys" aria-current={pathname.startsWith('/surveys') ? 'page' : undefined}>
            Surveys
          </Link>
          <Link href="/data-sources" aria-current={pathname === '/data-sources' ? 'page' : undefined}>
            Data sources
          </Link>
          <Link href="/waiting" aria-current={pathname === '/waiting' ? 'page' : undefined}>
            Waiting on others
          </Link>
          <a href="/docs">API</a>
        </nav>
      </header>
      <main id="main">
        <Suspense fallback={<Loading what="the page" />}>
          <Route pathname={pathname} />
        </Suspense>
      </main>
    </>
  );
}
