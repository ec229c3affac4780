import type { ReadinessReport } from './friction.types.ts';
import { VERDICT_TITLE } from './friction-format.ts';

const value = (v: number | string | null) => (v === null ? '—' : String(v));

/** The readiness verdict, its summary and every test the server ran with its value and threshold. */
export function VerdictBanner({ readiness }: { readiness: ReadinessReport }) {
  return (
    <section className={`verdict verdict-${readiness.verdict}`} aria-labelledby="verdict-heading">
      <h2 id="verdict-heading">Readiness: {VERDICT_TITLE[readiness.verdict]}</h2>
      <p>{readiness.summary}</p>
      <details>
        <summary>The tests behind the verdict</summary>
        <table className="chart-table">
          <caption className="visually-hidden">Readiness tests</caption>
          <thead>
            <tr>
              <th scope="col">Test</th>
              <th scope="col">Value</th>
              <th scope="col">Threshold</th>
              <th scope="col">Triggered</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {readiness.reasons.map((reason) => (
              <tr key={reason.test}>
                <th scope="row">{reason.test}</th>
                <td>{value(reason.value)}</td>
                <td>{value(reason.threshold)}</td>
                <td>{reason.triggered ? 'yes' : 'no'}</td>
                <td>{reason.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
