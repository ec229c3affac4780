import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { AppError } from '../errors.ts';

/**
 * HTML → PDF through the Chromium the system provides (Debian's `chromium`, as the browser tests use; the
 * Docker image installs it) — never a downloaded browser. One render at a time: a Chromium is a few hundred
 * megabytes, and reports are rare, so a second request waits for the first instead of doubling the memory.
 */

let queue: Promise<unknown> = Promise.resolve();

export function missingChromium(chromiumPath: string): string | null {
  return existsSync(chromiumPath)
    ? null
    : `PDF reports need Chromium, which is not installed at ${chromiumPath}: install it (apt-get install chromium) or set CHROMIUM_PATH to its executable`;
}

export async function htmlToPdf(html: string, chromiumPath: string): Promise<Buffer> {
  const missing = missingChromium(chromiumPath);
  if (missing) throw new AppError(503, 'PDF_UNAVAILABLE', missing, 'format');
  const run = queue.then(() => render(html, chromiumPath));
  queue = run.catch(() => undefined);
  return run;
}

async function render(html: string, chromiumPath: string): Promise<Buffer> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    // No network: the report is self-contained, and Chromium would otherwise dial out in the background.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true });
  } finally {
    await browser.close();
  }
}
