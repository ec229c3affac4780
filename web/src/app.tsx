import { lazy, Suspense } from 'react';
import { PageHeading } from './components/page-heading.tsx';
import { Loading } from './components/status.tsx';
import { OverviewPage } from './features/overview/overview-page.tsx';
import { Link, matchPath, useLocation } from './lib/router.tsx';

// The overview is the first page most people open, so it ships in the main bundle; the team page (and,
// inside it, Recharts) loads when first visited.
const TeamPage = lazy(() => import('./features/team/team-page.tsx'));

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
