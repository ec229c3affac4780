/**
 * GET /api/v1/data-sources and GET /api/v1/collectors, mirrored type-only from
 * server/routes/data-sources.routes.ts and server/routes/collectors.routes.ts
 * (data-sources.types.check.ts fails the web type-check when they drift apart).
 */

export interface LastEvent {
  receivedAt: string;
  kind: string;
  authMethod: 'token' | 'signature' | 'github-signature';
  tokenName: string | null;
  itemCount: number;
}

export interface Unattributed {
  count: number;
  examples: { service: string | null; repository: string | null; count: number }[];
}

export interface DataSources {
  sources: {
    source: string;
    deployments: { total: number; unattributed: number };
    incidents: { total: number; unattributed: number };
    lastEvent: LastEvent | null;
  }[];
  pushers: (LastEvent & { source: string })[];
  unattributed: { deployments: Unattributed; incidents: Unattributed };
}

export interface CollectorStatus {
  collector: string;
  configured: boolean;
  /** The configuration key that names what to collect (`sources.githubIssues`). */
  configKey: string;
  missingCredentials: string[];
  credentialsHint: string | null;
  running: boolean;
  schedule: string | null;
  nextRunAt: string | null;
  lastRun: {
    id: number;
    status: string;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
  } | null;
  lastSuccessAt: string | null;
  lastError: { at: string; message: string } | null;
}

export interface Collectors {
  collectors: CollectorStatus[];
}
