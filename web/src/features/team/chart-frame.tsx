import type { ReactNode } from 'react';

/** Okabe–Ito colours: distinct under the common colour blindnesses; series also differ by dash or label. */
export const CHART_COLOURS = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  pink: '#CC79A7',
  vermillion: '#D55E00',
  sky: '#56B4E9',
};

/** Legend entries in body text colour: a yellow or orange label on white is hard to read; the swatch keeps the colour. */
export const legendText = (value: string) => <span style={{ color: '#1b1f24' }}>{value}</span>;

/** A chart with its title, what it shows, and the same numbers as a table for keyboards and screen readers. */
export function ChartFrame({
  title,
  description,
  table,
  children,
}: {
  title: string;
  description: string;
  table: ReactNode;
  children: ReactNode;
}) {
  return (
    <figure className="chart">
      <figcaption>
        <h3>{title}</h3>
        <p>{description}</p>
      </figcaption>
      <div className="chart-body">{children}</div>
      <details>
        <summary>{title} as a table</summary>
        {table}
      </details>
    </figure>
  );
}
