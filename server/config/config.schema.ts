import Type from 'typebox';
import type { Static } from 'typebox';
import { AlertsSchema } from './alerts.schema.ts';
import { AuthSchema } from './auth.schema.ts';
import { CiSchema } from './ci.schema.ts';
import { FrictionConfigSchema } from './friction.schema.ts';
import { IngestSchema } from './ingest.schema.ts';
import { LimitsSchema } from './limits.schema.ts';
import { SurveysSchema } from './surveys.schema.ts';

/** A date or timestamp from which a change of ownership or membership holds. */
const EffectiveFrom = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}([T ][0-9:.]+(Z|[+-]\\d{2}:?\\d{2})?)?$',
  description: 'an ISO date (2026-10-01) or timestamp',
});

const NamePattern = Type.String({ minLength: 1, description: 'exact name, or a glob with *' });

const OwnedResource = Type.Union([
  NamePattern,
  Type.Object(
    { name: NamePattern, effectiveFrom: Type.Optional(EffectiveFrom) },
    { additionalProperties: false },
  ),
]);

const Member = Type.Union([
  Type.String({ minLength: 1, description: 'GitHub login' }),
  Type.Object(
    {
      github: Type.Optional(Type.String({ minLength: 1 })),
      jira: Type.Optional(Type.String({ minLength: 1 })),
      email: Type.Optional(Type.String({ minLength: 3 })),
      effectiveFrom: Type.Optional(EffectiveFrom),
    },
    { additionalProperties: false },
  ),
]);

const TeamSchema = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'lower-case letters, digits and -' }),
    name: Type.String({ minLength: 1 }),
    repositories: Type.Optional(Type.Array(OwnedResource)),
    services: Type.Optional(Type.Array(OwnedResource)),
    members: Type.Optional(Type.Array(Member)),
  },
  { additionalProperties: false },
);

const CronExpression = Type.String({ minLength: 9, description: 'cron expression' });

/** Where a repository's deployments come from; the first entry naming a repository wins. */
const GithubDeploymentSource = Type.Object(
  {
    repositories: Type.Array(NamePattern, { minItems: 1 }),
    from: Type.Union([Type.Literal('deployments'), Type.Literal('workflow'), Type.Literal('releases')], {
      description: 'deployments (GitHub Deployments, the default), workflow or releases',
    }),
    workflow: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'the workflow file (deploy.yml) whose successful runs deploy',
      }),
    ),
    environment: Type.Optional(
      Type.String({ minLength: 1, description: 'the environment its deployments count for' }),
    ),
  },
  { additionalProperties: false },
);

const GithubIncidents = Type.Object(
  {
    label: Type.Optional(Type.String({ minLength: 1, description: 'issues with this label are incidents' })),
    repositories: Type.Optional(Type.Array(NamePattern)),
  },
  { additionalProperties: false },
);

const GithubPullRequests = Type.Object(
  {
    excludeBots: Type.Optional(Type.Boolean({ description: 'leave GitHub Bot authors out of lead time' })),
    excludeAuthors: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'author login globs left out of lead time' }),
    ),
  },
  { additionalProperties: false },
);

const SourcesSchema = Type.Object(
  {
    github: Type.Optional(
      Type.Object(
        {
          organization: Type.Optional(Type.String({ minLength: 1 })),
          repositories: Type.Optional(Type.Array(NamePattern)),
          schedule: Type.Optional(CronExpression),
          deployments: Type.Optional(Type.Array(GithubDeploymentSource)),
          incidents: Type.Optional(GithubIncidents),
          pullRequests: Type.Optional(GithubPullRequests),
        },
        { additionalProperties: false },
      ),
    ),
    jira: Type.Optional(
      Type.Object(
        {
          projects: Type.Array(
            Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'a Jira project key' }),
          ),
          schedule: Type.Optional(CronExpression),
          requestingTeamField: Type.Optional(
            Type.String({
              minLength: 1,
              description: 'a field naming the requesting team (customfield_10050)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    githubIssues: Type.Optional(
      Type.Object(
        {
          repositories: Type.Array(
            Type.String({ pattern: '^[^\\s/*]+/[^\\s/*]+$', description: 'owner/name' }),
          ),
          schedule: Type.Optional(CronExpression),
          inProgressLabels: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
          waitingLabels: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const MetricsSchema = Type.Object(
  {
    benchmark: Type.Optional(
      Type.String({ minLength: 1, description: 'a benchmark id from scorecards/benchmarks' }),
    ),
    minSampleForTier: Type.Optional(Type.Integer({ minimum: 1 })),
    incidentCauseInference: Type.Optional(
      Type.Object(
        { windowHours: Type.Number({ exclusiveMinimum: 0, maximum: 720 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const Slug = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*$',
  description: 'lower-case letters, digits and -',
});

const TicketCategory = Type.Object(
  {
    name: Slug,
    labels: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    components: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    issueTypes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);

const TicketsSchema = Type.Object(
  {
    // queue (Jira project key or owner/name) → the team that works it
    servingTeams: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Slug)),
    categories: Type.Optional(Type.Array(TicketCategory)),
    defaultCategory: Type.Optional(Slug),
    waitingStatusCategories: Type.Optional(
      Type.Array(Type.Union([Type.Literal('new'), Type.Literal('indeterminate')]), { minItems: 1 }),
    ),
    waitingStatuses: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);

/** The shape of `groundwork.yaml`. Later capabilities add keys here. */
export const ConfigFileSchema = Type.Object(
  {
    organization: Type.String({ minLength: 1 }),
    productionEnvironments: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    // environment name → other names deployments to it come with (prod-eu, Production)
    environmentAliases: Type.Optional(
      Type.Record(Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }))),
    ),
    teams: Type.Array(TeamSchema),
    metrics: Type.Optional(MetricsSchema),
    sources: Type.Optional(SourcesSchema),
    surveys: Type.Optional(SurveysSchema),
    tickets: Type.Optional(TicketsSchema),
    alerts: Type.Optional(AlertsSchema),
    auth: Type.Optional(AuthSchema),
    ci: Type.Optional(CiSchema),
    friction: Type.Optional(FrictionConfigSchema),
    ingest: Type.Optional(IngestSchema),
    limits: Type.Optional(LimitsSchema),
  },
  { additionalProperties: false },
);

export type ConfigFile = Static<typeof ConfigFileSchema>;
export type TeamConfigFile = Static<typeof TeamSchema>;
export type SourcesConfig = Static<typeof SourcesSchema>;
export type TicketsConfigFile = Static<typeof TicketsSchema>;
