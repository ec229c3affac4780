// What to collect from each repository, from `sources.github` in the configuration (pure).
import { canonicalEnvironment } from '../../server/config/config.ts';
import type { AppConfig } from '../../server/config/config.ts';
import type { IncidentCauseRule } from '../../server/db/incidents.repository.ts';
import { ciCollectionSettings } from './ci-map.ts';
import type { CiCollectionSettings } from './ci-map.ts';
import { DEFAULT_AUTHOR_EXCLUSION, DEFAULT_EXCLUDED_AUTHORS, globMatcher } from './map.ts';
import type { AuthorExclusion } from './map.ts';

export const DEFAULT_INCIDENT_LABEL = 'incident';

export interface DeploymentPlan {
  /** GitHub Deployments (the default), a workflow's successful runs on the default branch, or releases. */
  from: 'deployments' | 'workflow' | 'releases';
  /** The workflow file, with `from: workflow`. */
  workflow: string | null;
  /** The environment deployments from runs or releases count for (default: the first production one). */
  environment: string;
}

export interface RepositoryPlan {
  deployments: DeploymentPlan;
  /** Issues labelled `incidentLabel` in this repository are incidents. */
  incidents: boolean;
}

/** Settings shared by every repository of a run. */
export interface CollectionSettings {
  incidentLabel: string;
  authorExclusion: AuthorExclusion;
  causeRule: IncidentCauseRule;
  productionEnvironments: readonly string[];
  /** Which workflow runs are CI runs (ci-map.ts). */
  ci: CiCollectionSettings;
  /** A GitHub environment name as configured: case-insensitive, aliases resolved (`environmentAliases`). */
  environmentName(name: string): string;
  planFor(fullName: string): RepositoryPlan;
}

const matches = (patterns: readonly string[], fullName: string) =>
  patterns.some((pattern) => globMatcher(pattern).test(fullName));

export function collectionSettings(config: AppConfig): CollectionSettings {
  const github = config.org.sources.github ?? {};
  const production = config.org.productionEnvironments;
  const exclusion = github.pullRequests;
  return {
    incidentLabel: github.incidents?.label ?? DEFAULT_INCIDENT_LABEL,
    authorExclusion:
      exclusion === undefined
        ? DEFAULT_AUTHOR_EXCLUSION
        : {
            bots: exclusion.excludeBots ?? true,
            authors: (exclusion.excludeAuthors ?? DEFAULT_EXCLUDED_AUTHORS).map((glob) => globMatcher(glob)),
          },
    causeRule: {
      windowHours: config.org.metrics.incidentCauseWindowHours,
      productionEnvironments: production,
    },
    productionEnvironments: production,
    ci: ciCollectionSettings(config),
    environmentName: (name) => canonicalEnvironment(config.org, name),
    planFor(fullName) {
      const entry = (github.deployments ?? []).find((e) => matches(e.repositories, fullName));
      const incidentRepositories = github.incidents?.repositories;
      return {
        deployments: {
          from: entry?.from ?? 'deployments',
          workflow: entry?.workflow ?? null,
          environment: canonicalEnvironment(config.org, entry?.environment ?? production[0] ?? 'production'),
        },
        // Without a list, every collected repository's incident issues count.
        incidents: incidentRepositories === undefined || matches(incidentRepositories, fullName),
      };
    },
  };
}
