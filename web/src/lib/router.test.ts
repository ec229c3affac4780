import { describe, expect, test } from 'vitest';
import { matchPath, withQuery } from './router.tsx';

describe('matchPath', () => {
  test('extracts and decodes parameters', () => {
    expect(matchPath('/teams/:slug', '/teams/checkout')).toEqual({ slug: 'checkout' });
    expect(matchPath('/teams/:slug', '/teams/data%20platform/')).toEqual({ slug: 'data platform' });
    expect(matchPath('/', '/')).toEqual({});
  });

  test('no match on other paths or malformed escapes', () => {
    expect(matchPath('/teams/:slug', '/teams')).toBeNull();
    expect(matchPath('/teams/:slug', '/teams/a/b')).toBeNull();
    expect(matchPath('/teams/:slug', '/people/a')).toBeNull();
    expect(matchPath('/teams/:slug', '/teams/%E0%A4%A')).toBeNull();
  });
});

describe('withQuery', () => {
  const location = {
    pathname: '/teams/checkout',
    search: new URLSearchParams('period=last-90d&drill=leadTime'),
    href: '/teams/checkout?period=last-90d&drill=leadTime',
  };

  test('sets and removes parameters, keeping the others', () => {
    expect(withQuery(location, { drill: 'recoveryTime' })).toBe(
      '/teams/checkout?period=last-90d&drill=recoveryTime',
    );
    expect(withQuery(location, { drill: null })).toBe('/teams/checkout?period=last-90d');
    expect(withQuery(location, { drill: null, period: null })).toBe('/teams/checkout');
  });

  test('does not change the location it was given', () => {
    withQuery(location, { period: '2026-Q3' });
    expect(location.search.get('period')).toBe('last-90d');
  });
});
