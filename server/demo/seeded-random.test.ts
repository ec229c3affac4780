import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from './seeded-random.ts';

const draws = (random: SeededRandom, count: number) => Array.from({ length: count }, () => random.next());

test('the same seed and stream repeat the same sequence; another seed or stream does not', () => {
  const first = draws(new SeededRandom(42, 'team:payments'), 5);
  assert.deepEqual(draws(new SeededRandom(42, 'team:payments'), 5), first);
  assert.notDeepEqual(draws(new SeededRandom(43, 'team:payments'), 5), first);
  assert.notDeepEqual(draws(new SeededRandom(42, 'team:checkout'), 5), first);
});

test('next() stays in [0, 1) and integer() in its closed range', () => {
  const random = new SeededRandom(7, 'range');
  for (let i = 0; i < 10_000; i++) {
    const value = random.next();
    assert.ok(value >= 0 && value < 1);
    const integer = random.integer(4, 9);
    assert.ok(Number.isInteger(integer) && integer >= 4 && integer <= 9);
  }
});

test('lognormal(median) has about that median, and poisson(lambda) about that mean', () => {
  const random = new SeededRandom(7, 'shape');
  const samples = Array.from({ length: 20_001 }, () => random.lognormal(3, 0.8)).sort((a, b) => a - b);
  const median = samples[10_000] ?? 0;
  assert.ok(median > 2.85 && median < 3.15, `median ${median}`);
  assert.ok(samples.every((value) => value > 0));
  let sum = 0;
  for (let i = 0; i < 20_000; i++) sum += random.poisson(2.5);
  assert.ok(Math.abs(sum / 20_000 - 2.5) < 0.05, `mean ${sum / 20_000}`);
});

test('sha() is 40 hexadecimal digits', () => {
  assert.match(new SeededRandom(1, 'sha').sha(), /^[0-9a-f]{40}$/);
});
