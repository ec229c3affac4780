import type { ConfigProblem } from '#server/config/schema-errors.ts';
import { isMetricKey, METRIC_REGISTRY, registeredMetric } from '#server/metrics/registry.ts';
import type { Better } from '#server/metrics/registry.ts';
import type { Operator, ScorecardFile } from './scorecard.schema.ts';

type RawRule = ScorecardFile['levels'][number]['rules'][number];

const rewards = (op: Operator): Better => (op === '>' || op === '>=' ? 'higher' : 'lower');

/**
 * True when every value passing `upper` also passes `lower`: the higher level is at least as strict. Both
 * rules point the same way (checked before), so it is a comparison of thresholds, with `>` stricter than
 * `>=` (and `<` than `<=`) at the same threshold.
 */
function atLeastAsStrict(upper: RawRule, lower: RawRule): boolean {
  const sign = rewards(upper.op) === 'higher' ? 1 : -1;
  const difference = sign * (upper.threshold - lower.threshold);
  if (difference !== 0) return difference > 0;
  return !(lower.op.length === 1 && upper.op.length === 2); // `>=` after `>` admits the threshold itself
}

/**
 * What the schema cannot say about a card: every metric is in the registry and each operator rewards the
 * direction in which the metric improves (`deploymentFrequency.perWeek <= 1` would reward deploying less),
 * level ids are unique, a level does not rule on the same metric twice, and no level is looser than a
 * level below it on the same metric — otherwise "silver" could be easier than "bronze".
 */
export function cardProblems(card: ScorecardFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seenLevels = new Map<string, number>();
  card.levels.forEach((level, levelIndex) => {
    const first = seenLevels.get(level.id);
    if (first === undefined) seenLevels.set(level.id, levelIndex);
    else
      problems.push({
        path: `levels[${levelIndex}].id`,
        message: `duplicate level "${level.id}" (already levels[${first}].id)`,
      });
    const seenMetrics = new Map<string, number>();
    level.rules.forEach((rule, ruleIndex) => {
      const at = `levels[${levelIndex}].rules[${ruleIndex}]`;
      if (!isMetricKey(rule.metric)) {
        problems.push({
          path: `${at}.metric`,
          message: `unknown metric "${rule.metric}"; known: ${[...METRIC_REGISTRY.keys()].join(', ')}`,
        });
        return;
      }
      const better = registeredMetric(rule.metric).better;
      if (rewards(rule.op) !== better) {
        problems.push({
          path: `${at}.op`,
          message: `"${rule.op}" rewards ${rewards(rule.op)} values, but for ${rule.metric} ${better} is better; use ${better === 'higher' ? '> or >=' : '< or <='}`,
        });
        return;
      }
      const twin = seenMetrics.get(rule.metric);
      if (twin !== undefined) {
        problems.push({
          path: `${at}.metric`,
          message: `${rule.metric} is already ruled on in this level (levels[${levelIndex}].rules[${twin}])`,
        });
        return;
      }
      seenMetrics.set(rule.metric, ruleIndex);
    });
  });
  problems.push(...orderProblems(card));
  return problems;
}

/** A rule looser than the same metric's rule in any level below: the ladder would not climb. */
function orderProblems(card: ScorecardFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  card.levels.forEach((level, levelIndex) => {
    level.rules.forEach((rule, ruleIndex) => {
      if (!isMetricKey(rule.metric) || rewards(rule.op) !== registeredMetric(rule.metric).better) return;
      for (let lowerIndex = 0; lowerIndex < levelIndex; lowerIndex++) {
        const lowerLevel = card.levels[lowerIndex];
        const lowerRuleIndex = lowerLevel?.rules.findIndex((r) => r.metric === rule.metric) ?? -1;
        const lowerRule = lowerLevel?.rules[lowerRuleIndex];
        if (!lowerLevel || !lowerRule || rewards(lowerRule.op) !== rewards(rule.op)) continue;
        if (atLeastAsStrict(rule, lowerRule)) continue;
        problems.push({
          path: `levels[${levelIndex}].rules[${ruleIndex}].threshold`,
          message:
            `levels out of order: "${level.id}" asks ${rule.metric} ${rule.op} ${rule.threshold}, looser than ` +
            `"${lowerLevel.id}" below it (levels[${lowerIndex}].rules[${lowerRuleIndex}]: ${lowerRule.op} ${lowerRule.threshold}); ` +
            'a higher level must be at least as strict',
        });
      }
    });
  });
  return problems;
}
