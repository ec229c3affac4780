import { useEffect, useState } from 'react';
import { getJson } from './api-client.ts';

export type ApiState<T> =
  { status: 'loading' } | { status: 'error'; error: Error } | { status: 'ready'; data: T };

/** Answers kept for the page's life, for `{ keep: true }` requests (the team list, not metrics). */
const kept = new Map<string, unknown>();

/**
 * Fetches `url` and follows it as it changes, aborting the request it replaces so a slow answer for an
 * old period never overwrites the new one. `keep` reuses an earlier answer for the same URL, for data
 * that changes only with the configuration (the team list); metrics are always fetched afresh.
 */
export function useApi<T>(url: string, options: { keep?: boolean } = {}): ApiState<T> {
  const keep = options.keep ?? false;
  const initial = (): ApiState<T> =>
    keep && kept.has(url) ? { status: 'ready', data: kept.get(url) as T } : { status: 'loading' };
  const [state, setState] = useState<{ url: string; value: ApiState<T> }>(() => ({ url, value: initial() }));
  useEffect(() => {
    if (keep && kept.has(url)) {
      setState({ url, value: { status: 'ready', data: kept.get(url) as T } });
      return;
    }
    const controller = new AbortController();
    getJson<T>(url, controller.signal).then(
      (data) => {
        if (keep) kept.set(url, data);
        setState({ url, value: { status: 'ready', data } });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const value = error instanceof Error ? error : new Error(String(error));
        setState({ url, value: { status: 'error', error: value } });
      },
    );
    return () => controller.abort();
  }, [url, keep]);
  // Until the effect has answered for this url, the state still describes the previous one.
  if (state.url === url) return state.value;
  return initial();
}
