import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { checkoutMetrics } from '../metrics/metrics.fixture.ts';
import { CoverageNotes } from './coverage-notes.tsx';

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
const withExclusions = (counts: Record<string, number>) => ({
  ...checkoutMetrics,
  leadTime: {
    ...checkoutMetrics.leadTime,
    coverage: { ...checkoutMetrics.leadTime.coverage, ...counts },
  },
});

describe('CoverageNotes', () => {
  test('says how many changes lead time left out, for each reason', () => {
    const html = renderToStaticMarkup(
      <CoverageNotes
        metrics={withExclusions({
          negativeExcluded: 2,
          implausibleStartExcluded: 1,
          implausibleDeploymentExcluded: 3,
        })}
      />,
    );
    expect(text(html)).toContain(
      '2 changes left out of lead time: started, or shipped a commit dated, after the deployment',
    );
    expect(text(html)).toContain('1 change left out of lead time: started before 2000');
    expect(text(html)).toContain(
      '3 changes left out of lead time: first shipped by a deployment dated before 2000 or more than a day ahead',
    );
  });

  test('says nothing about exclusions when there are none', () => {
    expect(text(renderToStaticMarkup(<CoverageNotes metrics={checkoutMetrics} />))).not.toContain('left out');
  });
});
