import Type from 'typebox';
import type { Static } from 'typebox';

const WorkflowPattern = Type.String({
  minLength: 1,
  description: 'a workflow file (ci.yml) or workflow name, or a glob with *',
});

/** `ci` in groundwork.yaml: which CI runs the GitHub collector reads. Runs pushed to the API always count. */
export const CiSchema = Type.Object(
  {
    github: Type.Optional(
      Type.Object(
        {
          collect: Type.Optional(
            Type.Boolean({ description: 'read GitHub Actions workflow runs (default true)' }),
          ),
          events: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), {
              minItems: 1,
              description: 'runs triggered by these events count as CI (default push, pull_request)',
            }),
          ),
          workflows: Type.Optional(
            Type.Array(WorkflowPattern, { minItems: 1, description: 'only these workflows (default all)' }),
          ),
          excludeWorkflows: Type.Optional(
            Type.Array(WorkflowPattern, {
              description:
                'never these (default *deploy*); the deploy workflows of sources.github.deployments never count',
            }),
          ),
          jobs: Type.Optional(
            Type.Boolean({
              description: "also read each run's jobs: one more request per run (default false)",
            }),
          ),
          backfillDays: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 3650,
              description: 'how far back a first sync reads (default 90)',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type CiConfigFile = Static<typeof CiSchema>;

/** The CI settings with their defaults. */
export interface CiConfig {
  github: {
    collect: boolean;
    events: string[];
    /** Null: every workflow (but the excluded ones). */
    workflows: string[] | null;
    excludeWorkflows: string[];
    jobs: boolean;
    backfillDays: number;
  };
}

export const DEFAULT_CI_EVENTS = ['push', 'pull_request'];
export const DEFAULT_EXCLUDED_WORKFLOWS = ['*deploy*'];

export function normalizeCi(file: CiConfigFile | undefined): CiConfig {
  const github = file?.github;
  return {
    github: {
      collect: github?.collect ?? true,
      events: github?.events ?? DEFAULT_CI_EVENTS,
      workflows: github?.workflows ?? null,
      excludeWorkflows: github?.excludeWorkflows ?? DEFAULT_EXCLUDED_WORKFLOWS,
      jobs: github?.jobs ?? false,
      backfillDays: github?.backfillDays ?? 90,
    },
  };
}
