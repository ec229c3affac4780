import type { ChangeView } from '../features/metrics/change-text.ts';
import { Link } from '../lib/router.tsx';

/**
 * A figure's change against the previous period: arrow and size, coloured by whether it got better or
 * worse (decided on the server), with the word too so colour is never the only signal. With `href`, the
 * size links to the rows behind the figure.
 */
export function ChangeNote({ change, href }: { change: ChangeView | null; href?: string | undefined }) {
  if (!change) return <span className="change change-none">no previous figure</span>;
  const word = change.direction === 'unchanged' ? 'unchanged' : change.direction;
  return (
    <span className={`change change-${change.direction}`}>
      {href ? (
        <Link href={href} className="change-size">
          {change.text}
        </Link>
      ) : (
        <span className="change-size">{change.text}</span>
      )}{' '}
      <span className="change-word">{word}</span>{' '}
      <span className="change-was">
        vs previous period, {change.was}
        {change.smallSample ? ' · few samples' : ''}
      </span>
    </span>
  );
}
