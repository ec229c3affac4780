import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SeededRandom } from '../demo/seeded-random.ts';
import { suppressedGroups } from './group-suppression.ts';

const groups = (sizes: Record<string, number>) =>
  Object.entries(sizes).map(([key, respondents]) => ({ key, respondents }));

describe('suppressedGroups', () => {
  test('a team below the threshold is suppressed, and so is the next-smallest so the remainder is not it', () => {
    // a=4 is below 5. Org (4+6+9+12 = 31) minus visible b, c, d would be a's 4: so b (6, the smallest
    // visible) is withheld too, and the remainder is a+b = 10 ≥ 5.
    const result = suppressedGroups(groups({ a: 4, b: 6, c: 9, d: 12 }), 5);
    assert.deepEqual([...result.suppressed].sort(), ['a', 'b']);
    assert.deepEqual([...result.complementary], ['b']);
    assert.equal(result.parentSuppressed, false);
  });

  test('two small teams whose sum is still below the threshold pull in a visible one', () => {
    // a=2 and b=2 are suppressed; their sum, 4, is still below 5, so c (7) is withheld: remainder 11.
    const result = suppressedGroups(groups({ a: 2, b: 2, c: 7, d: 8 }), 5);
    assert.deepEqual([...result.suppressed].sort(), ['a', 'b', 'c']);
  });

  test('suppressed teams that already add up to the threshold need nothing more', () => {
    // a=3 and b=2 → remainder 5: the organisation minus c and d is a group of 5, which may be shown.
    const result = suppressedGroups(groups({ a: 3, b: 2, c: 7, d: 8 }), 5);
    assert.deepEqual([...result.suppressed].sort(), ['a', 'b']);
    assert.equal(result.complementary.size, 0);
  });

  test('teams with no responses need no complement; every team at the threshold is visible', () => {
    assert.deepEqual([...suppressedGroups(groups({ a: 0, b: 5, c: 5 }), 5).suppressed], ['a']);
    assert.equal(suppressedGroups(groups({ a: 5, b: 5 }), 5).suppressed.size, 0);
  });

  test('with too few responses overall the organisation is suppressed too', () => {
    const result = suppressedGroups(groups({ a: 2, b: 1 }), 5);
    assert.equal(result.parentSuppressed, true);
    assert.deepEqual([...result.suppressed].sort(), ['a', 'b']);
  });

  test('forced groups are withheld whatever their size', () => {
    const result = suppressedGroups(groups({ a: 9, b: 8, c: 7 }), 5, new Set(['a']));
    assert.deepEqual([...result.suppressed], ['a']);
  });

  test('property: the organisation minus the visible teams is never a group of 1 to k − 1', () => {
    const random = new SeededRandom(7, 'suppression');
    for (let round = 0; round < 2000; round++) {
      const k = 3 + random.integer(0, 5);
      const sizes: Record<string, number> = {};
      const teamCount = 1 + random.integer(0, 7);
      for (let t = 0; t < teamCount; t++) sizes[`t${t}`] = random.integer(0, 12);
      const result = suppressedGroups(groups(sizes), k);
      const total = Object.values(sizes).reduce((a, b) => a + b, 0);
      const visible = Object.entries(sizes)
        .filter(([key]) => !result.suppressed.has(key))
        .reduce((sum, [, n]) => sum + n, 0);
      for (const [key, n] of Object.entries(sizes)) {
        if (!result.suppressed.has(key)) assert.ok(n >= k, `visible ${key} has ${n} < ${k}`);
      }
      if (!result.parentSuppressed) {
        const remainder = total - visible;
        assert.ok(
          remainder === 0 || remainder >= k,
          `${JSON.stringify(sizes)} k=${k}: remainder ${remainder}`,
        );
      } else assert.ok(total < k);
    }
  });
});
