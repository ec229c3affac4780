import { describe, expect, test } from 'vitest';
import { safeHref } from './safe-href.ts';

describe('safeHref', () => {
  test('http(s) links pass', () => {
    expect(safeHref('https://github.com/acme/web/pull/7')).toBe('https://github.com/acme/web/pull/7');
    expect(safeHref('http://ci.acme.test/runs/2')).toBe('http://ci.acme.test/runs/2');
  });

  test('script, data and relative links never do, however spelled', () => {
    for (const value of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      '//evil.test/x',
      '/relative',
      '',
      null,
      42,
      `https://x.test/${'a'.repeat(2000)}`,
    ]) {
      expect(safeHref(value)).toBeNull();
    }
  });
});
