import type { Tier } from '../features/metrics/metrics.types.ts';
import { VisuallyHidden } from './status.tsx';

const TIER_NAMES: Record<Tier, string> = { elite: 'Elite', high: 'High', medium: 'Medium', low: 'Low' };
const TIER_RANK: Record<Tier, number> = { elite: 4, high: 3, medium: 2, low: 1 };

/**
 * A DORA tier in colour *and* text, with a four-step meter (elite fills four, low one) so the tier reads
 * without colour too. Colours are from the Okabe–Ito palette, which stays distinct under the common
 * colour blindnesses. No tier says why not.
 */
export function TierBadge({ tier, reason }: { tier: Tier | null; reason?: string | undefined }) {
  if (tier === null) {
    return (
      <span className="tier tier-none">
        <span className="tier-label">
          <VisuallyHidden>DORA tier: </VisuallyHidden>No tier
        </span>
        {reason ? <span className="tier-reason">{reason}</span> : null}
      </span>
    );
  }
  const rank = TIER_RANK[tier];
  return (
    <span className={`tier tier-${tier}`}>
      <span className="tier-meter" aria-hidden="true">
        {[1, 2, 3, 4].map((step) => (
          <span key={step} className={step <= rank ? 'tier-step tier-step-on' : 'tier-step'} />
        ))}
      </span>
      <span className="tier-label">
        <VisuallyHidden>DORA tier: </VisuallyHidden>
        {TIER_NAMES[tier]}
      </span>
    </span>
  );
}
