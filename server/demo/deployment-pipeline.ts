import { HOUR_MS, MINUTE_MS, nextWindowSlot } from './demo-calendar.ts';
import { slowdownAt } from './delivery-profiles.ts';
import type { DeliveryProfile } from './delivery-profiles.ts';
import { DEMO_SOURCE } from './demo-rows.ts';
import type { DemoDeployment, DemoDeploymentCommit, DemoIncident, DemoSeverity } from './demo-rows.ts';
import { recordPullRequest } from './pull-request-activity.ts';
import type { MergedChange, RepositoryActivity } from './pull-request-activity.ts';
import type { SeededRandom } from './seeded-random.ts';

export interface PipelineInput {
  repository: string;
  /** The repository's name without its owner, for readable deployment ids. */
  repositoryName: string;
  service: string;
  authors: readonly string[];
  profile: DeliveryProfile;
  random: SeededRandom;
  untilMs: number;
  /** The repository's pull requests and merges; hotfix pull requests are added to it. */
  activity: RepositoryActivity;
}

/** An incident before it is numbered; `resolvedAt` is filled in when a remediation succeeds. */
export type IncidentDraft = Omit<DemoIncident, 'externalId'>;

export interface PipelineOutput {
  deployments: DemoDeployment[];
  deploymentCommits: DemoDeploymentCommit[];
  incidents: IncidentDraft[];
}

interface QueuedChange {
  change: MergedChange;
  /** When the pipeline may deploy it: merged, plus build, tests and approvals. */
  readyAtMs: number;
}

interface Remediation {
  kind: 'rollback' | 'hotfix';
  atMs: number;
  /** For a rollback: the commit production ran before the bad deployment. */
  targetSha: string | null;
  incident: IncidentDraft;
}

/** A few minutes between one deployment finishing and the next starting. */
const PIPELINE_GAP_MS = 5 * MINUTE_MS;

/**
 * Deploys one repository's merged changes to production (and sometimes staging first), in time order:
 * - a planned deployment starts in the deploy window once the oldest undeployed change is ready, and ships
 *   every change merged before it started (the head of `main`), so each successful deployment's commits
 *   are those merged since the previous successful one;
 * - a failed deployment ships nothing; the same changes go out with the next attempt;
 * - a successful one may cause an incident; until it is remediated (a rollback to the previous good commit,
 *   or a hotfix pull request deployed outside the window, as an emergency change) planned deployments wait.
 */
export function runDeploymentPipeline(input: PipelineInput): PipelineOutput {
  return new RepositoryPipeline(input).run();
}

class RepositoryPipeline {
  private readonly input: PipelineInput;
  private readonly output: PipelineOutput = { deployments: [], deploymentCommits: [], incidents: [] };
  /** Merged changes in merge order; those before `next` are in production. */
  private readonly queue: QueuedChange[];
  private next = 0;
  private freeAtMs = -Infinity;
  private productionSha: string | null = null;
  private remediation: Remediation | null = null;
  private deploymentCount = 0;

  constructor(input: PipelineInput) {
    this.input = input;
    const { profile, random } = input;
    this.queue = input.activity.merges.map((change) => {
      const delayHours = profile.pipelineDelayHours * slowdownAt(profile, change.mergedAtMs);
      return { change, readyAtMs: change.mergedAtMs + random.lognormal(delayHours, 0.6) * HOUR_MS };
    });
  }

  run(): PipelineOutput {
    const { random, profile, untilMs } = this.input;
    for (let startMs = this.nextStartMs(); startMs !== null; startMs = this.nextStartMs()) {
      const finishMs = startMs + random.lognormal(profile.deployMinutes, 0.4) * MINUTE_MS;
      if (finishMs >= untilMs) break;
      this.deploy(startMs, finishMs);
    }
    return this.output;
  }

  /** A pending remediation goes first, as soon as it is ready; else the oldest change, in the window. */
  private nextStartMs(): number | null {
    if (this.remediation) return Math.max(this.remediation.atMs, this.freeAtMs);
    const oldest = this.queue[this.next];
    if (!oldest) return null;
    const { profile, random } = this.input;
    return nextWindowSlot(Math.max(oldest.readyAtMs, this.freeAtMs), profile.deployWindow, random);
  }

