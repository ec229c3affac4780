/**
 * Which groups of one measure must be withheld so that no group with fewer than `minGroupSize` responses
 * can be read or worked out. Two rules:
 * 1. a group below the threshold is suppressed (zero responses included: "0" is a count below it too);
 * 2. complementary suppression: the organisation's figure minus the visible teams' figures is the figure
 *    of the suppressed teams taken together, so while that remainder is a group of 1 to minGroupSize − 1
 *    responses, the smallest visible team is withheld too (ties: the first by slug).
 * `forced` groups are withheld whatever their size (a team withheld on its response count is withheld on
 * every measure). The parent is then suppressed when it is itself below the threshold.
 */
export function suppressedGroups(
  groups: readonly { key: string; respondents: number }[],
  minGroupSize: number,
  forced: ReadonlySet<string> = new Set(),
): { suppressed: Set<string>; complementary: Set<string>; parentSuppressed: boolean } {
  const suppressed = new Set(
    groups.filter((g) => g.respondents < minGroupSize || forced.has(g.key)).map((g) => g.key),
  );
  const complementary = new Set<string>();
  const remainder = () =>
    groups.filter((g) => suppressed.has(g.key)).reduce((sum, g) => sum + g.respondents, 0);
  const visible = groups
    .filter((g) => !suppressed.has(g.key))
    .sort((a, b) => a.respondents - b.respondents || a.key.localeCompare(b.key));
  while (remainder() > 0 && remainder() < minGroupSize) {
    const next = visible.shift();
    if (!next) break;
    suppressed.add(next.key);
    complementary.add(next.key);
  }
  const total = groups.reduce((sum, g) => sum + g.respondents, 0);
  return { suppressed, complementary, parentSuppressed: total < minGroupSize };
}
