import { registeredMetric } from '#server/metrics/registry.ts';
import type { MetricKey, MetricReading } from '#server/metrics/registry.ts';
import type { Operator, Scorecard, ScorecardRule } from './scorecard.schema.ts';

export type RuleStatus = 'pass' | 'fail' | 'unknown';

export interface RuleResult {
  metric: MetricKey;
  label: string;
  unit: string;
  op: Operator;
  threshold: number;
  weight: number;
  description: string;
  status: RuleStatus;
  /** The team's value; null when the metric has no data (the rule is then `unknown`). */
  value: number | null;
  sampleSize: number;
  /** Why the value is null. */
  reason?: string;
}

export interface LevelResult {
  id: string;
  title: string;
  /** Every rule of this level passes (the level is earned only if every level below passes too). */
  passed: boolean;
  rules: RuleResult[];
}

export interface ScorecardResult {
  id: string;
  title: string;
  description: string | null;
  /** The highest level earned, or null when even the first is not. */
  level: string | null;
  levelTitle: string | null;
  levels: LevelResult[];
  /** The level above the one earned; null at the top. */
  nextLevel: string | null;
  /** The next level's rules that do not pass (failing or unknown), highest weight first. */
  missingForNextLevel: RuleResult[];
}

const compare: Record<Operator, (value: number, threshold: number) => boolean> = {
  '<': (value, threshold) => value < threshold,
  '<=': (value, threshold) => value <= threshold,
  '>': (value, threshold) => value > threshold,
  '>=': (value, threshold) => value >= threshold,
};

function evaluateRule(rule: ScorecardRule, read: (key: MetricKey) => MetricReading): RuleResult {
  const metric = registeredMetric(rule.metric);
  const reading = read(rule.metric);
  // A metric with no data neither passes nor fails: the team has not shown it meets the bar.
  const status: RuleStatus =
    reading.value === null ? 'unknown' : compare[rule.op](reading.value, rule.threshold) ? 'pass' : 'fail';
  return {
    metric: rule.metric,
    label: metric.label,
    unit: metric.unit,
    op: rule.op,
    threshold: rule.threshold,
    weight: rule.weight,
    description: rule.description,
    status,
    value: reading.value,
    sampleSize: reading.sampleSize,
    ...(reading.reason !== undefined && reading.value === null ? { reason: reading.reason } : {}),
  };
}

/**
 * Evaluates one scorecard over a team's metric readings. Pure: the readings come in through `read`
 * (see `metricReader` in the registry). A team earns a level by passing every rule of it and of all the
 * levels below, so passing gold's rules while failing silver's still leaves the team at bronze.
 */
export function evaluateScorecard(card: Scorecard, read: (key: MetricKey) => MetricReading): ScorecardResult {
  const levels: LevelResult[] = card.levels.map((level) => {
    const rules = level.rules.map((rule) => evaluateRule(rule, read));
    return { id: level.id, title: level.title, passed: rules.every((rule) => rule.status === 'pass'), rules };
  });
  const firstMissed = levels.findIndex((level) => !level.passed);
  const earned = firstMissed === -1 ? levels.length : firstMissed;
  const reached = levels[earned - 1];
  const next = levels[earned];
  const missingForNextLevel = (next?.rules ?? [])
    .filter((rule) => rule.status !== 'pass')
    .sort((a, b) => b.weight - a.weight); // stable: equal weights keep the card's order
  return {
    id: card.id,
    title: card.title,
    description: card.description,
    level: reached?.id ?? null,
    levelTitle: reached?.title ?? null,
    levels,
    nextLevel: next?.id ?? null,
    missingForNextLevel,
  };
}
