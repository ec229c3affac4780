import { useId, useMemo } from 'react';
import { periodOptions } from '../lib/period.ts';
import { navigate, useLocation, withQuery } from '../lib/router.tsx';

/**
 * Chooses the period; it lives in the URL's `period` parameter so the page can be shared as it is.
 * The choices are anchored on this browser's clock (the API resolves the label itself).
 */
export function PeriodPicker({ period }: { period: string }) {
  const id = useId();
  const location = useLocation();
  const options = useMemo(() => periodOptions(new Date(), period), [period]);
  return (
    <div className="picker">
      <label htmlFor={id}>Period</label>
      <select
        id={id}
        value={period}
        onChange={(event) =>
          navigate(withQuery(location, { period: event.target.value, page: null }), { keepScroll: true })
        }
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
