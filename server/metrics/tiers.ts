import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Type from 'typebox';
import type { Static } from 'typebox';
import { parse } from 'yaml';
import { ConfigError } from '../config/config.ts';
import { schemaProblems } from '../config/schema-errors.ts';

export const TIERED_METRICS = [
  'deploymentFrequency',
  'leadTime',
  'changeFailureRate',
  'recoveryTime',
] as const;
export type TieredMetric = (typeof TIERED_METRICS)[number];
export type Tier = 'elite' | 'high' | 'medium' | 'low';

const TierRule = Type.Object(
  {
    tier: Type.Union([
      Type.Literal('elite'),
      Type.Literal('high'),
      Type.Literal('medium'),
      Type.Literal('low'),
    ]),
    atLeast: Type.Optional(Type.Number()),
    atMost: Type.Optional(Type.Number()),
    lessThan: Type.Optional(Type.Number()),
    meaning: Type.String(),
  },
  { additionalProperties: false },
);

const MetricTiers = Type.Object(
  { unit: Type.String(), tiers: Type.Array(TierRule, { minItems: 1 }) },
  { additionalProperties: false },
);

const BenchmarkFile = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]+$', description: 'lower-case letters, digits and -' }),
    title: Type.String(),
    citation: Type.String(),
    metrics: Type.Object(
      Object.fromEntries(TIERED_METRICS.map((metric) => [metric, MetricTiers])) as Record<
        TieredMetric,
        typeof MetricTiers
      >,
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Benchmark = Static<typeof BenchmarkFile>;

export const benchmarksFolder = fileURLToPath(new URL('../../scorecards/benchmarks', import.meta.url));

/** Reads and validates every benchmark table (`scorecards/benchmarks/*.yaml`), keyed by id. */
export function loadBenchmarks(folder = benchmarksFolder): Map<string, Benchmark> {
  const benchmarks = new Map<string, Benchmark>();
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .sort()) {
    const fullPath = path.join(folder, file);
    const raw = parse(readFileSync(fullPath, 'utf8')) as unknown;
    const problems = schemaProblems(BenchmarkFile, raw);
    if (problems.length > 0) throw new ConfigError(fullPath, problems);
    const benchmark = raw as Benchmark;
    benchmarks.set(benchmark.id, benchmark);
  }
  return benchmarks;
}

export interface TierResult {
  tier: Tier | null;
  /** Why there is no tier (too few samples, no data). */
  tierReason?: string;
  /** A figure from fewer samples than the tier minimum: shown, but marked as thin. */
  smallSample?: true;
}

/**
 * The tier of `value` on `metric`: the first tier, tried best first, whose condition the value meets; the
 * last tier (no condition) catches the rest. Below `minSample` samples there is no tier: a handful of
 * deployments says little about a team.
 */
export function tierFor(
  benchmark: Benchmark,
  metric: TieredMetric,
  value: number | null,
  sampleSize: number,
  minSample: number,
): TierResult {
  if (value === null) return { tier: null, tierReason: 'no data in the period' };
  if (sampleSize < minSample) {
    return {
      tier: null,
      tierReason: `fewer than ${minSample} samples (${sampleSize}); a tier would be noise`,
      smallSample: true,
    };
  }
  for (const rule of benchmark.metrics[metric].tiers) {
    if (rule.atLeast !== undefined && !(value >= rule.atLeast)) continue;
    if (rule.atMost !== undefined && !(value <= rule.atMost)) continue;
    if (rule.lessThan !== undefined && !(value < rule.lessThan)) continue;
    return { tier: rule.tier };
  }
  return { tier: null, tierReason: 'outside every tier of the benchmark' };
}

/** A tier's range of values on one metric, for drawing behind a trend; `to` null: no upper edge. */
export interface TierBand {
  tier: Tier;
  from: number;
  to: number | null;
  meaning: string;
}

/**
 * The benchmark's tiers as ranges of values, per metric, as `tierFor` assigns them: tiers are tried best
 * first, so each tier's band is its condition minus the better tiers' (a tier wholly covered by better ones,
 * like DORA 2024's medium change failure rate, gets no band). Every tiered metric is non-negative, so bands
 * start at 0. Lowest band first.
 */
export function tierBands(benchmark: Benchmark): Record<TieredMetric, { unit: string; bands: TierBand[] }> {
  const bandsOf = (metric: TieredMetric) => {
    const better: [number, number][] = [];
    const bands: TierBand[] = [];
    for (const rule of benchmark.metrics[metric].tiers) {
      const condition: [number, number] = [
        Math.max(0, rule.atLeast ?? 0),
        Math.min(rule.atMost ?? Infinity, rule.lessThan ?? Infinity),
      ];
      let pieces = [condition];
      for (const [low, high] of better) {
        pieces = pieces.flatMap(([from, to]): [number, number][] =>
          high <= from || low >= to
            ? [[from, to]]
            : [
                ...(low > from ? [[from, low] as [number, number]] : []),
                ...(high < to ? [[high, to] as [number, number]] : []),
              ],
        );
      }
      for (const [from, to] of pieces) {
        if (to > from)
          bands.push({ tier: rule.tier, from, to: to === Infinity ? null : to, meaning: rule.meaning });
      }
      better.push(condition);
    }
    return { unit: benchmark.metrics[metric].unit, bands: bands.sort((a, b) => a.from - b.from) };
  };
  return Object.fromEntries(TIERED_METRICS.map((metric) => [metric, bandsOf(metric)])) as Record<
    TieredMetric,
    { unit: string; bands: TierBand[] }
  >;
}
