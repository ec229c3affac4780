import Type from 'typebox';
import type { Static } from 'typebox';
import type { MetricKey } from '#server/metrics/registry.ts';

/** The shape of a `scorecards/cards/*.yaml` file. Meaning (metrics, operators, level order) is checked in card-problems.ts. */

const Slug = Type.String({ pattern: '^[a-z0-9-]+$', description: 'lower-case letters, digits and -' });

export const OPERATORS = ['<', '<=', '>', '>='] as const;
export type Operator = (typeof OPERATORS)[number];

const Rule = Type.Object(
  {
    metric: Type.String({ description: 'a key of the metric registry, e.g. leadTime.medianHours' }),
    op: Type.Enum([...OPERATORS]),
    threshold: Type.Number(),
    weight: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    description: Type.String(),
  },
  { additionalProperties: false },
);

const Level = Type.Object(
  {
    id: Slug,
    title: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    rules: Type.Array(Rule, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const ScorecardFileSchema = Type.Object(
  {
    id: Slug,
    title: Type.String(),
    description: Type.Optional(Type.String()),
    levels: Type.Array(Level, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type ScorecardFile = Static<typeof ScorecardFileSchema>;

export interface ScorecardRule {
  metric: MetricKey;
  op: Operator;
  threshold: number;
  /** How much the rule matters when listing what is missing for the next level (default 1). */
  weight: number;
  description: string;
}

export interface ScorecardLevel {
  id: string;
  title: string;
  description: string | null;
  rules: ScorecardRule[];
}

/** A validated scorecard: levels lowest first; a team earns a level by passing it and every level below. */
export interface Scorecard {
  id: string;
  title: string;
  description: string | null;
  /** The file it was loaded from, for messages. */
  file: string;
  levels: ScorecardLevel[];
}
