import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { TierBadge } from './tier-badge.tsx';

const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('TierBadge', () => {
  test('a tier in words, not only in colour, with a meter filled by rank', () => {
    const html = renderToStaticMarkup(<TierBadge tier="high" />);
    expect(text(html)).toBe('DORA tier: High');
    expect(html.match(/tier-step-on/g)).toHaveLength(3);
    expect(renderToStaticMarkup(<TierBadge tier="low" />).match(/tier-step-on/g)).toHaveLength(1);
  });

  test('no tier says why', () => {
    const html = renderToStaticMarkup(<TierBadge tier={null} reason="fewer than 5 samples (2)" />);
    expect(text(html)).toBe('DORA tier: No tierfewer than 5 samples (2)');
  });
});
