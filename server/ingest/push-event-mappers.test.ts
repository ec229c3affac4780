import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../errors.ts';
import { mapDeploymentEvents } from './deployment-events.ts';
import type { DeploymentEvent } from './deployment-events.ts';
import { mapDeploymentStatus } from './github-deployment-status.ts';
import { mapIncidentEvents } from './incident-events.ts';

const teams = new Map([['payments', 7]]);
const deployment: DeploymentEvent = {
  id: 'd1',
  service: 'Payments-API',
  repository: 'Acme/Billing',
  environment: 'production',
  sha: 'ABCDEF1234567',
  status: 'success',
  startedAt: '2026-11-10T09:00:00Z',
  finishedAt: '2026-11-10T10:05:00+01:00',
};
const fieldOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.statusCode, 400);
    return error.field;
  }
  assert.fail('expected a 400');
};

describe('pushed deployments → rows', () => {
  test('lower-case names (ownership patterns are), UTC times, planned by default, source api', () => {
    const { deployments, commits, links } = mapDeploymentEvents([deployment], teams);
    assert.deepEqual(deployments[0], {
      source: 'api',
      externalId: 'd1',
      repository: 'acme/billing',
      service: 'payments-api',
      environment: 'production',
      sha: 'abcdef1234567',
      status: 'success',
      originalStatus: 'success',
      kind: 'planned',
      startedAt: new Date('2026-11-10T09:00:00Z'),
      finishedAt: new Date('2026-11-10T09:05:00Z'), // 10:05 at +01:00
      teamId: null,
      teamAttribution: null,
      url: null,
    });
    assert.deepEqual([commits, links], [[], []]);
  });

  test("commits default to the deployment's repository and may name their own", () => {
    const { commits, links } = mapDeploymentEvents(
      [
        {
          ...deployment,
          commits: [
            { sha: 'AAAAAAA', timestamp: '2026-11-09T08:00:00Z' },
            { sha: 'bbbbbbb', timestamp: '2026-11-09T09:00:00Z', repository: 'acme/shared-lib' },
          ],
        },
      ],
      teams,
    );
    assert.deepEqual(commits, [
      { repository: 'acme/billing', sha: 'aaaaaaa', committedAt: new Date('2026-11-09T08:00:00Z') },
      { repository: 'acme/shared-lib', sha: 'bbbbbbb', committedAt: new Date('2026-11-09T09:00:00Z') },
    ]);
    assert.deepEqual(links[1], { externalId: 'd1', repository: 'acme/shared-lib', sha: 'bbbbbbb' });
  });

  test('an in-progress deployment has no finish; a named team is explicit', () => {
    const [row] = mapDeploymentEvents(
      [{ ...deployment, status: 'in_progress', team: 'payments' }],
      teams,
    ).deployments;
    assert.equal(row?.finishedAt, null);
    assert.deepEqual([row?.teamId, row?.teamAttribution], [7, 'explicit']);
  });

  test('what the schema cannot check is a 400 naming the item and field', () => {
    const second = (overrides: Partial<DeploymentEvent>) => () =>
      mapDeploymentEvents([deployment, { ...deployment, ...overrides }], teams);
    assert.equal(fieldOf(second({ service: undefined, repository: undefined })), 'body[1].service');
    assert.equal(fieldOf(second({ status: 'failure', finishedAt: null })), 'body[1].finishedAt');
    assert.equal(fieldOf(second({ finishedAt: '2026-11-10T08:59:59Z' })), 'body[1].finishedAt');
    assert.equal(fieldOf(second({ team: 'nobody' })), 'body[1].team');
    assert.equal(
      fieldOf(
        second({ repository: undefined, commits: [{ sha: 'abcdef1', timestamp: '2026-11-09T08:00:00Z' }] }),
      ),
      'body[1].commits[0].repository',
    );
  });
});

describe('pushed incidents → rows', () => {
  const incident = { id: 'i1', service: 'Payments-API', startedAt: '2026-11-10T10:00:00Z', severity: 'sev1' };

  test('keep the named cause for linking, and need a service or a team', () => {
    const [row] = mapIncidentEvents([{ ...incident, deploymentId: 'd1' }], teams);
    assert.equal(row?.service, 'payments-api');
    assert.equal(row?.resolvedAt, null);
    assert.equal(row?.causeDeploymentExternalId, 'd1');
    assert.equal(
      fieldOf(() => mapIncidentEvents([{ ...incident, service: undefined }], teams)),
      'body[0].service',
    );
    const resolvedEarly = { ...incident, resolvedAt: '2026-11-10T09:00:00Z' };
    assert.equal(
      fieldOf(() => mapIncidentEvents([resolvedEarly], teams)),
      'body[0].resolvedAt',
    );
  });
});

describe('GitHub deployment_status → status to apply', () => {
  const payload = (state: string) => ({
    deployment_status: { state, created_at: '2026-11-10T10:05:00Z' },
    deployment: {
      id: 123456789,
      sha: 'a'.repeat(40),
      environment: 'production',
      created_at: '2026-11-10T10:00:00Z',
    },
    repository: { full_name: 'Acme/Billing' },
  });

  test('maps GitHub states to ours; inactive stays its own outcome', () => {
    const outcomes = [
      'success',
      'failure',
      'error',
      'pending',
      'queued',
      'in_progress',
      'waiting',
      'inactive',
    ].map((state) => mapDeploymentStatus(payload(state)).outcome);
    assert.deepEqual(outcomes, [
      'success',
      'failure',
      'failure',
      'in_progress',
      'in_progress',
      'in_progress',
      'in_progress',
      'inactive',
    ]);
    const status = mapDeploymentStatus(payload('SUCCESS'));
    assert.deepEqual(
      [status.externalId, status.repository, status.state],
      ['123456789', 'acme/billing', 'success'],
    );
  });

  test('an unknown state or a malformed payload is a 400 naming the field', () => {
    assert.equal(
      fieldOf(() => mapDeploymentStatus(payload('exploded'))),
      'body.deployment_status.state',
    );
    const noId = { ...payload('success'), deployment: { ...payload('success').deployment, id: 'x' } };
    assert.equal(
      fieldOf(() => mapDeploymentStatus(noId)),
      'body.deployment.id',
    );
  });
});
