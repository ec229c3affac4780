import type { ReactNode } from 'react';

/**
 * A wide table's own horizontal scroll: a labelled region a keyboard can reach and scroll (axe's
 * scrollable-region-focusable), with a visible hint on narrow screens, so the page itself never scrolls
 * sideways.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll-region">
      <p className="scroll-hint" aria-hidden="true">
        Scroll the table sideways for more columns →
      </p>
      <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
        {children}
      </div>
    </div>
  );
}
