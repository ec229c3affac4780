import { useId } from 'react';
import { navigate, useLocation, withQuery } from '../../lib/router.tsx';
import { DEFAULT_TREND_RANGE, TREND_RANGES } from './trend-series.ts';
import type { TrendRange } from './trend-series.ts';

const LABEL: Record<TrendRange, string> = { 13: '13 weeks', 26: '26 weeks (6 months)', 52: '52 weeks' };

/** How many weeks the trends show, up to the period's end; in the URL's `weeks` (absent: the default). */
export function TrendRangePicker({ weeks }: { weeks: TrendRange }) {
  const id = useId();
  const location = useLocation();
  return (
    <div className="picker">
      <label htmlFor={id}>Trend range</label>
      <select
        id={id}
        value={weeks}
        onChange={(event) => {
          const chosen = Number(event.target.value);
          navigate(withQuery(location, { weeks: chosen === DEFAULT_TREND_RANGE ? null : String(chosen) }), {
            keepScroll: true,
          });
        }}
      >
        {TREND_RANGES.map((range) => (
          <option key={range} value={range}>
            {LABEL[range]}
          </option>
        ))}
      </select>
    </div>
  );
}
