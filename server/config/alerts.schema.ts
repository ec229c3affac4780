import Type from 'typebox';
import type { Static } from 'typebox';

// `alerts:` in groundwork.yaml: the rules (as data) and where notifications go. Validated at start-up with
// the rest of the file; the semantic checks (known teams, channels, ticket categories) are in
// server/config/alerts-config.ts (and, for survey drivers, server/alerts/survey-share.ts).

const EnvName = Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'name of an environment variable' });

const AlertChannel = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'lower-case letters, digits and -' }),
    type: Type.Union([Type.Literal('slack'), Type.Literal('webhook')], { description: 'slack or webhook' }),
    /** The incoming-webhook URL comes from this environment variable, never from the file. */
    urlEnv: EnvName,
    /** webhook only: the HMAC key for X-Groundwork-Signature, from this environment variable. */
    secretEnv: Type.Optional(EnvName),
  },
  { additionalProperties: false },
);

export const ALERT_METRICS = [
  'leadTime',
  'deploymentFrequency',
  'changeFailureRate',
  'recoveryTime',
  'ticketWait',
  'surveyDriver',
] as const;

const Severity = Type.Object(
  {
    warning: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'relative change, 0.25 = +25 %' }),
    ),
    critical: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'relative change, 1 = +100 %' })),
  },
  { additionalProperties: false },
);

const AlertRule = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'lower-case letters, digits and -' }),
    metric: Type.Union(
      [
        Type.Literal('leadTime'),
        Type.Literal('deploymentFrequency'),
        Type.Literal('changeFailureRate'),
        Type.Literal('recoveryTime'),
        Type.Literal('ticketWait'),
        Type.Literal('surveyDriver'),
      ],
      { description: ALERT_METRICS.join(', ') },
    ),
    /** ticketWait: the request category whose wait is watched (alerts go to the requesting team). */
    category: Type.Optional(Type.String({ minLength: 1 })),
    /** surveyDriver: the survey driver whose favourable share is watched (scorecards/survey-drivers.ts). */
    driver: Type.Optional(Type.String({ minLength: 1 })),
    /** Team slugs; every active team when omitted. */
    teams: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    recentDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 180 })),
    baselineDays: Type.Optional(Type.Integer({ minimum: 7, maximum: 730 })),
    /** Below this relative change (on the median; on the rate for rates) nothing fires. */
    minChange: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: 'relative change, 0.25 = +25 %' }),
    ),
    minSamples: Type.Optional(Type.Integer({ minimum: 3 })),
    /** The false-discovery rate across the teams a rule tests at once (Benjamini–Hochberg). */
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5 })),
    correction: Type.Optional(
      Type.Union([Type.Literal('benjamini-hochberg'), Type.Literal('none')], {
        description: 'benjamini-hochberg or none',
      }),
    ),
    severity: Type.Optional(Severity),
    channels: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);

export const AlertsSchema = Type.Object(
  {
    /** When the evaluator and the outbox drain run inside the server (cron, UTC); daily at 06:00 by default. */
    schedule: Type.Optional(Type.String({ minLength: 9, description: 'cron expression' })),
    /** Links in notifications start here (the dashboard's public address). */
    dashboardUrl: Type.Optional(Type.String({ pattern: '^https?://\\S+$', description: 'an http(s) URL' })),
    rules: Type.Optional(Type.Array(AlertRule)),
    channels: Type.Optional(Type.Array(AlertChannel)),
  },
  { additionalProperties: false },
);

export type AlertsConfigFile = Static<typeof AlertsSchema>;
export type AlertRuleConfigFile = Static<typeof AlertRule>;
export type AlertChannelConfig = Static<typeof AlertChannel>;
export type AlertMetric = (typeof ALERT_METRICS)[number];