  private deploy(startMs: number, finishMs: number): void {
    const { random, profile } = this.input;
    const kind = this.remediation?.kind ?? 'planned';
    let end = this.next;
    if (kind !== 'rollback') {
      while (end < this.queue.length && (this.queue[end] as QueuedChange).change.mergedAtMs <= startMs) end++;
    }
    const shipped = this.queue.slice(this.next, end).map((queued) => queued.change);
    const sha = kind === 'rollback' ? this.remediation?.targetSha : shipped.at(-1)?.mergeCommitSha;
    if (!sha)
      throw new Error(`demo pipeline: a ${kind} deployment of ${this.input.repository} ships nothing`);

    const lastMergeMs = shipped.at(-1)?.mergedAtMs;
    if (lastMergeMs !== undefined && random.chance(profile.stagingShare)) {
      // Staging gets the same commit shortly before production.
      const stagingStartMs = Math.max(lastMergeMs, startMs - random.lognormal(40, 0.5) * MINUTE_MS);
      const stagingFinishMs = stagingStartMs + (startMs - stagingStartMs) / 2;
      this.record({
        environment: 'staging',
        sha,
        status: 'success',
        kind,
        startMs: stagingStartMs,
        finishMs: stagingFinishMs,
      });
    }
    const status = random.chance(profile.deployFailureShare) ? 'failure' : 'success';
    const production = this.record({ environment: 'production', sha, status, kind, startMs, finishMs });
    if (status === 'failure') {
      this.freeAtMs = finishMs + random.lognormal(profile.retryHours, 0.7) * HOUR_MS;
      if (this.remediation) this.remediation.atMs = this.freeAtMs;
      return;
    }
    for (const change of shipped) {
      for (const commitSha of change.shas) {
        this.output.deploymentCommits.push({
          deploymentExternalId: production.externalId,
          repository: this.input.repository,
          sha: commitSha,
        });
      }
    }
    this.next = end;
    this.freeAtMs = finishMs + PIPELINE_GAP_MS;
    const previousSha = this.productionSha;
    this.productionSha = sha;
    if (this.remediation) {
      const resolvedMs = finishMs + random.lognormal(10, 0.6) * MINUTE_MS; // someone confirms it is over
      this.remediation.incident.resolvedAt = resolvedMs < this.input.untilMs ? new Date(resolvedMs) : null;
      this.remediation = null;
    } else if (random.chance(profile.incidentShare)) {
      this.remediation = causeIncident(this.input, this.output, this.queue, production, previousSha);
    }
  }

  private record(attempt: {
    environment: DemoDeployment['environment'];
    sha: string;
    status: DemoDeployment['status'];
    kind: DemoDeployment['kind'];
    startMs: number;
    finishMs: number;
  }): DemoDeployment {
    const deployment: DemoDeployment = {
      source: DEMO_SOURCE,
      externalId: `demo-deploy-${this.input.repositoryName}-${++this.deploymentCount}`,
      repository: this.input.repository,
      service: this.input.service,
      environment: attempt.environment,
      sha: attempt.sha,
      status: attempt.status,
      originalStatus: attempt.status,
      kind: attempt.kind,
      startedAt: new Date(attempt.startMs),
      finishedAt: new Date(attempt.finishMs),
    };
    this.output.deployments.push(deployment);
    return deployment;
  }
}

/**
 * Opens an incident a little after `cause` finished and plans its remediation: a rollback to the commit
 * production ran before (when there was one), or a hotfix pull request merged and deployed in a hurry.
 * Returns null when the incident would start after `until`.
 */
function causeIncident(
  input: PipelineInput,
  output: PipelineOutput,
  queue: QueuedChange[],
  cause: DemoDeployment,
  previousSha: string | null,
): Remediation | null {
  const { random, profile, untilMs } = input;
  const startMs = cause.finishedAt.getTime() + random.lognormal(0.3, 0.8) * HOUR_MS;
  if (startMs >= untilMs) return null;
  const symptom = random.pick(SYMPTOMS);
  const incident: IncidentDraft = {
    source: DEMO_SOURCE,
    title: `${input.service}: ${symptom}`,
    severity: severity(random),
    service: input.service,
    startedAt: new Date(startMs),
    resolvedAt: null,
    causeDeploymentExternalId: cause.externalId,
  };
  output.incidents.push(incident);
  const recoveryMs = random.lognormal(profile.recoveryHours, 0.7) * HOUR_MS;
  const atMs = startMs + 0.8 * recoveryMs;
  if (previousSha !== null && random.chance(profile.rollbackShare)) {
    return { kind: 'rollback', atMs, targetSha: previousSha, incident };
  }
  const hotfix = recordPullRequest(input.activity, input, {
    title: `Hotfix: ${symptom}`,
    authorLogin: random.pick(input.authors),
    authorIsBot: false,
    firstCommitMs: startMs + 0.1 * recoveryMs,
    createdMs: startMs + 0.25 * recoveryMs,
    reviewMs: startMs + 0.4 * recoveryMs,
    mergeMs: startMs + 0.6 * recoveryMs,
    closeMs: null,
    additions: random.integer(1, 30),
    deletions: random.integer(0, 20),
    changedFiles: random.integer(1, 3),
    commitCount: 1,
    squash: true,
  });
  // Merged after `until`: the hotfix deployment cannot happen in range either, so the incident stays open.
  if (hotfix) {
    const at = queue.findIndex((queued) => queued.change.mergedAtMs > hotfix.mergedAtMs);
    queue.splice(at === -1 ? queue.length : at, 0, { change: hotfix, readyAtMs: hotfix.mergedAtMs });
  }
  return { kind: 'hotfix', atMs, targetSha: null, incident };
}

function severity(random: SeededRandom): DemoSeverity {
  const draw = random.next();
  return draw < 0.1 ? 'sev1' : draw < 0.4 ? 'sev2' : 'sev3';
}

export const SYMPTOMS = [
  'elevated error rate',
  'p99 latency above SLO',
  'background jobs piling up',
  'login failures for some users',
  'stale data served from cache',
  'memory leak restarting pods',
] as const;
