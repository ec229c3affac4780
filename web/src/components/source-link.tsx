import type { ReactNode } from 'react';
import { safeHref } from '../lib/safe-href.ts';

/**
 * A link out to a row's source (the pull request, commit, deployment or ticket), in a new tab. Anything but
 * an http(s) URL renders as plain text: a `javascript:` link from a sender must never become clickable.
 */
export function SourceLink({ href, label, children }: { href: unknown; label: string; children: ReactNode }) {
  const safe = safeHref(href);
  if (!safe) return <>{children}</>;
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer" className="source-link" aria-label={label}>
      {children}
      <span className="source-mark" aria-hidden="true">
        {' '}
        ↗
      </span>
    </a>
  );
}
