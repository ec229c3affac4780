import Type from 'typebox';
import type { Static } from 'typebox';
import type { ConfigProblem } from './schema-errors.ts';

/**
 * `friction` in groundwork.yaml: the defaults behind the friction ranking, the capability recommendations
 * and the readiness verdict (server/friction/). Every key is optional; the defaults are the issue's
 * starting definitions, so change one only with a reason you can give a reader of the report.
 */

const Share = Type.Number({ minimum: 0, maximum: 1, description: 'a share from 0 to 1' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date like 2026-10-01' });
const Slug = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*$',
  description: 'lower-case letters, digits and -',
});

const ShippedCapability = Type.Object(
  {
    capability: Slug,
    shippedOn: Day,
    adoptingTeams: Type.Array(Slug, { description: 'the teams that adopted it (slugs)' }),
  },
  { additionalProperties: false },
);

export const FrictionConfigSchema = Type.Object(
  {
    ticketBlockedFactor: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'share of calendar waiting on a ticket that is developer time lost (default 0.1)',
      }),
    ),
    hourlyCost: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'cost of a developer-hour, for value per year' }),
    ),
    currency: Type.Optional(Type.String({ minLength: 1, maxLength: 8 })),
    platformTeamSize: Type.Optional(
      Type.Integer({ minimum: 1, description: 'developers building capabilities' }),
    ),
    affectedHoursPerDeveloper: Type.Optional(
      Type.Number({ minimum: 0, description: 'hours per developer per week from which a team is affected' }),
    ),
    disagreementRatio: Type.Optional(Type.Number({ exclusiveMinimum: 1 })),
    confidence: Type.Optional(
      Type.Object(
        {
          minResponses: Type.Optional(Type.Integer({ minimum: 1 })),
          highResponseRate: Type.Optional(Share),
          lowResponseRate: Type.Optional(Share),
        },
        { additionalProperties: false },
      ),
    ),
    readiness: Type.Optional(
      Type.Object(
        {
          unstableDeveloperShare: Type.Optional(Share),
          minTeams: Type.Optional(Type.Integer({ minimum: 1 })),
          minSharedFriction: Type.Optional(Type.Integer({ minimum: 1 })),
          sharedBreadth: Type.Optional(Share),
        },
        { additionalProperties: false },
      ),
    ),
    shipped: Type.Optional(Type.Array(ShippedCapability)),
  },
  { additionalProperties: false },
);

export type FrictionConfigFile = Static<typeof FrictionConfigSchema>;

export interface ShippedCapabilityConfig {
  capability: string;
  /** Midnight UTC of the day it shipped. */
  shippedOn: Date;
  adoptingTeams: string[];
  keyPath: string;
}

export interface FrictionConfig {
  ticketBlockedFactor: number;
  hourlyCost: number;
  currency: string;
  platformTeamSize: number;
  /** A team is affected by a friction point when it costs at least this many hours per developer per week. */
  affectedHoursPerDeveloper: number;
  /** Survey and telemetry disagree when the larger is more than this many times the smaller. */
  disagreementRatio: number;
  confidence: { minResponses: number; highResponseRate: number; lowResponseRate: number };
  readiness: {
    /** fix-delivery-first when unstable teams hold at least this share of developers. */
    unstableDeveloperShare: number;
    /** fix-directly below this many teams ... */
    minTeams: number;
    /** ... or with fewer than this many friction points of breadth >= sharedBreadth. */
    minSharedFriction: number;
    sharedBreadth: number;
  };
  shipped: ShippedCapabilityConfig[];
}

/** The defaults applied and what the schema cannot say: real dates, known adopting teams, no repeats. */
export function normalizeFriction(
  file: FrictionConfigFile | undefined,
  teamSlugs: readonly string[],
): { friction: FrictionConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const shipped = (file?.shipped ?? []).map((entry, i): ShippedCapabilityConfig => {
    const keyPath = `friction.shipped[${i}]`;
    const shippedOn = new Date(`${entry.shippedOn}T00:00:00Z`);
    if (Number.isNaN(shippedOn.getTime()) || shippedOn.toISOString().slice(0, 10) !== entry.shippedOn)
      problems.push({ path: `${keyPath}.shippedOn`, message: `"${entry.shippedOn}" is not a real date` });
    if (seen.has(entry.capability))
      problems.push({ path: `${keyPath}.capability`, message: `"${entry.capability}" is listed twice` });
    seen.add(entry.capability);
    entry.adoptingTeams.forEach((slug, t) => {
      if (!teamSlugs.includes(slug))
        problems.push({ path: `${keyPath}.adoptingTeams[${t}]`, message: `no team "${slug}" in teams` });
    });
    return { capability: entry.capability, shippedOn, adoptingTeams: entry.adoptingTeams, keyPath };
  });
  const confidence = file?.confidence ?? {};
  const readiness = file?.readiness ?? {};
  const friction: FrictionConfig = {
    ticketBlockedFactor: file?.ticketBlockedFactor ?? 0.1,
    hourlyCost: file?.hourlyCost ?? 100,
    currency: file?.currency ?? 'USD',
    platformTeamSize: file?.platformTeamSize ?? 4,
    affectedHoursPerDeveloper: file?.affectedHoursPerDeveloper ?? 0.5,
    disagreementRatio: file?.disagreementRatio ?? 3,
    confidence: {
      minResponses: confidence.minResponses ?? 10,
      highResponseRate: confidence.highResponseRate ?? 0.5,
      lowResponseRate: confidence.lowResponseRate ?? 0.3,
    },
    readiness: {
      unstableDeveloperShare: readiness.unstableDeveloperShare ?? 0.25,
      minTeams: readiness.minTeams ?? 5,
      minSharedFriction: readiness.minSharedFriction ?? 2,
      sharedBreadth: readiness.sharedBreadth ?? 0.5,
    },
    shipped,
  };
  return { friction, problems };
}
