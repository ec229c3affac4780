import Type from 'typebox';
import type { Static } from 'typebox';

// `limits:` in groundwork.yaml: request rates per client address (one process: counted in memory).

export const LimitsSchema = Type.Object(
  {
    ingestPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    signInPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
    surveyFormPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false },
);

export interface LimitsConfig {
  ingestPerMinute: number;
  signInPerMinute: number;
  surveyFormPerMinute: number;
}

export function normalizeLimits(file: Static<typeof LimitsSchema> | undefined): LimitsConfig {
  return {
    ingestPerMinute: file?.ingestPerMinute ?? 600,
    signInPerMinute: file?.signInPerMinute ?? 10,
    surveyFormPerMinute: file?.surveyFormPerMinute ?? 60,
  };
}
