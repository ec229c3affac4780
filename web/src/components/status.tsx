import type { ReactNode } from 'react';
import { ApiError } from '../lib/api-client.ts';
import type { ApiState } from '../lib/use-api.ts';

export function Loading({ what }: { what: string }) {
  return (
    <p className="status status-loading" role="status" aria-busy="true">
      Loading {what}…
    </p>
  );
}

export function ErrorMessage({ what, error }: { what: string; error: Error }) {
  const detail =
    error instanceof ApiError ? `${error.message} (${error.code}, HTTP ${error.status})` : error.message;
  return (
    <div className="status status-error" role="alert">
      <strong>Could not load {what}.</strong> {detail}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="status status-empty">{children}</div>;
}

/** The loading and error states every fetched view shares; `children` renders the data once it is here. */
export function ApiView<T>({
  state,
  what,
  children,
}: {
  state: ApiState<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'loading') return <Loading what={what} />;
  if (state.status === 'error') return <ErrorMessage what={what} error={state.error} />;
  return <>{children(state.data)}</>;
}

/** Text only screen readers announce (a chart's summary, a column's unit). */
export function VisuallyHidden({ children }: { children: ReactNode }) {
  return <span className="visually-hidden">{children}</span>;
}
