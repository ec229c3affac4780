import type { ReactNode } from 'react';
import { Link, useLocation, withQuery } from '../lib/router.tsx';

/**
 * One figure as a card — its value and unit, why there is none, details, sample size — where every number
 * opens the rows behind it (`drill`), and a toggle shows or hides them below the cards. The team page's
 * DORA cards and its Build and test cards are both these.
 */
export function FigureCard({
  title,
  value,
  unit,
  reason,
  details,
  sample,
  drill,
  open,
  rows,
  afterValue,
  afterSample,
  footer,
}: {
  title: string;
  value: string;
  unit: string;
  reason: string | null;
  details: readonly string[];
  sample: string;
  /** The drill-down the card's numbers open (the `drill` query parameter). */
  drill: string;
  open: boolean;
  /** What the rows are, in the links' words: "rows", "runs". */
  rows: string;
  afterValue?: ReactNode;
  afterSample?: ReactNode;
  footer?: ReactNode;
}) {
  const location = useLocation();
  const reset = { page: null, sort: null, order: null };
  const behind = withQuery(location, { drill, ...reset });
  return (
    <li className={open ? 'metric-card metric-card-open' : 'metric-card'}>
      <h3>{title}</h3>
      <p className="metric-value">
        <Link href={behind} keepScroll aria-label={`${value}: the ${rows} behind ${title.toLowerCase()}`}>
          {value}
        </Link>
      </p>
      <p className="metric-unit">{unit}</p>
      {afterValue}
      {reason ? <p className="metric-reason">No figure: {reason}</p> : null}
      <ul className="metric-details">
        {details.map((detail) => (
          <li key={detail}>{detail}</li>
        ))}
      </ul>
      <p className="metric-sample">
        <Link href={behind} keepScroll>
          {sample}
        </Link>
        {afterSample}
      </p>
      {footer}
      <Link
        className="metric-drill"
        href={withQuery(location, { drill: open ? null : drill, ...reset })}
        keepScroll
        aria-expanded={open}
      >
        {open ? `Hide the ${rows}` : `Show the ${rows} behind it`}
      </Link>
    </li>
  );
}
