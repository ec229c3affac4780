import Type from 'typebox';
import type { Static } from 'typebox';

/**
 * The shapes of `scorecards/friction/*.yaml` (where developers lose time, and what measures it) and
 * `scorecards/capabilities/*.yaml` (what a platform team could build, and which friction it removes).
 * Meaning (known ids, shares, cycles) is checked in load-friction.ts.
 */

const Slug = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*$',
  description: 'lower-case letters, digits and -',
});
const Slugs = Type.Optional(Type.Array(Slug));

const DeliveryEvidence = Type.Object(
  {
    measure: Type.String({ minLength: 1, description: 'a metric-registry key' }),
    factor: Type.Number({
      exclusiveMinimum: 0,
      maximum: 10,
      description: 'developer-hours lost per hour of the measure per event',
    }),
    why: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const FrictionFileSchema = Type.Object(
  {
    id: Slug,
    title: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String({ minLength: 1 })),
    directFix: Type.String({ minLength: 1, description: 'what a team can do about it without a platform' }),
    evidence: Type.Object(
      {
        surveyDrivers: Slugs,
        surveyHours: Slugs,
        ticketCategories: Slugs,
        delivery: Type.Optional(Type.Array(DeliveryEvidence)),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Prerequisite = Type.Union([
  Type.Object({ capability: Slug }, { additionalProperties: false }),
  Type.Object(
    {
      condition: Type.Literal('stable-delivery', {
        description: 'stable-delivery (no unstable team and no low change failure rate)',
      }),
    },
    { additionalProperties: false },
  ),
]);

export const CapabilityFileSchema = Type.Object(
  {
    id: Slug,
    title: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String({ minLength: 1 })),
    addresses: Type.Array(
      Type.Object(
        {
          friction: Slug,
          share: Type.Number({ description: 'the share of its hours expected back, above 0 and at most 1' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    effortTeamWeeks: Type.Number({ exclusiveMinimum: 0, description: 'team-weeks to build it' }),
    prerequisites: Type.Optional(Type.Array(Prerequisite)),
    surveyVote: Type.Optional(Type.Object({ question: Slug, option: Slug }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export type FrictionFile = Static<typeof FrictionFileSchema>;
export type CapabilityFile = Static<typeof CapabilityFileSchema>;

export interface DeliveryEvidenceRef {
  measure: string;
  factor: number;
  why: string | null;
}

export interface FrictionPoint {
  id: string;
  title: string;
  description: string | null;
  directFix: string;
  surveyDrivers: string[];
  surveyHours: string[];
  ticketCategories: string[];
  delivery: DeliveryEvidenceRef[];
  file: string;
}

export type CapabilityPrerequisite = { capability: string } | { condition: 'stable-delivery' };

export interface Capability {
  id: string;
  title: string;
  description: string | null;
  addresses: { friction: string; share: number }[];
  effortTeamWeeks: number;
  prerequisites: CapabilityPrerequisite[];
  surveyVote: { question: string; option: string } | null;
  file: string;
}

export interface FrictionCatalogue {
  frictionPoints: FrictionPoint[];
  capabilities: Capability[];
}
