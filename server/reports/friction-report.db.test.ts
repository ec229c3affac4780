import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { missingBrowser } from '../../test/e2e/browser.ts';
import { frictionApiFixture } from '../../test/friction-fixtures.ts';
import { htmlToPdf } from './pdf.ts';

// The quarterly friction report in all four formats, from the API, on the planted fixtures.
const fixture = frictionApiFixture();

const report = (format: string) =>
  fixture.app.inject({ method: 'GET', url: `/api/v1/reports/friction?period=2026-Q3&format=${format}` });

function missingPdftotext(): string | null {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'pdftotext not found: install poppler-utils';
  }
}

describe('the friction report', () => {
  test('Markdown: summary, ranking, recommendations, verdict and an appendix per team', async () => {
    const response = await report('md');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/markdown/);
    const md = response.body;
    for (const heading of [
      '# Friction report: acme, 2026-Q3',
      '## Executive summary',
      '## Where developers lose time',
      '## What to build next',
      '## Readiness: Fix the few friction points directly',
      '### Alpha (12 developers)',
      '### Delta (6 developers)',
    ])
      assert.ok(md.includes(heading), heading);
    assert.match(md, /\| 1 \| Broken or unavailable environments \| 69\.9 h\/week \|/);
    assert.match(md, /\| Environment self-service \| 43\.5 h\/week \| \$200,238 \|/);
  });

  test('CSV: one table with a section column', async () => {
    const response = await report('csv');
    assert.match(String(response.headers['content-type']), /^text\/csv/);
    const rows = parse(response.body, { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      [...new Set(rows.map((r) => r['section']))],
      ['friction', 'recommendation', 'readiness'],
    );
    const alpha = rows.find((r) => r['friction'] === 'broken-environments' && r['team'] === 'alpha');
    assert.equal(alpha?.['hoursPerWeek'], '60');
  });

  test('HTML: self-contained, the chart inline as SVG, text escaped', async () => {
    const response = await report('html');
    assert.match(String(response.headers['content-type']), /^text\/html/);
    const html = response.body;
    assert.match(html, /<svg [^>]*role="img"/);
    assert.match(html, /<text [^>]*>Broken or unavailable environments<\/text>/);
    assert.doesNotMatch(html, /<script|<link |src="http/);
    // The same columns as the Markdown: the survey's interval too, and each row named by its header cell.
    assert.match(html, /<th scope="col">95 % interval<\/th>/);
    assert.match(
      html,
      /<td>1<\/td><th scope="row">Broken or unavailable environments<\/th><td>69\.9 h\/week<\/td>/,
    );
    assert.match(html, /Waiting on another team&#39;s queue|Waiting on another team's queue/);
  });

  test(
    'PDF: printed by Chromium, text on every page',
    { skip: missingBrowser() ?? missingPdftotext() ?? false },
    async () => {
      const response = await report('pdf');
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['content-type'], 'application/pdf');
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'groundwork-report-')), 'report.pdf');
      writeFileSync(file, response.rawPayload);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      assert.ok(pages >= 2, info);
      for (let page = 1; page <= pages; page++) {
        const text = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], {
          encoding: 'utf8',
        });
        assert.ok(text.trim().length > 0, `page ${page} has no text`);
      }
      const all = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      assert.match(all, /Executive summary/);
      assert.match(all, /Appendix: teams/);
    },
  );

  test('without Chromium, a PDF is a 503 naming the missing browser', async () => {
    await assert.rejects(htmlToPdf('<p>x</p>', '/nonexistent/chromium'), (error: unknown) => {
      const e = error as { statusCode: number; message: string };
      return (
        e.statusCode === 503 && /Chromium, which is not installed at \/nonexistent\/chromium/.test(e.message)
      );
    });
    const bad = await fixture.app.inject({ method: 'GET', url: '/api/v1/reports/friction?format=docx' });
    assert.equal(bad.statusCode, 400);
  });
});
