import { lazy, Suspense, useEffect, useState } from 'react';
import { PageHeading } from './components/page-heading.tsx';
import { Loading } from './components/status.tsx';
import { OverviewPage } from './features/overview/overview-page.tsx';
import { isPublicPage, useSession } from './features/access/session.ts';
import { SessionBadge, SignInPage } from './features/access/sign-in-page.tsx';
import { Link, matchPath, useLocation } from './lib/router.tsx';
import { AlertsNavLink } from './features/alerts/alerts-nav-link.tsx';

// The overview is the first page most people open, so it ships in the main bundle; the team page (and,
// inside it, Recharts) loads when first visited.
const TeamPage = lazy(() => import('./features/team/team-page.tsx'));
const SurveysPage = lazy(() => import('./features/surveys/surveys-page.tsx'));
const SurveyFormPage = lazy(() => import('./features/surveys/survey-form-page.tsx'));
const SurveyResultsPage = lazy(() => import('./features/surveys/survey-results-page.tsx'));
const DataSourcesPage = lazy(() => import('./features/data-sources/data-sources-page.tsx'));
const WaitingPage = lazy(() => import('./features/tickets/waiting-page.tsx'));
const BuildNextPage = lazy(() => import('./features/friction/build-next-page.tsx'));
const AccessPage = lazy(() => import('./features/access/access-page.tsx'));
const AlertsPage = lazy(() => import('./features/alerts/alerts-page.tsx'));

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
  if (pathname === '/access') return <AccessPage />;
  if (pathname === '/alerts') return <AlertsPage />;
  return <NotFound pathname={pathname} />;
}

export function App() {
  const { pathname } = useLocation();
  // On a phone the navigation folds behind a Menu button; it closes again on every navigation.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [pathname]);
  const session = useSession();
  const signedOut = session.status === 'ready' && !session.data.signedIn && !isPublicPage(pathname);
  const isAdmin = session.status === 'ready' && session.data.role === 'admin' && session.data.mode !== 'open';

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
        <button
          type="button"
          className="nav-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav aria-label="Main" id="main-nav" className={menuOpen ? 'nav-open' : undefined}>
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
          {isAdmin && (
            <Link href="/access" aria-current={pathname === '/access' ? 'page' : undefined}>
              Access
            </Link>
          )}
          <AlertsNavLink current={pathname === '/alerts'} />
          <a href="/docs">API</a>
        </nav>
        {session.status === 'ready' && <SessionBadge session={session.data} />}
      </header>
      <main id="main">
        <Suspense fallback={<Loading what="the page" />}>
          {session.status === 'loading' ? (
            <Loading what="the session" />
          ) : signedOut && session.status === 'ready' ? (
            <SignInPage session={session.data} />
          ) : (
            <Route pathname={pathname} />
          )}
        </Suspense>
      </main>
    </>
  );
}
