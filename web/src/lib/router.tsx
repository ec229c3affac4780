/**
 * A small History-API router. The dashboard has a handful of routes whose state lives in the query
 * string (period, team, drill-down), and no nested layouts, loaders or actions: react-router would put
 * tens of kilobytes of features this app does not use on the first page. When the app grows past
 * plain path patterns (issue 7's five pages still fit), replace this file with react-router; the pages
 * only use `useLocation`, `navigate`, `matchPath` and `<Link>`.
 */
import { useSyncExternalStore } from 'react';
import type { AnchorHTMLAttributes, MouseEvent } from 'react';

export interface Location {
  pathname: string;
  search: URLSearchParams;
  /** pathname + search, as it appears in the address bar. */
  href: string;
}

const listeners = new Set<() => void>();
const NAVIGATE_EVENT = 'groundwork:navigate';

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    window.addEventListener('popstate', onPopState);
    window.addEventListener(NAVIGATE_EVENT, notify);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.removeEventListener('popstate', onPopState);
      window.removeEventListener(NAVIGATE_EVENT, notify);
    }
  };
}

function onPopState(): void {
  navigations += 1;
  notify();
}

function notify(): void {
  for (const listener of listeners) listener();
}

const currentHref = () => `${window.location.pathname}${window.location.search}`;

let cached: Location | null = null;
function snapshot(): Location {
  const href = currentHref();
  // useSyncExternalStore needs the same object while nothing changed.
  if (cached?.href !== href) {
    cached = {
      pathname: window.location.pathname,
      search: new URLSearchParams(window.location.search),
      href,
    };
  }
  return cached;
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, snapshot);
}

let navigations = 0;

/** Whether the app has navigated since the page loaded (a fresh load keeps the browser's own focus). */
export function hasNavigated(): boolean {
  return navigations > 0;
}

/** Goes to `href` (same origin). `replace` for changes that should not add a Back step. */
export function navigate(href: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
  if (href === currentHref()) return;
  navigations += 1;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  if (!options.keepScroll) window.scrollTo(0, 0);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** `href` with some query parameters set (a string) or removed (null), keeping the others. */
export function withQuery(location: Location, changes: Record<string, string | null>): string {
  const search = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) search.delete(key);
    else search.set(key, value);
  }
  const query = search.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}

/** Matches `/teams/:slug` style patterns; returns the decoded parameters, or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = pathname.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] ?? '';
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (part !== actual) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & {
  href: string;
  replace?: boolean;
  /** Stay where the page is scrolled (for links that change a part of the page). */
  keepScroll?: boolean;
};

/** An ordinary link (open in a new tab, copy address all work) that navigates without a reload. */
export function Link({ href, replace, keepScroll, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || event.button !== 0 || modified || rest.target) return;
    event.preventDefault();
    navigate(href, { replace: replace ?? false, keepScroll: keepScroll ?? false });
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}
