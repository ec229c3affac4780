import type { ChangeView } from '../features/metrics/change-text.ts';

/**
 * A figure's change against the previous period: arrow and size, coloured by whether it got better or
 * worse (decided on the server), with the word too so colour is never the only signal.
 */
export function ChangeNote({ change }: { change: ChangeView | null }) {
  if (!change) return <span className="change change-none">no previous figure</span>;
  const word = change.direction === 'unchanged' ? 'unchanged' : change.direction;
  return (
    <span className={`change change-${change.direction}`}>
      <span className="change-size">{change.text}</span> <span className="change-word">{word}</span>{' '}
      <span className="change-was">
        vs previous period, {change.was}
        {change.smallSample ? ' · few samples' : ''}
      </span>
    </span>
  );
}
