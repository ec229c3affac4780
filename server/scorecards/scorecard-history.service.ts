import { createHash } from 'node:crypto';
import { saveScorecardMonths, storedScorecardMonths } from '../db/scorecard-months.repository.ts';
import type { StoredScorecardMonth } from '../db/scorecard-months.repository.ts';
import { teamMetrics } from '../metrics/metrics.service.ts';
import type { MetricsContext, TeamRef } from '../metrics/metrics.service.ts';
import { monthInputFingerprints } from '../metrics/month-inputs.fingerprint.ts';
import { monthLabel, namedPeriod } from '../metrics/period.ts';
import type { Period } from '../metrics/period.ts';
import { metricReader } from '../metrics/registry.ts';
import { evaluateScorecard } from '../../scorecards/evaluate.ts';
import type { Scorecard } from '../../scorecards/scorecard.schema.ts';

/** How many closed calendar months a team's scorecard history shows. */
export const HISTORY_MONTHS = 6;

/**
 * Mixed into every stored month's inputs digest. Bump it when a metric's definition changes, so months
 * computed by the old definition are recomputed rather than shown next to new ones.
 */
const COMPUTATION_VERSION = 'metrics-v1';

export interface ScorecardContext {
  metrics: MetricsContext;
  cards: readonly Scorecard[];
}

export interface HistoryPoint {
  month: string;
  level: string | null;
  /** When this month's result was computed: it is recomputed whenever the data behind it changes. */
  evaluatedAt: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The `count` calendar months (UTC) before the one `now` falls in, oldest first: the closed ones. */
export function closedMonths(now: Date, count = HISTORY_MONTHS): Period[] {
  return Array.from({ length: count }, (_, index) => {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - count + index, 1));
    return namedPeriod(monthLabel(start), now);
  });
}

/** What a stored result depends on besides the data: the card's levels and rules. */
export function cardFingerprint(card: Scorecard): string {
  return sha256(JSON.stringify({ id: card.id, levels: card.levels }));
}

/**
 * A team's level on every scorecard for each of the last closed months. Closed months are stored and
 * reused while the rows behind them are unchanged; a late event (a deployment, incident or pull request
 * landing in a closed month, or one moving out of it) changes the month's digest, and the month is
 * recomputed and stored again on this read, so the history shown stays true. The open month is never
 * stored: it is still changing.
 */
export async function scorecardHistory(
  ctx: ScorecardContext,
  team: TeamRef,
): Promise<Map<string, HistoryPoint[]>> {
  const { db } = ctx.metrics;
  const now = ctx.metrics.now();
  const months = closedMonths(now);
  const range = { from: (months[0] as Period).from, to: (months.at(-1) as Period).to };
  // Digest first, compute after: a write landing in between leaves a stale digest next to a newer result
  // (recomputed on the next read), never a fresh digest next to an outdated result.
  const digests = await monthInputFingerprints(db, team.id, range);
  const environments = [...ctx.metrics.org.productionEnvironments].sort().join(',');
  const inputsOf = (month: string) =>
    sha256(`${COMPUTATION_VERSION}|${environments}|${digests.get(month) ?? 'no rows'}`);
  const key = (cardId: string, month: string) => `${cardId}|${month}`;
  const stored = new Map(
    (
      await storedScorecardMonths(
        db,
        team.id,
        months.map((month) => month.label),
      )
    ).map((row) => [key(row.scorecardId, row.month), row]),
  );
  const recomputed: StoredScorecardMonth[] = [];
  for (const month of months) {
    const inputs = inputsOf(month.label);
    const stale = ctx.cards.filter((card) => {
      const row = stored.get(key(card.id, month.label));
      return !row || row.inputsFingerprint !== inputs || row.cardFingerprint !== cardFingerprint(card);
    });
    if (stale.length === 0) continue;
    const read = metricReader(await teamMetrics(ctx.metrics, team.slug, { period: month.label }));
    for (const card of stale) {
      const result = evaluateScorecard(card, read);
      const row: StoredScorecardMonth = {
        scorecardId: card.id,
        month: month.label,
        level: result.level,
        result,
        inputsFingerprint: inputs,
        cardFingerprint: cardFingerprint(card),
        evaluatedAt: now,
      };
      recomputed.push(row);
      stored.set(key(card.id, month.label), row);
    }
  }
  // Stored on the primary even when read from a replica: a lagging replica at worst recomputes a month
  // the primary already holds, and the upsert writes the same row again.
  await saveScorecardMonths(ctx.metrics.primary ?? db, team.id, recomputed);
  return new Map(
    ctx.cards.map((card) => [
      card.id,
      months.map((month) => {
        const row = stored.get(key(card.id, month.label)) as StoredScorecardMonth;
        return { month: month.label, level: row.level, evaluatedAt: row.evaluatedAt.toISOString() };
      }),
    ]),
  );
}
