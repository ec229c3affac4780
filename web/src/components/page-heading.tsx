import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { hasNavigated } from '../lib/router.tsx';

/**
 * A page's h1. After an in-app navigation it takes the focus, so keyboard and screen-reader users start
 * at the top of the new page instead of on the link they left behind.
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (hasNavigated()) heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children}
    </h1>
  );
}
